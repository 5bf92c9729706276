package consult

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/notify"
	"github.com/glasnost/glasnost/internal/webtest"
)

func idFromLocation(t *testing.T, r webtest.Response, prefix string) int64 {
	t.Helper()
	loc := r.Header.Get("Location")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("want a redirect to %s…, got %d %q\n%s", prefix, r.Status, loc, r.Body)
	}
	var id int64
	if _, err := fmt.Sscanf(strings.TrimPrefix(loc, prefix), "%d", &id); err != nil {
		t.Fatalf("no id in %q", loc)
	}
	return id
}

func mustStatus(t *testing.T, r webtest.Response, want int, what string) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, r.Status, want, r.Body)
	}
}

func mustContain(t *testing.T, body, what string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Fatalf("%s lacks %q", what, w)
		}
	}
}

// TestDiscussionScenario is the "done when" through HTTP: a lawyer
// publishes a draft, residents comment on points, the drafter answers each,
// the stage closes by itself, the summary is published and exported, and
// the final version shows its diff.
func TestDiscussionScenario(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		env, a := newArea(t, d)
		env.StartJobs()
		lawyer := env.Client("legal", auth.Lawyer)
		follower := env.Account("", auth.Resident)
		if err := notify.NewSubscriptions(d).Set(ctx, follower.ID, []int64{env.Spheres["housing"]}); err != nil {
			t.Fatal(err)
		}
		yesterday := a.today(env.Municipality).AddDays(-1)

		// Validation keeps what was typed and names the fields.
		bad := lawyer.PostForm("/admin/consultations", url.Values{"kind": {"discussion"}, "title": {"Проект без сфер"}, "start": {"вчера"}})
		mustStatus(t, bad, http.StatusUnprocessableEntity, "invalid create")
		mustContain(t, bad.Body, "invalid create", "Исправьте ошибки", `href="#spheres"`, `href="#start"`, "Проект без сфер", "Вставьте текст проекта")

		r := lawyer.PostForm("/admin/consultations", url.Values{"kind": {"discussion"}, "title": {"Правила благоустройства"}, "summary": {"Уборка дворов"},
			"department": {fmt.Sprint(env.Departments["housing"])}, "spheres": {fmt.Sprint(env.Spheres["housing"])}, "start": {yesterday.String()},
			"body": {testDraft}})
		id := idFromLocation(t, r, "/admin/consultations/")
		page := lawyer.Get(fmt.Sprintf("/admin/consultations/%d", id))
		mustStatus(t, page, 200, "edit page")
		mustContain(t, page.Body, "edit page", "Проверка формулировок", "Фактор 3.2", "<mark")

		// Unpublished: the public does not see it.
		anon := env.Anonymous()
		mustStatus(t, anon.Get(fmt.Sprintf("/consultations/%d", id)), 404, "unpublished page")
		mustStatus(t, lawyer.PostForm(fmt.Sprintf("/admin/consultations/%d/publish", id), url.Values{"action": {"publish"}}), 303, "publish")
		env.Mail.WaitFor(t, follower.Email, "Открыто обсуждение", 20*time.Second)

		pub := anon.Get(fmt.Sprintf("/consultations/%d", id))
		mustStatus(t, pub, 200, "public page")
		mustContain(t, pub.Body, "public page", "Правила благоустройства", "Обсуждение</strong>", `id="p-1-1"`, "Замечаний: 0", `name="point"`, "Правила модерации")

		// A resident comments on a point with a quote, without JavaScript.
		form := url.Values{"point": {"p-1-1"}, "quote": {"в течение 6 часов"}, "body": {"Сократите срок до 3 часов у школ."},
			"author_kind": {"name"}, "author_name": {"Анна Петрова"}, "email": {"anna@example.ru"}, "consent": {"yes"}}
		// Wrong quote and missing consent come back with the text kept.
		wrong := url.Values{}
		for k, v := range form {
			wrong[k] = v
		}
		wrong.Set("quote", "в течение 60 минут")
		wrong.Del("consent")
		rr := anon.PostForm(fmt.Sprintf("/consultations/%d/comments", id), wrong)
		mustStatus(t, rr, 422, "wrong quote")
		mustContain(t, rr.Body, "wrong quote", "Такого фрагмента нет", "согласие", "Сократите срок до 3 часов у школ.", `href="#quote"`)
		rr = anon.PostForm(fmt.Sprintf("/consultations/%d/comments", id), form)
		mustStatus(t, rr, 303, "comment")
		receiptURL := rr.Header.Get("Location")
		env.Mail.WaitFor(t, "anna@example.ru", "квитанция", 20*time.Second)
		rec := anon.Get(receiptURL)
		mustContain(t, rec.Body, "receipt page", "опубликовано", "Спасибо!", "под номером <strong>1</strong>")

		// Another through the API, on the whole draft, signed «житель».
		api := env.Anonymous().API("POST", fmt.Sprintf("/api/v1/consultations/%d/comments", id), map[string]any{"text": "Нужны урны у остановок."})
		mustStatus(t, api, 201, "API comment")
		var apiOut struct{ Receipt, Status string }
		api.JSON(t, &apiOut)
		if apiOut.Status != StatusPublished || apiOut.Receipt == "" {
			t.Fatalf("API comment %+v", apiOut)
		}
		if r := env.Anonymous().API("POST", fmt.Sprintf("/api/v1/consultations/%d/comments", id), map[string]any{"text": ""}); r.Status != 422 || !strings.Contains(r.Body, `"text"`) {
			t.Fatalf("API validation: %d %s", r.Status, r.Body)
		}

		// Obscene text is held for the moderator, who rejects it and bars the author.
		resident := env.Client("", auth.Resident)
		mustStatus(t, resident.PostForm(fmt.Sprintf("/consultations/%d/comments", id), url.Values{"body": {"Вы там охуели совсем"}, "author_kind": {"resident"}}), 303, "held comment")
		editor := env.Client("housing", auth.Editor)
		q := editor.Get("/admin/consult/moderation")
		mustContain(t, q.Body, "moderation queue", "Вы там охуели совсем", "Автоматически задержано")
		var heldID int64
		if err := d.QueryRow(ctx, `SELECT id FROM consultation_comments WHERE status = 'held'`).Scan(&heldID); err != nil {
			t.Fatal(err)
		}
		mustStatus(t, editor.PostForm("/admin/consult/moderation", url.Values{"ids": {fmt.Sprint(heldID)}, "action": {"reject"}}), 422, "reject without reason")
		mustStatus(t, editor.PostForm("/admin/consult/moderation", url.Values{"ids": {fmt.Sprint(heldID)}, "action": {"reject"}, "reason": {"Нецензурная брань"}, "block": {"yes"}}), 303, "reject")
		blocked := resident.PostForm(fmt.Sprintf("/consultations/%d/comments", id), url.Values{"body": {"Ещё одно"}, "author_kind": {"resident"}})
		mustStatus(t, blocked, 422, "blocked author")
		mustContain(t, blocked.Body, "blocked author", "ограничена модератором")

		pub = anon.Get(fmt.Sprintf("/consultations/%d?point=p-1-1", id))
		mustContain(t, pub.Body, "point filter", "Анна Петрова", "Замечаний: 1", "Ответ разработчика готовится")
		if strings.Contains(pub.Body, "anna@example.ru") || strings.Contains(pub.Body, "охуели") {
			t.Fatal("the public page leaks an e-mail or a rejected comment")
		}

		// Results cannot be published while the discussion is on or comments lack answers.
		// The refusal lands back on the consultation's page with the message beside the button, not on a dead end.
		early := lawyer.PostForm(fmt.Sprintf("/admin/consultations/%d/results", id), nil)
		mustStatus(t, early, 422, "early results")
		mustContain(t, early.Body, "early results", `id="results-error"`, "Сначала ответьте на все замечания", "Перевести на этап", "Правила благоустройства")
		badStage := lawyer.PostForm(fmt.Sprintf("/admin/consultations/%d/stage", id), url.Values{"stage": {"nonsense"}})
		mustStatus(t, badStage, 422, "unknown stage")
		mustContain(t, badStage.Body, "unknown stage", `id="stage-error"`, "Такого этапа нет", `aria-invalid="true"`)

		// The drafter answers each comment: one by form, one by API.
		var ids []int64
		rows, err := d.Query(ctx, `SELECT id FROM consultation_comments WHERE consultation_id = ? AND status = 'published' ORDER BY id`, id)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var x int64
			if err := rows.Scan(&x); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, x)
		}
		rows.Close()
		if len(ids) != 2 {
			t.Fatalf("published comments %v", ids)
		}
		mustStatus(t, lawyer.PostForm(fmt.Sprintf("/admin/consult/comments/%d/answer", ids[0]), url.Values{"decision": {"partly"}}), 422, "answer without reason")
		// An answer without a decision comes back on the list with the typed reason kept and the message beside the choice.
		noDecision := lawyer.PostForm(fmt.Sprintf("/admin/consult/comments/%d/answer", ids[0]), url.Values{"reason": {"Обоснование, набранное юристом"},
			"return": {fmt.Sprintf("/admin/consultations/%d/comments", id)}})
		mustStatus(t, noDecision, 422, "answer without decision")
		mustContain(t, noDecision.Body, "answer without decision", "Ответы на замечания и предложения", fmt.Sprintf(`id="decision-%d-error"`, ids[0]),
			"Выберите решение по предложению.", "Обоснование, набранное юристом")
		mustStatus(t, lawyer.PostForm(fmt.Sprintf("/admin/consult/comments/%d/answer", ids[0]), url.Values{"decision": {"partly"}, "reason": {"3 часа — у школ и поликлиник."}}), 303, "answer")
		ans := lawyer.API("POST", fmt.Sprintf("/api/v1/consultations/%d/comments/%d/answer", id, ids[1]), map[string]any{"decision": "noted", "reason": "Учтём в программе благоустройства."})
		mustStatus(t, ans, 200, "API answer")
		if r := resident.API("POST", fmt.Sprintf("/api/v1/consultations/%d/comments/%d/answer", id, ids[1]), map[string]any{"decision": "noted", "reason": "x"}); r.Status != 403 {
			t.Fatalf("a resident answered: %d", r.Status)
		}

		// The stage closes by itself.
		real := d.Now
		t.Cleanup(func() { d.Now = real })
		d.Now = func() time.Time { return real().AddDate(0, 0, 12) }
		if err := a.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		env.Mail.WaitFor(t, "anna@example.ru", "Новый этап обсуждения", 20*time.Second)
		pub = anon.Get(fmt.Sprintf("/consultations/%d", id))
		mustContain(t, pub.Body, "after closing", "Подведение итогов</strong>", "Приём замечаний и предложений сейчас не ведётся")
		closed := anon.PostForm(fmt.Sprintf("/consultations/%d/comments", id), url.Values{"body": {"Поздно"}})
		mustStatus(t, closed, 422, "comment after closing")

		// Summary, conclusion, exports.
		mustStatus(t, anon.Get(fmt.Sprintf("/consultations/%d/summary.xlsx", id)), 404, "export before results")
		mustStatus(t, lawyer.PostForm(fmt.Sprintf("/admin/consultations/%d/results", id), nil), 303, "results")
		env.Mail.WaitFor(t, follower.Email, "Опубликованы итоги", 20*time.Second)
		sum := anon.Get(fmt.Sprintf("/consultations/%d/summary", id))
		mustContain(t, sum.Body, "summary", "Приняли участие 2 участника", "поступило 2 замечания и предложения", "учтено частично", "принято к сведению", "3 часа — у школ и поликлиник.", "Анна Петрова", "Житель", `<th scope="col">Квитанция</th>`)
		x := anon.Get(fmt.Sprintf("/api/v1/consultations/%d/summary.xlsx", id))
		if x.Status != 200 || !strings.HasPrefix(x.Body, "PK") {
			t.Fatalf("xlsx: %d", x.Status)
		}
		p := anon.Get(fmt.Sprintf("/consultations/%d/summary.pdf", id))
		if p.Status != 200 || !strings.HasPrefix(p.Body, "%PDF") {
			t.Fatalf("pdf: %d", p.Status)
		}
		// Exports are reused until the summary changes.
		rev, _ := a.Store.Revision(ctx, id)
		if again := anon.Get(fmt.Sprintf("/consultations/%d/summary.pdf", id)); again.Body != p.Body {
			t.Fatal("an unchanged summary must be served from the kept file")
		}
		mustStatus(t, lawyer.API("POST", fmt.Sprintf("/api/v1/consultations/%d/comments/%d/answer", id, ids[1]), map[string]any{"decision": "accepted", "reason": "Урны будут установлены."}), 200, "changed answer")
		if rev2, _ := a.Store.Revision(ctx, id); rev2 <= rev {
			t.Fatal("a changed answer must change the revision, so exports are rebuilt")
		}
		j := anon.Get(fmt.Sprintf("/api/v1/consultations/%d", id))
		mustContain(t, j.Body, "API detail", `"results_published": true`, `"decision": "partly"`, `"decision": "accepted"`, `"stage": "summary"`, "Анна Петрова")
		if strings.Contains(j.Body, "anna@example.ru") {
			t.Fatal("API leaks e-mail")
		}
		list := anon.Get("/api/v1/consultations")
		mustContain(t, list.Body, "API list", `"kind": "discussion"`, fmt.Sprintf(`"url": "/consultations/%d"`, id))

		// Final version and its diff.
		final := strings.Replace(testDraft, "в течение 6 часов", "в течение 6 часов, у школ и поликлиник — 3 часов", 1)
		mustStatus(t, lawyer.PostForm(fmt.Sprintf("/admin/consultations/%d/versions", id), url.Values{"body": {final}, "final": {"yes"}, "note": {"Итоговая"}}), 303, "final version")
		diff := anon.Get(fmt.Sprintf("/consultations/%d/diff", id))
		mustContain(t, diff.Body, "diff", "<ins>", "у школ и поликлиник — 3 часов", "[добавлено: ")

		// Every staff change is in the audit log.
		for _, action := range []string{"consultation.create", "consultation.publish", "comment.moderate", "participant.block", "comment.answer", "consultation.results", "consultation.version", "consultation.stage"} {
			var n int
			if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = ?`, action).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				t.Errorf("no audit entry %s", action)
			}
		}
		// Feed and search index.
		feed := anon.Get("/consultations/feed.atom")
		mustContain(t, feed.Body, "feed", "<feed", "Правила благоустройства")
		var indexed int
		var body string
		if err := d.QueryRow(ctx, `SELECT COUNT(*), MAX(body) FROM search_docs WHERE type = 'consultation' AND object_id = ?`, fmt.Sprint(id)).Scan(&indexed, &body); err != nil || indexed != 1 {
			t.Fatalf("search documents %d: %v", indexed, err)
		}
		if !strings.Contains(body, "Тротуары очищаются") || strings.Contains(body, "Анна") || strings.Contains(body, "anna@example.ru") {
			t.Errorf("the search document must hold the draft and no participant: %q", body)
		}
		// Withdrawing removes it from the index.
		mustStatus(t, lawyer.PostForm(fmt.Sprintf("/admin/consultations/%d/publish", id), url.Values{"action": {"withdraw"}}), 303, "withdraw")
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM search_docs WHERE type = 'consultation' AND object_id = ?`, fmt.Sprint(id)).Scan(&indexed); err != nil {
			t.Fatal(err)
		}
		if indexed != 0 {
			t.Error("a withdrawn consultation stays in the search index")
		}
		mustStatus(t, anon.Get(fmt.Sprintf("/consultations/%d", id)), 404, "withdrawn page")
	})
}

