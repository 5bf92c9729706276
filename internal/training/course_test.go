package training

import (
	"strings"
	"testing"
)

const quiz = `? Первый вопрос?
- нет
+ да

? Второй?
+ верно
- неверно
- тоже неверно
`

func TestParseQuiz(t *testing.T) {
	qs, err := ParseQuiz(quiz)
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 2 || qs[0].Correct != 1 || qs[1].Correct != 0 || len(qs[1].Options) != 3 || qs[0].Text != "Первый вопрос?" {
		t.Fatalf("parsed %+v", qs)
	}
	for _, tc := range []struct{ src, want string }{
		{"", "нет вопросов"},
		{"- вариант", "строка 1: вариант ответа до первого вопроса"},
		{"? Вопрос\n- а\n- б", "не отмечен правильный ответ"},
		{"? Вопрос\n+ а\n+ б", "строка 3: у вопроса «Вопрос» уже есть правильный ответ"},
		{"? Вопрос\n+ а", "меньше двух вариантов"},
		{"? Вопрос\n+ а\n- б\nпросто текст", "строка 4: строка должна начинаться"},
		{"?\n+ а", "строка 1: после «?» напишите вопрос"},
		{"? A\n+ а\n- б\n? B\n- в\n- г", "у вопроса «B» не отмечен"},
	} {
		_, err := ParseQuiz(tc.src)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseQuiz(%q) = %v, want %q", tc.src, err, tc.want)
		}
	}
}

func TestScore(t *testing.T) {
	qs, err := ParseQuiz(quiz + "? Третий?\n+ да\n- нет\n? Четвёртый?\n+ да\n- нет\n? Пятый?\n+ да\n- нет\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		answers []int
		mark    int
		correct int
		score   int
		passed  bool
	}{
		{"all right", []int{1, 0, 0, 0, 0}, 80, 5, 100, true},
		{"four of five at 80", []int{1, 0, 0, 0, 1}, 80, 4, 80, true},
		{"three of five at 80", []int{0, 0, 0, 0, 1}, 80, 3, 60, false},
		{"none answered", []int{-1, -1, -1, -1, -1}, 80, 0, 0, false},
		{"short answers", []int{1}, 20, 1, 20, true},
		{"three of five at 60", []int{0, 0, 0, 0, 1}, 60, 3, 60, true},
		{"wrong index", []int{7, 0, 0, 0, 0}, 100, 4, 80, false},
	} {
		r := Score(qs, tc.answers, tc.mark)
		if r.Correct != tc.correct || r.Score != tc.score || r.Passed != tc.passed || r.Total != 5 {
			t.Errorf("%s: %+v", tc.name, r)
		}
	}
	if r := Score(nil, nil, 0); r.Passed {
		t.Error("an empty quiz passes")
	}
}

func TestMayAttempt(t *testing.T) {
	for _, tc := range []struct {
		used, max int
		completed bool
		ok        bool
		why       string
	}{
		{0, 3, false, true, ""},
		{2, 3, false, true, ""},
		{3, 3, false, false, "Попытки исчерпаны: использовано 3 из 3"},
		{4, 3, false, false, "Попытки исчерпаны"},
		{1, 3, true, false, "уже прошли"},
		{0, 1, false, true, ""},
		{1, 1, false, false, "использовано 1 из 1"},
	} {
		ok, why := MayAttempt(tc.used, tc.max, tc.completed)
		if ok != tc.ok || !strings.Contains(why, tc.why) {
			t.Errorf("MayAttempt(%d, %d, %v) = %v %q", tc.used, tc.max, tc.completed, ok, why)
		}
	}
}

func TestPages(t *testing.T) {
	ps := Pages("Вступление\n\n# Первая\nтекст\n## подзаголовок\n# Вторая\nещё")
	if len(ps) != 3 || ps[0].Title != "Введение" || ps[1].Title != "Первая" || !strings.Contains(ps[1].Body, "## подзаголовок") || ps[2].Body != "ещё" {
		t.Fatalf("%+v", ps)
	}
	if len(Pages("  \n")) != 0 {
		t.Error("blank material has pages")
	}
}

func TestCodesAndInitials(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		c := NewCode()
		if len(c) != 14 || NormalizeCode(c) != c || seen[c] {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
		if NormalizeCode(strings.ToLower(strings.ReplaceAll(c, "-", " "))) != c {
			t.Fatalf("typed code %q does not normalise", c)
		}
	}
	if NormalizeCode("ABC") != "" || NormalizeCode("") != "" {
		t.Error("short codes accepted")
	}
	if got := Initials("Ирина Администраторова"); got != "И. А." {
		t.Errorf("Initials = %q", got)
	}
	if got := Initials("  ольга  "); got != "О." {
		t.Errorf("Initials = %q", got)
	}
}

func TestValidate(t *testing.T) {
	ok := Course{Title: "Курс", Material: "# Страница\nтекст", Quiz: quiz, PassMark: 80, MaxAttempts: 3}
	if e := Validate(ok); len(e) != 0 {
		t.Fatalf("valid course: %v", e)
	}
	for _, tc := range []struct {
		edit  func(*Course)
		field string
	}{
		{func(c *Course) { c.Title = "" }, "title"},
		{func(c *Course) { c.Material = "" }, "material"},
		{func(c *Course) { c.Quiz = "? а" }, "quiz"},
		{func(c *Course) { c.PassMark = 0 }, "pass_mark"},
		{func(c *Course) { c.PassMark = 101 }, "pass_mark"},
		{func(c *Course) { c.MaxAttempts = 0 }, "max_attempts"},
		{func(c *Course) { c.CodeURL = "javascript:x" }, "code_url"},
	} {
		c := ok
		tc.edit(&c)
		if e := Validate(c); e[tc.field] == "" {
			t.Errorf("no error for %s: %v", tc.field, e)
		}
	}
}
