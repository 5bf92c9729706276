package acts

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/webtest"
)

var pdf = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// upload posts a multipart form with one file as client c.
func upload(t *testing.T, env *webtest.Env, c *webtest.Client, path string, fields url.Values, name string, content []byte) webtest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	if content != nil {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(content)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, env.URL()+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req)
}

// noInlineCode checks what the Content-Security-Policy would block.
func noInlineCode(t *testing.T, page, body string) {
	t.Helper()
	for _, bad := range []string{"<script", ` style="`, " onclick=", " onload="} {
		if strings.Contains(body, bad) {
			t.Errorf("%s contains %q, which the CSP forbids", page, bad)
		}
	}
}

func TestPublicPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		env, a := newArea(t, d)
		anon := env.Anonymous()
		ac := system(env)
		act := saveAct(t, a, ac, Act{Kind: "order", Number: "118", Date: "2018-03-07", Title: "Об утверждении дорожной карты открытости", Status: StatusInForce,
			Spheres: []string{"education"}, Published: true, Text: "## Распоряжаюсь\n\n1. Утвердить план."})
		draft := saveAct(t, a, ac, Act{Kind: "resolution", Number: "9", Date: "2019-01-15", Title: "Секретный проект", Status: StatusDraft})
		text := Explanation{Format: FormatText, Title: "Коротко о главном", Body: "Администрация будет работать открыто. Мы будем объяснять решения простыми словами.", Published: true}
		mind := Explanation{Format: FormatMindMap, Title: "Карта открытости", Body: "# Открытость\n- Сайт\n- Обсуждения", Published: true}
		meta, err := a.Files.Save(ctx, env.Municipality.ID, 0, "Распоряжение №118.pdf", bytes.NewReader(pdf), files.PDF)
		if err != nil {
			t.Fatal(err)
		}
		env.Server()
		err = d.InTx(ctx, func(tx *db.Tx) error {
			for _, x := range []*Explanation{&text, &mind} {
				if err := a.SaveExplanation(ctx, tx, ac, &act, nil, x); err != nil {
					return err
				}
			}
			return a.Store.AddAttachment(ctx, tx, act.ID, meta.ID, "Текст распоряжения")
		})
		if err != nil {
			t.Fatal(err)
		}

		r := anon.Get("/acts?year=2018")
		if r.Status != 200 || !strings.Contains(r.Body, act.Title) || strings.Contains(r.Body, draft.Title) || !strings.Contains(r.Body, `<option value="2018" selected>`) {
			t.Fatalf("list: %d\n%s", r.Status, r.Body)
		}
		noInlineCode(t, "/acts", r.Body)
		if !strings.Contains(r.Body, `<link rel="alternate" type="application/atom+xml" title="Муниципальные правовые акты" href="/acts/feed.atom">`) {
			t.Error("the list does not advertise its feed")
		}
		feed := anon.Get("/acts/feed.atom")
		if feed.Status != 200 || !strings.HasPrefix(feed.Header.Get("Content-Type"), "application/atom+xml") || !strings.Contains(feed.Body, "<feed xmlns=\"http://www.w3.org/2005/Atom\"") ||
			!strings.Contains(feed.Body, "http://portal.test"+act.URL()) || strings.Contains(feed.Body, draft.Title) {
			t.Fatalf("feed: %d\n%s", feed.Status, feed.Body)
		}
		if r := anon.Get("/acts?year=2019"); !strings.Contains(r.Body, "По этим условиям актов нет") {
			t.Fatal("empty filter result not explained")
		}

		r = anon.Get(act.URL())
		if r.Status != 200 {
			t.Fatalf("act page: %d", r.Status)
		}
		for _, want := range []string{"Распоряжение администрации от 07.03.2018 № 118", "Действует", "Коротко о главном", "Понятность текста",
			"Оборневой", act.URL() + "/explanations/" + itoa(mind.ID) + "/mindmap.svg", "<li>Сайт</li>", "Текст распоряжения", "<h3", "Аудиоверсия этого пояснения готовится"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("act page lacks %q", want)
			}
		}
		noInlineCode(t, act.URL(), r.Body)

		if r := anon.Get(draft.URL()); r.Status != 404 {
			t.Fatalf("draft act shown to the public: %d", r.Status)
		}
		lawyer := env.Client("legal", auth.Lawyer)
		if r := lawyer.Get(draft.URL()); r.Status != 200 || !strings.Contains(r.Body, "Акт не опубликован") {
			t.Fatalf("staff preview of a draft: %d", r.Status)
		}

		svg := anon.Get(act.URL() + "/explanations/" + itoa(mind.ID) + "/mindmap.svg")
		if svg.Status != 200 || !strings.HasPrefix(svg.Header.Get("Content-Type"), "image/svg+xml") || !strings.HasPrefix(svg.Body, "<svg") || !strings.Contains(svg.Body, "Обсуждения") {
			t.Fatalf("mind map: %d %s", svg.Status, svg.Header.Get("Content-Type"))
		}
		if r := anon.Get(act.URL() + "/explanations/" + itoa(text.ID) + "/mindmap.svg"); r.Status != 404 {
			t.Fatalf("a text explanation drawn as a mind map: %d", r.Status)
		}

		f := anon.Get(fmt.Sprintf("%s/files/%d", act.URL(), meta.ID))
		if f.Status != 200 || f.Body != string(pdf) || f.Header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(f.Header.Get("Content-Disposition"), "attachment; filename*=utf-8''") {
			t.Fatalf("download: %d %q %q", f.Status, f.Header.Get("Content-Type"), f.Header.Get("Content-Disposition"))
		}
		if r := anon.Get(fmt.Sprintf("%s/files/%d", draft.URL(), meta.ID)); r.Status != 404 {
			t.Fatalf("a file through another act: %d", r.Status)
		}

		if r := anon.Get("/admin/acts"); r.Status != http.StatusSeeOther {
			t.Fatalf("anonymous admin: %d", r.Status)
		}
		if r := env.Client("", auth.Resident).Get("/admin/acts"); r.Status != http.StatusForbidden {
			t.Fatalf("resident admin: %d", r.Status)
		}
	})
}