// TestExpertiseScenario: an expert registers, is verified, submits a
// structured conclusion, and the drafter answers within the 30-day term.
func TestExpertiseScenario(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		env.Server()
		c := seed(t, env, a, KindExpertise, testDraft)
		sec := env.Anonymous().Get("/expertise")
		mustContain(t, sec.Body, "expertise section", "Независимая антикоррупционная экспертиза", c.Title, "не менее 7 дней")

		expert := env.Client("", auth.Resident)
		form := expert.Get(fmt.Sprintf("/consultations/%d/conclusion", c.ID))
		mustContain(t, form.Body, "unverified form", "аккредитация проверена администрацией")
		bad := expert.PostForm("/expertise/register", url.Values{"kind": {"organisation"}, "name": {"АНО «Экспертиза»"}, "accreditation_date": {"2099-01-01"}})
		mustStatus(t, bad, 422, "bad registration")
		mustContain(t, bad.Body, "bad registration", "номер распоряжения", "в будущем", "Перечислите экспертов", "АНО «Экспертиза»")
		mustStatus(t, expert.PostForm("/expertise/register", url.Values{"kind": {"person"}, "name": {"Иванов Иван Иванович"}, "accreditation_number": {"2345-р"}, "accreditation_date": {"2024-02-01"}}), 303, "registration")

		lawyer := env.Client("legal", auth.Lawyer)
		list := lawyer.Get("/admin/consult/experts")
		mustContain(t, list.Body, "experts", "Иванов Иван Иванович", "2345-р", "ожидает проверки")
		var eid int64
		var expertEmail string
		if err := d.QueryRow(context.Background(), `SELECT e.id, a.email FROM consult_experts e JOIN accounts a ON a.id = e.account_id`).Scan(&eid, &expertEmail); err != nil {
			t.Fatal(err)
		}
		mustContain(t, list.Body, "experts' addresses for staff", expertEmail)
		// A refusal lands back on the experts' list, beside this expert's form, with the choice kept.
		noReason := lawyer.PostForm(fmt.Sprintf("/admin/consult/experts/%d", eid), url.Values{"status": {"rejected"}})
		mustStatus(t, noReason, 422, "reject an expert without a reason")
		mustContain(t, noReason.Body, "reject an expert without a reason", "Независимые эксперты", fmt.Sprintf(`id="reason-%d-error"`, eid), "Укажите причину отказа", `value="rejected" checked`)
		noChoice := lawyer.PostForm(fmt.Sprintf("/admin/consult/experts/%d", eid), url.Values{"reason": {"Набранная причина"}})
		mustStatus(t, noChoice, 422, "expert decision without a choice")
		mustContain(t, noChoice.Body, "expert decision without a choice", fmt.Sprintf(`id="expert-%d-error"`, eid), "Выберите решение", `value="Набранная причина"`)
		mustStatus(t, lawyer.PostForm(fmt.Sprintf("/admin/consult/experts/%d", eid), url.Values{"status": {"verified"}}), 303, "verify")

		empty := expert.PostForm(fmt.Sprintf("/consultations/%d/conclusion", c.ID), url.Values{"provisions_3.2": {"п. 1.2"}})
		mustStatus(t, empty, 422, "half a factor")
		mustContain(t, empty.Body, "half a factor", "Предложите способ устранения фактора 3.2", "п. 1.2")
		mustStatus(t, expert.PostForm(fmt.Sprintf("/consultations/%d/conclusion", c.ID), url.Values{
			"provisions_3.2": {"п. 1.2 «вправе изменить границы»"}, "proposal_3.2": {"Перечислить основания и сроки."},
			"body": {"Выявлен фактор 3.2."}}), 303, "conclusion")
		page := env.Anonymous().Get(c.URL())
		due := ExpertiseDue(a.Calendars.Shipped(), a.Rules, a.today(env.Municipality))
		mustContain(t, page.Body, "public conclusion", "Независимый эксперт", "3.2 — определение компетенции", "Перечислить основания и сроки.", "Ответ администрации — до "+due.Russian())
		if strings.Contains(page.Body, "Иванов") {
			t.Fatal("the expert chose not to be named")
		}
		var kid int64
		if err := d.QueryRow(context.Background(), `SELECT id FROM consult_conclusions`).Scan(&kid); err != nil {
			t.Fatal(err)
		}
		mustContain(t, lawyer.Get("/admin/consult/conclusions").Body, "due list", c.Title, due.Russian())
		emptyAnswer := lawyer.PostForm(fmt.Sprintf("/admin/consult/conclusions/%d/answer", kid), url.Values{"answer": {"  "}})
		mustStatus(t, emptyAnswer, 422, "empty answer to a conclusion")
		mustContain(t, emptyAnswer.Body, "empty answer to a conclusion", fmt.Sprintf(`id="answer-%d-error"`, kid), "Напишите мотивированный ответ", "Заключения экспертов")
		mustStatus(t, lawyer.PostForm(fmt.Sprintf("/admin/consult/conclusions/%d/answer", kid), url.Values{"answer": {"Пункт 1.2 изменён: основания перечислены."}}), 303, "answer conclusion")
		mustContain(t, env.Anonymous().Get(c.URL()).Body, "answered", "Мотивированный ответ администрации", "Пункт 1.2 изменён")

		// The wording check API.
		wc := env.Anonymous().API("POST", "/api/v1/wording-check", map[string]string{"text": "Уполномоченный орган вправе отказать. Заявитель вправе обжаловать."})
		mustStatus(t, wc, 200, "wording check")
		var out struct {
			Findings []struct {
				Factor, Rule, Excerpt, Advice string
				Start, End                    int
			}
		}
		wc.JSON(t, &out)
		if len(out.Findings) != 1 || out.Findings[0].Factor != "3.2" || out.Findings[0].Excerpt != "вправе" || out.Findings[0].Start != 21 {
			t.Fatalf("findings %+v", out.Findings)
		}
		// Lawyers edit the rules; a broken rule is refused with the line.
		r := lawyer.PostForm("/admin/consult/wording", url.Values{"rules": {"правило: x\nфактор: 3\n"}})
		mustStatus(t, r, 422, "broken rules")
		mustContain(t, r.Body, "broken rules", "строка 2")
		mustStatus(t, lawyer.PostForm("/admin/consult/wording", url.Values{"rules": {"правило: discretion\nфактор: 3.1\nназвание: Усмотрение\nшаблон: по\\s+усмотрению\nсовет: Уберите усмотрение.\n"}}), 303, "save rules")
		wc = env.Anonymous().API("POST", "/api/v1/wording-check", map[string]string{"text": "Орган вправе по усмотрению отказать."})
		mustContain(t, wc.Body, "custom rules", `"rule": "discretion"`)
		if strings.Contains(wc.Body, `"3.2"`) {
			t.Fatal("the municipality's own rules replace the defaults")
		}
	})
}

