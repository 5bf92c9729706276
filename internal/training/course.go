package training

import (
	"crypto/rand"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/web"
)

// Course is a training course for staff: material in pages, a quiz, a pass
// mark and a limit of attempts.
type Course struct {
	ID             int64
	MunicipalityID int64
	Title          string
	Description    string
	// CodeTitle and CodeURL link the code of ethics (an act).
	CodeTitle string
	CodeURL   string
	// Material is Markdown; each «# Заголовок» line starts a page.
	Material string
	// Quiz is the questions in the editor's format (see ParseQuiz).
	Quiz        string
	PassMark    int // percent of correct answers needed
	MaxAttempts int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// URL is the course's page for staff.
func (c Course) URL() string { return "/training/" + strconv.FormatInt(c.ID, 10) }

// Page is one page of a course's material.
type Page struct {
	Title string
	Body  string
}

// Pages splits the material at its top-level headings («# …»). Text before
// the first heading is a page titled «Введение».
func Pages(material string) []Page {
	var out []Page
	var cur *Page
	var body []string
	intro := false
	flush := func() {
		if cur != nil {
			cur.Body = strings.TrimSpace(strings.Join(body, "\n"))
			if !intro || cur.Body != "" {
				out = append(out, *cur)
			}
		}
		body = nil
	}
	for _, line := range strings.Split(strings.ReplaceAll(material, "\r\n", "\n"), "\n") {
		if strings.HasPrefix(line, "# ") {
			flush()
			cur, intro = &Page{Title: strings.TrimSpace(line[2:])}, false
			continue
		}
		if cur == nil {
			cur, intro = &Page{Title: "Введение"}, true
		}
		body = append(body, line)
	}
	flush()
	return out
}

// Question is a single-choice question of a quiz.
type Question struct {
	Text    string
	Options []string
	Correct int // index into Options
}

// ParseQuiz reads the quiz format: a question is a line starting with «?»,
// followed by its options, «+» before the right one and «-» before the
// others; blank lines are ignored. Errors name the line.
//
//	? Может ли служащий принять подарок стоимостью 5000 рублей?
//	- Да, если это подарок на день рождения
//	+ Нет, подарки свыше 3000 рублей сдаются по акту
func ParseQuiz(src string) ([]Question, error) {
	var qs []Question
	for i, raw := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		line := strings.TrimSpace(raw)
		n := i + 1
		switch {
		case line == "":
		case strings.HasPrefix(line, "?"):
			t := strings.TrimSpace(line[1:])
			if t == "" {
				return nil, fmt.Errorf("строка %d: после «?» напишите вопрос", n)
			}
			if err := checkQuestion(qs); err != nil {
				return nil, err
			}
			qs = append(qs, Question{Text: t, Correct: -1})
		case strings.HasPrefix(line, "+"), strings.HasPrefix(line, "-"):
			if len(qs) == 0 {
				return nil, fmt.Errorf("строка %d: вариант ответа до первого вопроса; начните вопрос с «?»", n)
			}
			q := &qs[len(qs)-1]
			opt := strings.TrimSpace(line[1:])
			if opt == "" {
				return nil, fmt.Errorf("строка %d: пустой вариант ответа", n)
			}
			if line[0] == '+' {
				if q.Correct >= 0 {
					return nil, fmt.Errorf("строка %d: у вопроса «%s» уже есть правильный ответ; отметьте «+» только один", n, q.Text)
				}
				q.Correct = len(q.Options)
			}
			q.Options = append(q.Options, opt)
		default:
			return nil, fmt.Errorf("строка %d: строка должна начинаться с «?» (вопрос), «+» (правильный ответ) или «-» (неправильный)", n)
		}
	}
	if err := checkQuestion(qs); err != nil {
		return nil, err
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("в тесте нет вопросов")
	}
	return qs, nil
}