func TestAdminForms(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		env, a := newArea(t, d)
		lawyer := env.Client("legal", auth.Lawyer)
		anon := env.Anonymous()

		r := lawyer.PostForm("/admin/acts", url.Values{"title": {"Об отоплении"}, "kind": {"resolution"}, "status": {StatusInForce}, "date": {"31.02.2020"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Исправьте ошибки") || !strings.Contains(r.Body, `href="#number"`) ||
			!strings.Contains(r.Body, `href="#date"`) || !strings.Contains(r.Body, "Об отоплении</textarea>") || !strings.Contains(r.Body, `value="31.02.2020"`) {
			t.Fatalf("invalid act form: %d\n%s", r.Status, r.Body)
		}
		noInlineCode(t, "/admin/acts", r.Body)

		form := url.Values{"kind": {"resolution"}, "number": {"301"}, "date": {"2020-03-10"}, "title": {"О порядке уборки снега"}, "status": {StatusInForce},
			"spheres": {"housing"}, "text": {"Текст постановления."}, "published": {"yes"}, "department": {strconv.FormatInt(env.Departments["housing"], 10)}}
		r = lawyer.PostForm("/admin/acts", form)
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/admin/acts/") {
			t.Fatalf("create act: %d %s", r.Status, r.Body)
		}
		oldID, _ := strconv.ParseInt(strings.TrimPrefix(r.Header.Get("Location"), "/admin/acts/"), 10, 64)
		if r := lawyer.PostForm("/admin/acts", form); r.Status != 422 || !strings.Contains(r.Body, "уже есть в реестре") {
			t.Fatalf("duplicate act: %d", r.Status)
		}
		form.Set("number", "555")
		form.Set("date", "2022-11-01")
		form.Set("title", "О порядке уборки снега в новой редакции")
		r = lawyer.PostForm("/admin/acts", form)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("create second act: %d %s", r.Status, r.Body)
		}
		newPath := r.Header.Get("Location")
		newID, _ := strconv.ParseInt(strings.TrimPrefix(newPath, "/admin/acts/"), 10, 64)
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'act' AND action = 'create' AND actor = ?`, lawyer.Account.Email); n != 2 {
			t.Fatalf("creations audited: %d", n)
		}
		if r := lawyer.Get(newPath); r.Status != 200 || !strings.Contains(r.Body, "О порядке уборки снега в новой редакции") {
			t.Fatalf("edit page: %d", r.Status)
		}

		// Links by citation.
		if r := lawyer.PostForm(newPath+"/links", url.Values{"link_kind": {LinkRepeals}, "link_to": {"№ 999 от 01.01.2019"}}); r.Status != 422 || !strings.Contains(r.Body, "нет в реестре") {
			t.Fatalf("link to a missing act: %d", r.Status)
		}
		if r := lawyer.PostForm(newPath+"/links", url.Values{"link_kind": {LinkRepeals}, "link_to": {"№ 301 от 10.03.2020"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("link: %d %s", r.Status, r.Body)
		}
		old, _ := a.Store.GetAct(ctx, d, env.Municipality.ID, oldID)
		if old.Status != StatusRepealed {
			t.Fatalf("repealed act has status %s", old.Status)
		}
		if r := anon.Get(old.URL()); !strings.Contains(r.Body, "Этот акт признан утратившим силу актом") || !strings.Contains(r.Body, "Утратил силу") {
			t.Fatal("the repealed act's page does not say so")
		}

		// Attachments: PDF and DOCX only.
		if r := upload(t, env, lawyer, newPath+"/files", url.Values{"file_title": {"Текст"}}, "act.png", DemoChart([]int{1})); r.Status != 422 || !strings.Contains(r.Body, "Недопустимый тип файла") {
			t.Fatalf("PNG as an act's file: %d", r.Status)
		}
		if r := upload(t, env, lawyer, newPath+"/files", url.Values{"file_title": {"Текст постановления"}}, "act.pdf", pdf); r.Status != http.StatusSeeOther {
			t.Fatalf("attach PDF: %d %s", r.Status, r.Body)
		}
		if r := anon.Get(fmt.Sprintf("/acts/%d", newID)); !strings.Contains(r.Body, "Текст постановления") || !strings.Contains(r.Body, "(PDF,") {
			t.Fatal("attachment not on the act page")
		}

		// Explanations: an infographic needs its text alternative.
		base := newPath + "/explanations"
		r = upload(t, env, lawyer, base, url.Values{"format": {FormatInfographic}, "title": {"Схема уборки"}, "published": {"yes"}}, "chart.png", DemoChart([]int{30, 60}))
		if r.Status != 422 || !strings.Contains(r.Body, "Опишите изображение словами") || !strings.Contains(r.Body, `value="Схема уборки"`) {
			t.Fatalf("infographic without alt: %d\n%s", r.Status, r.Body)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM files`); n != 1 {
			t.Fatalf("an upload of a rejected form was stored: %d files", n)
		}
		r = upload(t, env, lawyer, base, url.Values{"format": {FormatInfographic}, "title": {"Схема уборки"}, "body": {"Снег убирают за 6 часов."}, "published": {"yes"}}, "chart.png", DemoChart([]int{30, 60}))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("infographic: %d %s", r.Status, r.Body)
		}
		r = lawyer.PostForm(base, url.Values{"format": {FormatText}, "title": {"Кто убирает снег"}, "body": {"Снег во дворах убирает управляющая компания."}, "published": {"yes"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("text explanation: %d %s", r.Status, r.Body)
		}
		page := anon.Get(fmt.Sprintf("/acts/%d", newID)).Body
		if !strings.Contains(page, "Кто убирает снег") {
			t.Fatalf("explanations not on the page:\n%s", page)
		}
		// The infographic's description is open to everyone, not only with
		// images turned off.
		if !strings.Contains(page, `<details class="infographic-text"><summary>Текстовое описание</summary><p>Снег убирают за 6 часов.</p></details>`) ||
			!strings.Contains(page, `alt="Инфографика «Схема уборки», текстовое описание — под изображением"`) {
			t.Fatalf("infographic description not reachable:\n%s", page)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'explanation'`); n != 2 {
			t.Fatalf("explanations audited: %d", n)
		}
		// Video: an upload plays in the page; a transcript is required.
		mp4 := append([]byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"), make([]byte, 64)...)
		if r := upload(t, env, lawyer, base, url.Values{"format": {FormatVideo}, "title": {"Видео об уборке"}}, "snow.mp4", mp4); r.Status != 422 || !strings.Contains(r.Body, "Приложите расшифровку видео") {
			t.Fatalf("video without transcript: %d", r.Status)
		}
		r = upload(t, env, lawyer, base, url.Values{"format": {FormatVideo}, "title": {"Видео об уборке"}, "body": {"Диктор: снег убирают ночью."}, "published": {"yes"}}, "snow.mp4", mp4)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("video: %d %s", r.Status, r.Body)
		}
		if page := anon.Get(fmt.Sprintf("/acts/%d", newID)).Body; !strings.Contains(page, "<video controls") || !strings.Contains(page, "Диктор: снег убирают ночью.") {
			t.Fatal("uploaded video or its transcript not on the page")
		}
		if r := lawyer.Get(base + "/new?format=mindmap"); r.Status != 200 || !strings.Contains(r.Body, "Схема в виде списка") {
			t.Fatalf("mind map form: %d", r.Status)
		}

		// A practice review cites acts by number and date.
		r = lawyer.PostForm("/admin/practice-reviews", url.Values{"title": {"Обзор за 2022 год"}, "from": {"2022-01-01"}, "to": {"2022-12-31"},
			"acts": {"№ 555 от 01.11.2022\nнепонятно что"}, "text": {"Решений судов нет."}, "published": {"yes"}})
		if r.Status != 422 || !strings.Contains(r.Body, "Не удалось разобрать") {
			t.Fatalf("review with a bad citation: %d", r.Status)
		}
		r = lawyer.PostForm("/admin/practice-reviews", url.Values{"title": {"Обзор за 2022 год"}, "from": {"2022-01-01"}, "to": {"2022-12-31"},
			"acts": {"№ 555 от 01.11.2022"}, "text": {"Решений судов нет."}, "published": {"yes"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("review: %d %s", r.Status, r.Body)
		}
		if r := anon.Get("/practice-reviews"); !strings.Contains(r.Body, "Обзор за 2022 год") {
			t.Fatal("review not listed")
		}
		if r := anon.Get(fmt.Sprintf("/acts/%d", newID)); !strings.Contains(r.Body, "Правоприменительная практика") {
			t.Fatal("the act page does not link its review")
		}
	})
}

func TestAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, _ := newArea(t, d)
		lawyer := env.Client("legal", auth.Lawyer)
		resident := env.Client("", auth.Resident)
		anon := env.Anonymous()
		body := map[string]any{"kind": "resolution", "number": "42", "date": "2024-02-01", "title": "О тарифах на вывоз мусора",
			"text": "## Текст\n\nТарифы.", "status": "действует", "spheres": []string{"housing"}, "published": true}

		if r := anon.API("POST", "/api/v1/acts", body); r.Status != 401 {
			t.Fatalf("anonymous POST: %d", r.Status)
		}
		if r := resident.API("POST", "/api/v1/acts", body); r.Status != 403 {
			t.Fatalf("resident POST: %d", r.Status)
		}
		r := lawyer.API("POST", "/api/v1/acts", body)
		if r.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		var created struct {
			ID     int64    `json:"id"`
			URL    string   `json:"url"`
			Status string   `json:"status"`
			Spher  []string `json:"spheres"`
			HTML   string   `json:"html"`
		}
		r.JSON(t, &created)
		if created.ID == 0 || created.URL != fmt.Sprintf("http://portal.test/acts/%d", created.ID) || created.Status != StatusInForce || !strings.Contains(created.HTML, "<h3>") {
			t.Fatalf("created: %+v", created)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'act' AND actor = ?`, lawyer.Account.Email); n != 1 {
			t.Fatalf("API change not audited: %d", n)
		}

		bad := map[string]any{"kind": "указ", "number": "", "date": "2024-13-01", "title": "Т", "status": "draft", "spheres": []string{"moon"}, "published": true, "colour": "red"}
		r = lawyer.API("POST", "/api/v1/acts", bad)
		var verr struct {
			Error struct {
				Code   string            `json:"code"`
				Fields map[string]string `json:"fields"`
			} `json:"error"`
		}
		r.JSON(t, &verr)
		if r.Status != 422 || verr.Error.Code != "invalid" || verr.Error.Fields["colour"] == "" {
			t.Fatalf("unknown field: %d %s", r.Status, r.Body)
		}
		delete(bad, "colour")
		r = lawyer.API("POST", "/api/v1/acts", bad)
		verr.Error.Fields = nil
		r.JSON(t, &verr)
		for _, f := range []string{"kind", "number", "date", "spheres", "published"} {
			if verr.Error.Fields[f] == "" {
				t.Errorf("no error on %s: %s", f, r.Body)
			}
		}
		if r := lawyer.API("POST", "/api/v1/acts", map[string]any{"kind": "resolution", "number": 42}); r.Status != 422 || !strings.Contains(r.Body, "Ожидается строка") {
			t.Fatalf("wrong type: %d %s", r.Status, r.Body)
		}
		if r := lawyer.API("POST", "/api/v1/acts", body); r.Status != 422 || !strings.Contains(r.Body, `"number"`) {
			t.Fatalf("duplicate: %d %s", r.Status, r.Body)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM acts`); n != 1 {
			t.Fatalf("rejected requests saved acts: %d", n)
		}

		path := fmt.Sprintf("/api/v1/acts/%d", created.ID)
		if r := lawyer.API("PATCH", path, map[string]any{"kind": "нет такого", "title": "Новое название"}); r.Status != 422 {
			t.Fatalf("bad patch: %d", r.Status)
		}
		r = lawyer.API("PATCH", path, map[string]any{"status": "утратил силу", "title": "О тарифах на вывоз твёрдых коммунальных отходов"})
		if r.Status != 200 || !strings.Contains(r.Body, `"status": "repealed"`) || !strings.Contains(r.Body, "твёрдых коммунальных") || !strings.Contains(r.Body, `"number": "42"`) {
			t.Fatalf("patch: %d %s", r.Status, r.Body)
		}
		r = lawyer.API("POST", path, map[string]any{"published": false})
		if r.Status != 200 || !strings.Contains(r.Body, `"published": false`) {
			t.Fatalf("patch through POST: %d %s", r.Status, r.Body)
		}
		if r := anon.API("GET", path, nil); r.Status != 404 {
			t.Fatalf("unpublished act through the API: %d", r.Status)
		}
		if r := lawyer.API("GET", path, nil); r.Status != 200 {
			t.Fatalf("staff read of an unpublished act: %d", r.Status)
		}
		if r := anon.API("PATCH", path, map[string]any{"published": true}); r.Status != 401 {
			t.Fatalf("anonymous PATCH: %d", r.Status)
		}
		lawyer.API("PATCH", path, map[string]any{"published": true})
		r = anon.API("GET", "/api/v1/acts?sphere=housing&year=2024", nil)
		var list struct {
			Total int `json:"total"`
			Acts  []struct {
				ID    int64  `json:"id"`
				Title string `json:"title"`
			} `json:"acts"`
		}
		r.JSON(t, &list)
		if r.Status != 200 || list.Total != 1 || list.Acts[0].ID != created.ID {
			t.Fatalf("list: %d %s", r.Status, r.Body)
		}
		for _, p := range []string{"GET /api/v1/acts", "GET /api/v1/acts/{id}", "POST /api/v1/acts", "PATCH /api/v1/acts/{id}"} {
			m, pth, _ := strings.Cut(p, " ")
			if !env.API.Has(m, pth) {
				t.Errorf("%s not in the OpenAPI document", p)
			}
		}
	})
}
