package main

import (
	"strings"
	"testing"
)

// TestBrowserPolls answers the demo's open survey anonymously and as a
// signed-in resident, reads the closed survey's results with their charts,
// and opens the editors' pages: the survey editor, moderation and the
// wishes queue. axe-core checks every page.
func TestBrowserPolls(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	e2eEngines(t, func(t *testing.T, srv *server, b *browser) {
		b.visit("/polls")
		if s := b.text("main"); !strings.Contains(s, "Что добавить на сайт") || !strings.Contains(s, "Включено в план развития сайта") {
			t.Fatalf("/polls: %q", s)
		}
		open := b.attr("ul.poll-list li:nth-child(1) h2 a", "href")
		closed := b.attr("ul.poll-list li:nth-child(2) h2 a", "href")

		answer := func() {
			b.visit(open)
			if s := b.text(".poll-rules"); !strings.Contains(s, "cookie") {
				t.Fatalf("the page does not say how answers are counted: %q", s)
			}
			// Sent empty, the form names the required questions.
			b.submit(map[string]string{"form.poll-form textarea": "Расписание автобусов"}, "form.poll-form button[type=submit]")
			if s := b.text(".error-summary"); !strings.Contains(s, "обязательный вопрос") {
				t.Fatalf("empty answer: %q", s)
			}
			if v := b.value("form.poll-form textarea"); v != "Расписание автобусов" {
				t.Fatalf("the rejected form lost the text: %q", v)
			}
			b.click("form.poll-form > fieldset:nth-of-type(1) label:nth-of-type(2) input")
			b.click("form.poll-form > fieldset:nth-of-type(2) label:nth-of-type(1) input")
			b.click("form.poll-form > fieldset:nth-of-type(3) label:nth-of-type(4) input")
			b.submit(nil, "form.poll-form button[type=submit]")
			if s := b.text("main"); !strings.Contains(s, "Спасибо! Ваш ответ принят.") {
				t.Fatalf("after answering: %q", s)
			}
			// The same browser or account cannot answer twice.
			b.visit(open)
			if s := b.text("main"); !strings.Contains(s, "уже ответили") {
				t.Fatalf("second visit: %q", s)
			}
		}
		answer() // anonymously
		b.login("resident@vpyshma.demo", DemoPassword)
		answer() // as the resident
		b.submit(nil, "header form[action='/logout'] button")

		b.visit(closed)
		if s := b.text("#results"); !strings.Contains(s, "Средняя оценка") || !strings.Contains(s, "Ответили") {
			t.Fatalf("closed survey results: %q", s)
		}
		if b.attr("#results svg.chart", "role") != "img" {
			t.Fatal("no accessible chart in the results")
		}

		b.login("editor@vpyshma.demo", DemoPassword)
		b.visit("/admin/polls")
		b.visit("/admin/polls/moderation")
		if s := b.text("main"); !strings.Contains(s, "Расписание автобусов") {
			t.Fatalf("moderation lacks the new answer: %q", s)
		}
		b.submit(nil, "ul.poll-moderation li:nth-child(1) button[value=approved]")
		b.visit("/admin/polls/wishes")
		b.submit(map[string]string{"ul.poll-wishes li:nth-child(1) input[name=reason]": "Есть в разделе «Вакансии»"}, "ul.poll-wishes li:nth-child(1) button[value=declined]")
		if s := b.text("main"); !strings.Contains(s, "отклонено") {
			t.Fatalf("after declining a wish: %q", s)
		}
		b.visit("/admin/polls/new")
		b.submit(map[string]string{"#title": "Опрос из браузера"}, "main form button[type=submit]")
		b.submit(map[string]string{"#text": "Удобно ли записываться на приём?", "#options": "Да\nНет"}, "form[action$='/questions'] button[type=submit]")
		if s := b.text("#questions"); !strings.Contains(s, "Удобно ли записываться") {
			t.Fatalf("question editor: %q", s)
		}
		b.submit(nil, "form[action$='/publish'] button")
		if s := b.text("main"); !strings.Contains(s, "идёт") {
			t.Fatalf("after publishing: %q", s)
		}
	})
}