// checkQuestion checks the last question once its options are read.
func checkQuestion(qs []Question) error {
	if len(qs) == 0 {
		return nil
	}
	q := qs[len(qs)-1]
	if len(q.Options) < 2 {
		return fmt.Errorf("у вопроса «%s» меньше двух вариантов ответа", q.Text)
	}
	if q.Correct < 0 {
		return fmt.Errorf("у вопроса «%s» не отмечен правильный ответ («+»)", q.Text)
	}
	return nil
}

// Result is the outcome of one attempt.
type Result struct {
	Correct int
	Total   int
	Score   int // percent, rounded down
	Passed  bool
}

// Score marks answers (the chosen option per question, -1 for none)
// against the pass mark.
func Score(qs []Question, answers []int, passMark int) Result {
	r := Result{Total: len(qs)}
	for i, q := range qs {
		if i < len(answers) && answers[i] == q.Correct {
			r.Correct++
		}
	}
	if r.Total > 0 {
		r.Score = r.Correct * 100 / r.Total
	}
	r.Passed = r.Total > 0 && r.Score >= passMark
	return r
}

// MayAttempt says whether one more attempt is allowed after used attempts;
// false with the Russian reason when not.
func MayAttempt(used, max int, completed bool) (bool, string) {
	switch {
	case completed:
		return false, "Вы уже прошли этот курс: сертификат доступен на странице курса."
	case max > 0 && used >= max:
		return false, fmt.Sprintf("Попытки исчерпаны: использовано %d из %d. Чтобы получить новые попытки, обратитесь к администратору портала.", used, max)
	}
	return true, ""
}

// Errors are rule violations by field.
type Errors map[string]string

// Validate checks a course before it is saved.
func Validate(c Course) Errors {
	e := Errors{}
	if strings.TrimSpace(c.Title) == "" {
		e["title"] = "Укажите название курса."
	}
	if len(Pages(c.Material)) == 0 {
		e["material"] = "Добавьте материал курса: хотя бы одну страницу, начатую строкой «# Заголовок»."
	}
	if _, err := ParseQuiz(c.Quiz); err != nil {
		e["quiz"] = "Тест: " + err.Error() + "."
	}
	if c.PassMark < 1 || c.PassMark > 100 {
		e["pass_mark"] = "Проходной балл — процент правильных ответов, от 1 до 100."
	}
	if c.MaxAttempts < 1 || c.MaxAttempts > 20 {
		e["max_attempts"] = "Число попыток — от 1 до 20."
	}
	if c.CodeURL != "" && !validLink(c.CodeURL) {
		e["code_url"] = "Ссылка на кодекс — адрес на портале (/acts/…) или в интернете (https://…)."
	}
	return e
}

func validLink(s string) bool {
	if strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") {
		return true
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// Initials shortens a full name for the public check: «Ирина Администраторова»
// → «И. А.». Nothing more of a person is shown publicly.
func Initials(name string) string {
	var out []string
	for _, w := range strings.Fields(name) {
		r := []rune(w)
		out = append(out, strings.ToUpper(string(r[0]))+".")
	}
	return strings.Join(out, " ")
}

// codeAlphabet has no letters that are easy to confuse (0/O, 1/I/L).
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// NewCode makes a certificate's verification code, «XXXX-XXXX-XXXX».
func NewCode() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	var s strings.Builder
	for i, x := range b {
		if i > 0 && i%4 == 0 {
			s.WriteByte('-')
		}
		s.WriteByte(codeAlphabet[int(x)%len(codeAlphabet)])
	}
	return s.String()
}

// NormalizeCode accepts a code as people type it: any case, spaces, with or
// without dashes.
func NormalizeCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if strings.ContainsRune(codeAlphabet, r) {
			b.WriteRune(r)
		}
	}
	c := b.String()
	if len(c) != 12 {
		return ""
	}
	return c[0:4] + "-" + c[4:8] + "-" + c[8:12]
}

// invalid is a 422 with a message.
func invalid(msg string) error { return web.Invalid(msg) }