func TestDeclarationGoalsAndSettings(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		env.Server()
		c := seed(t, env, a, KindDeclaration, "1. Благоустроить дворы.\n")
		lawyer := env.Client("legal", auth.Lawyer)
		mustStatus(t, lawyer.PostForm(fmt.Sprintf("/admin/consultations/%d/goals", c.ID), url.Values{"goal_title": {"Дворы"}}), 422, "goal without indicator")
		mustStatus(t, lawyer.PostForm(fmt.Sprintf("/admin/consultations/%d/goals", c.ID), url.Values{"goal_title": {"Комфортная среда"}, "goal_department": {fmt.Sprint(env.Departments["housing"])},
			"goal_indicator": {"Благоустроено дворов"}, "goal_unit": {"шт."}, "goal_target": {"15"}}), 303, "goal")
		var gid int64
		if err := d.QueryRow(context.Background(), `SELECT id FROM consult_goals`).Scan(&gid); err != nil {
			t.Fatal(err)
		}
		other := env.Client("press", auth.Editor)
		mustStatus(t, other.PostForm(fmt.Sprintf("/admin/consult/goals/%d/progress", gid), url.Values{"on_date": {"2026-06-30"}, "actual": {"5"}}), 422, "another department's goal")
		own := env.Client("housing", auth.Editor)
		// The probe stored 3 MB in each field and grew the public page to 9 MB.
		long := own.PostForm(fmt.Sprintf("/admin/consult/goals/%d/progress", gid), url.Values{"on_date": {"2026-06-30"}, "actual": {"5"}, "comment": {strings.Repeat("к", 2001)}})
		mustStatus(t, long, 422, "a comment over the limit")
		// The refusal is shown beside the goal's form, with what was typed, not on a dead end.
		mustContain(t, long.Body, "a comment over the limit", fmt.Sprintf(`id="progress-%d-error"`, gid), "не длиннее 2000", `value="2026-06-30"`, "Цели декларации")
		mustStatus(t, own.PostForm(fmt.Sprintf("/admin/consult/goals/%d/progress", gid), url.Values{"on_date": {"2026-06-30"}, "actual": {strings.Repeat("5", 100<<10)}}), 413, "a 100 KB form")
		mustStatus(t, own.PostForm(fmt.Sprintf("/admin/consult/goals/%d/progress", gid), url.Values{"on_date": {"2026-06-30"}, "planned": {"6"}, "actual": {"5"}, "comment": {"Один двор перенесён."}}), 303, "progress")
		page := env.Anonymous().Get(c.URL())
		mustContain(t, page.Body, "declaration page", "Цели и ход их достижения", "Комфортная среда", "<caption>Ход достижения цели «Комфортная среда»</caption>", "Один двор перенесён.")

		admin := env.Client("affairs", auth.Administrator)
		r := admin.PostForm("/admin/consult/settings", url.Values{"word_list": {"ок\nа*\n"}, "moderation_rules": {"Будьте вежливы."}})
		mustStatus(t, r, 422, "bad word list")
		mustContain(t, r.Body, "bad word list", "строка 2", "Будьте вежливы.")
		mustStatus(t, admin.PostForm("/admin/consult/settings", url.Values{"word_list": {"бюрократ*\n"}, "moderation_rules": {"Будьте вежливы."}}), 303, "settings")
		mustStatus(t, lawyer.Get("/admin/consult/settings"), 403, "lawyer on settings")
		// The edited list is used at once.
		resident := env.Client("", auth.Resident)
		mustStatus(t, resident.PostForm(c.URL()+"/comments", url.Values{"body": {"Бюрократы!"}, "author_kind": {"resident"}}), 303, "comment")
		var status string
		if err := d.QueryRow(context.Background(), `SELECT status FROM consultation_comments`).Scan(&status); err != nil {
			t.Fatal(err)
		}
		if status != StatusHeld {
			t.Fatalf("status %q, want held by the edited list", status)
		}
		mustContain(t, env.Anonymous().Get(c.URL()).Body, "rules shown", "Будьте вежливы.")
	})
}
