package polls

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/chart"
)

// Answer is one stored answer: a choice (the option's index, or the score
// of a scale) in a question or matrix row, or a free text.
type Answer struct {
	QuestionID int64
	Row        int
	Choice     int
	Text       string
}

// Raw is a response as submitted, before validation: the chosen values of
// each question (a matrix: one per row, -1 for none) and free texts.
type Raw struct {
	Choices map[int64][]int
	Texts   map[int64]string
	// Bad lists questions whose values were not numbers.
	Bad map[int64]bool
}

// FromForm reads a submitted form: q<ID> for choices, scales and texts (a
// multiple choice repeats it), q<ID>_<row> for matrix rows.
func FromForm(qs []Question, v url.Values) Raw {
	raw := Raw{Choices: map[int64][]int{}, Texts: map[int64]string{}, Bad: map[int64]bool{}}
	for _, q := range qs {
		switch q.Kind {
		case Text:
			raw.Texts[q.ID] = strings.TrimSpace(v.Get(q.Field()))
		case Matrix:
			vals := make([]int, len(q.Rows))
			for i := range q.Rows {
				vals[i] = -1
				if s := strings.TrimSpace(v.Get(q.RowField(i))); s != "" {
					n, err := strconv.Atoi(s)
					if err != nil {
						raw.Bad[q.ID] = true
						continue
					}
					vals[i] = n
				}
			}
			raw.Choices[q.ID] = vals
		default:
			for _, s := range v[q.Field()] {
				if s = strings.TrimSpace(s); s == "" {
					continue
				}
				n, err := strconv.Atoi(s)
				if err != nil {
					raw.Bad[q.ID] = true
					continue
				}
				raw.Choices[q.ID] = append(raw.Choices[q.ID], n)
			}
		}
	}
	return raw
}

// Validate checks a response against the questions and returns the answers
// to store, or errors by form field in Russian.
func Validate(qs []Question, raw Raw) ([]Answer, map[string]string) {
	errs := map[string]string{}
	var out []Answer
	for _, q := range qs {
		f := q.Field()
		if raw.Bad[q.ID] {
			errs[f] = "Выберите один из предложенных вариантов."
			continue
		}
		vals := raw.Choices[q.ID]
		n := len(q.Choices())
		inRange := func(c int) bool {
			if q.Kind == Scale {
				return c >= 1 && c <= 5
			}
			return c >= 0 && c < n
		}
		switch q.Kind {
		case Text:
			t := raw.Texts[q.ID]
			if t == "" {
				if q.Required {
					errs[f] = "Напишите ответ: это обязательный вопрос."
				}
				continue
			}
			if utf8.RuneCountInString(t) > MaxText {
				errs[f] = fmt.Sprintf("Ответ длиннее %d символов.", MaxText)
				continue
			}
			out = append(out, Answer{QuestionID: q.ID, Choice: -1, Text: t})
		case Matrix:
			missing := false
			var rowAnswers []Answer
			for i := range q.Rows {
				c := -1
				if i < len(vals) {
					c = vals[i]
				}
				if c == -1 {
					missing = true
					continue
				}
				if !inRange(c) {
					errs[f] = "Выберите один из предложенных вариантов."
					break
				}
				rowAnswers = append(rowAnswers, Answer{QuestionID: q.ID, Row: i, Choice: c})
			}
			if errs[f] != "" {
				continue
			}
			if missing && q.Required {
				errs[f] = "Ответьте на каждую строку: это обязательный вопрос."
				continue
			}
			out = append(out, rowAnswers...)
		default:
			if len(vals) == 0 {
				if q.Required {
					errs[f] = "Выберите ответ: это обязательный вопрос."
				}
				continue
			}
			if q.Kind != Multiple && len(vals) > 1 {
				errs[f] = "Выберите только один вариант."
				continue
			}
			seen := map[int]bool{}
			for _, c := range vals {
				if !inRange(c) {
					errs[f] = "Выберите один из предложенных вариантов."
					break
				}
				if !seen[c] {
					seen[c] = true
					out = append(out, Answer{QuestionID: q.ID, Choice: c})
				}
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// Option is one choice's count in the results.
type Option struct {
	Label   string
	Count   int
	Percent int
}

// RowResult is the counts of a question (or of one matrix row).
type RowResult struct {
	Label   string
	Options []Option
	Chart   string
}

// QuestionResult is one question's results.
type QuestionResult struct {
	Question Question
	// Answered is how many responses answered the question.
	Answered int
	Rows     []RowResult
	// Average is a scale's mean score, times 10, rounded (0 when none).
	Average10 int
	// Texts are the published free-text answers.
	Texts []TextAnswer
	// Hidden counts the free-text answers not (yet) published.
	Unpublished int
}

// AverageText is the scale's mean as Russians write it: «4,2».
func (r QuestionResult) AverageText() string {
	return fmt.Sprintf("%d,%d", r.Average10/10, r.Average10%10)
}

// Tally turns the counts into per-question results. Percentages are of the
// responses that answered the question.
func Tally(qs []Question, cells []Cell, answered map[int64]int) []QuestionResult {
	counts := map[[3]int64]int{}
	for _, c := range cells {
		counts[[3]int64{c.QuestionID, int64(c.Row), int64(c.Choice)}] += c.Count
	}
	out := make([]QuestionResult, 0, len(qs))
	for _, q := range qs {
		r := QuestionResult{Question: q, Answered: answered[q.ID]}
		if q.Kind == Text {
			out = append(out, r)
			continue
		}
		labels := []string{""}
		if q.Kind == Matrix {
			labels = q.Rows
		}
		var sum, n int
		for ri, label := range labels {
			row := RowResult{Label: label}
			for ci, opt := range q.Choices() {
				choice := ci
				if q.Kind == Scale {
					choice = ci + 1
				}
				c := counts[[3]int64{q.ID, int64(ri), int64(choice)}]
				o := Option{Label: opt, Count: c}
				if r.Answered > 0 {
					o.Percent = (c*100 + r.Answered/2) / r.Answered
				}
				row.Options = append(row.Options, o)
				if q.Kind == Scale {
					sum += c * choice
					n += c
				}
			}
			out0 := row
			r.Rows = append(r.Rows, out0)
		}
		if n > 0 {
			r.Average10 = (sum*10*2 + n) / (2 * n)
		}
		out = append(out, r)
	}
	return out
}

// charts draws the SVG chart of every result row.
func charts(rs []QuestionResult) {
	for qi := range rs {
		for ri := range rs[qi].Rows {
			row := &rs[qi].Rows[ri]
			bars := make([]chart.Bar, len(row.Options))
			for i, o := range row.Options {
				bars[i] = chart.Bar{Label: o.Label, Value: o.Count}
			}
			title := rs[qi].Question.Text
			if row.Label != "" {
				title += " — " + row.Label
			}
			row.Chart = string(chart.Bars(fmt.Sprintf("chart-%d-%d", rs[qi].Question.ID, ri), title, bars))
		}
	}
}
