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
		var answers []Answer
		var msg string
		switch q.Kind {
		case Text:
			answers, msg = validateText(q, raw.Texts[q.ID])
		case Matrix:
			answers, msg = validateMatrix(q, raw.Choices[q.ID])
		default:
			answers, msg = validateChoices(q, raw.Choices[q.ID])
		}
		if msg != "" {
			errs[f] = msg
			continue
		}
		out = append(out, answers...)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// choiceInRange reports whether c is one of the question's choices: an
// option's index, or a scale's score.
func choiceInRange(q Question, c int) bool {
	if q.Kind == Scale {
		return c >= 1 && c <= 5
	}
	return c >= 0 && c < len(q.Choices())
}

// validateText checks a free-text answer; none is stored for an empty
// optional one.
func validateText(q Question, t string) ([]Answer, string) {
	if t == "" {
		if q.Required {
			return nil, "Напишите ответ: это обязательный вопрос."
		}
		return nil, ""
	}
	if utf8.RuneCountInString(t) > MaxText {
		return nil, fmt.Sprintf("Ответ длиннее %d символов.", MaxText)
	}
	return []Answer{{QuestionID: q.ID, Choice: -1, Text: t}}, ""
}

// validateMatrix checks a matrix, one value a row (-1 for none): an
// optional matrix may be answered in part.
func validateMatrix(q Question, vals []int) ([]Answer, string) {
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
		if !choiceInRange(q, c) {
			return nil, "Выберите один из предложенных вариантов."
		}
		rowAnswers = append(rowAnswers, Answer{QuestionID: q.ID, Row: i, Choice: c})
	}
	if missing && q.Required {
		return nil, "Ответьте на каждую строку: это обязательный вопрос."
	}
	return rowAnswers, ""
}

// validateChoices checks a single or multiple choice or a scale; a value
// chosen twice is stored once.
func validateChoices(q Question, vals []int) ([]Answer, string) {
	if len(vals) == 0 {
		if q.Required {
			return nil, "Выберите ответ: это обязательный вопрос."
		}
		return nil, ""
	}
	if q.Kind != Multiple && len(vals) > 1 {
		return nil, "Выберите только один вариант."
	}
	var answers []Answer
	seen := map[int]bool{}
	for _, c := range vals {
		if !choiceInRange(q, c) {
			return nil, "Выберите один из предложенных вариантов."
		}
		if !seen[c] {
			seen[c] = true
			answers = append(answers, Answer{QuestionID: q.ID, Choice: c})
		}
	}
	return answers, ""
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
