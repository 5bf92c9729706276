package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserConsult walks the consultations of the demo as people would:
// a resident comments on a point of a draft with a quote and checks the
// receipt; the finished declaration shows its summary, diff and goals; the
// drafter answers a comment; the verified expert sends a conclusion. Every
// page is checked with axe-core.
func TestBrowserConsult(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	e2eEngines(t, func(t *testing.T, srv *server, b *browser) {
		href := func(text string) string {
			t.Helper()
			h := get(b, chromedp.Evaluate[string](`(() => { const a = [...document.querySelectorAll('main a')].find(a => a.textContent.includes(`+"`"+text+"`"+`)); return a ? a.getAttribute('href') : ''; })()`))
			if h == "" {
				t.Fatalf("no link %q on %s", text, get(b, chromedp.Location()))
			}
			return h
		}
		b.visit("/consultations")
		discussion := href("Проект Правил благоустройства")
		declaration := href("Публичная декларация целей")
		b.visit(discussion)
		if s := b.text(".consult-status"); !strings.Contains(s, "Обсуждение") || !strings.Contains(s, "до ") {
			t.Fatalf("stage and term not shown: %q", s)
		}
		// With JavaScript, selecting a passage fills the point and the quote.
		picked := get(b, chromedp.Evaluate[string](`(() => {
  const el = document.querySelector('#p-2-3 p:not(.consult-number)'); const r = document.createRange(); r.selectNodeContents(el);
  const s = getSelection(); s.removeAllRanges(); s.addRange(r);
  el.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
  return document.getElementById('point').value + '|' + document.getElementById('quote').value;
})()`))
		if !strings.HasPrefix(picked, "p-2-3|") || !strings.Contains(picked, "вправе изменить границы") {
			t.Fatalf("selection did not fill the form: %q", picked)
		}
		b.checkA11y()
		// Comment on п. 3.1 with a pasted quote, as without JavaScript.
		b.run(chromedp.SetValue(chromedp.CSS("#point"), "p-3-1"))
		b.submit(map[string]string{"#quote": "в течение 6 часов", "#body": "Прошу чистить тротуары у остановок в первую очередь."}, "form[action$='/comments'] button[type=submit]")
		if s := b.text("main"); !strings.Contains(s, "номер квитанции") || !strings.Contains(s, "опубликовано") {
			t.Fatalf("receipt page: %q", s)
		}
		receipt := b.value("#number")
		// An error keeps what was typed and links the summary to the field.
		b.visit(discussion)
		b.submit(map[string]string{"#quote": "такого текста нет", "#body": "Текст остаётся"}, "form[action$='/comments'] button[type=submit]")
		if s := b.text(".error-summary"); !strings.Contains(s, "Такого фрагмента нет") {
			t.Fatalf("error summary %q", s)
		}
		if v := b.value("#body"); v != "Текст остаётся" {
			t.Fatalf("the form lost the text: %q", v)
		}

		// The finished declaration: results, diff, goals.
		b.visit(declaration)
		if s := b.text("main"); !strings.Contains(s, "Итоги обсуждения") || !strings.Contains(s, "Ход достижения цели") {
			t.Fatal("declaration lacks results or goal progress")
		}
		b.visit(declaration + "/summary")
		b.visit(declaration + "/diff")
		if s := b.text(".consult-diff"); !strings.Contains(s, "посёлке Исеть") {
			t.Fatalf("diff lacks the accepted proposal: %q", s)
		}
		b.visit("/expertise")
		expertise := href("Административный регламент")
		b.visit(expertise)
		b.visit("/consultations/receipt?number=" + receipt)

		// The drafter answers the resident's comment.
		b.login("lawyer@vpyshma.demo", DemoPassword)
		b.visit("/admin/consultations")
		b.visit("/admin" + discussion)
		if s := b.text("#wording ~ ol, .consult-wording"); !strings.Contains(s, "3.2") {
			t.Fatalf("wording check not shown to the drafter: %q", s)
		}
		b.visit("/admin" + discussion + "/comments")
		b.click(`article.consult-comment input[name=decision][value=accepted]`)
		b.submit(map[string]string{"article.consult-comment textarea[name=reason]": "Остановки включены в первую очередь уборки."}, "article.consult-comment button[type=submit]")
		if s := b.text(".flash"); !strings.Contains(s, "сохранён") {
			t.Fatalf("answer not saved: %q", s)
		}
		b.visit("/admin/consult/moderation")
		b.visit("/admin/consult/experts")
		b.visit("/admin/consult/conclusions")
		b.visit("/admin/consult/wording")
		b.visit("/admin/consult/blocks")
		b.visit("/admin/consultations/new")
		b.submit(map[string]string{"#title": "Проект без текста"}, "main form button[type=submit]")
		if s := b.text(".error-summary"); !strings.Contains(s, "Вставьте текст проекта") {
			t.Fatalf("new consultation errors: %q", s)
		}
		b.submit(nil, "header form[action='/logout'] button")

		// The verified expert sends a conclusion.
		b.login("expert@vpyshma.demo", DemoPassword)
		b.visit("/expertise/register")
		b.visit(expertise + "/conclusion")
		b.submit(map[string]string{"[name='provisions_4.3']": "п. 2.4: «по методике, утверждаемой уполномоченным органом»", "[name='proposal_4.3']": "Указать методику в приложении к регламенту."}, "main form button[type=submit]")
		if s := b.text("main"); !strings.Contains(s, "Указать методику в приложении") {
			t.Fatalf("conclusion not published: %q", s)
		}
		t.Logf("axe-core checked %d pages", len(b.Checked))
	})
}
