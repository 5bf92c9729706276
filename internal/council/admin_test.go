package council

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

func TestAdminFlow(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		ctx := context.Background()
		staff := env.Client("", auth.Editor)
		events := func(kind string) int {
			return dbtest.Count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = ?`, kind)
		}
		// A rejected form keeps what was typed.
		r := staff.PostForm("/admin/council/documents", url.Values{"doc_title": {"Положение о совете"}, "doc_date": {"14.02.2024"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `value="Положение о совете"`) || !strings.Contains(r.Body, "ГГГГ-ММ-ДД") {
			t.Fatalf("invalid regulations: %d", r.Status)
		}
		for i := 0; i < 2; i++ {
			r = staff.PostForm("/admin/council/documents", url.Values{"doc_title": {"Положение о совете"}, "doc_number": {"12"}, "doc_date": {"2024-02-14"}, "doc_url": {"https://example.ru/a"}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("regulations: %d %s", r.Status, r.Body)
			}
		}
		if events("council.regulations_approved") != 2 || events("council.section_published") != 1 {
			t.Fatalf("regulations events: %d, section %d", events("council.regulations_approved"), events("council.section_published"))
		}
		if r := staff.PostForm("/admin/council/compositions", url.Values{"comp_title": {"Первый созыв"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("composition: %d", r.Status)
		}
		comps, _ := a.Store.Compositions(ctx, env.Municipality.ID)
		cid := comps[0].ID
		memberURL := env.URL() + fmt.Sprintf("/admin/council/compositions/%d/members", cid)
		fields := map[string]string{"member_name": "Иванов И. И.", "member_position": "chair", "member_represents": "Совет ветеранов"}
		if r := staff.Do(multipartReq(t, memberURL, fields, pngBytes(t))); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Опишите фотографию") || !strings.Contains(r.Body, `value="Иванов И. И."`) {
			t.Fatalf("photo without alt: %d", r.Status)
		}
		fields["member_alt"] = "Иванов на фоне здания администрации"
		if r := staff.Do(multipartReq(t, memberURL, fields, []byte("not an image"))); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "JPEG или PNG") {
			t.Fatalf("text as photo: %d", r.Status)
		}
		if r := staff.Do(multipartReq(t, memberURL, fields, pngBytes(t))); r.Status != http.StatusSeeOther {
			t.Fatalf("member: %d %s", r.Status, r.Body)
		}
		comps, _ = a.Store.Compositions(ctx, env.Municipality.ID)
		photoPath := fmt.Sprintf("/council/members/%d/photo", comps[0].Members[0].ID)
		if r := env.Anonymous().Get(photoPath); r.Status != http.StatusNotFound {
			t.Fatalf("photo of a draft composition: %d", r.Status)
		}
		if r := staff.PostForm(fmt.Sprintf("/admin/council/compositions/%d/approve", cid), url.Values{"act_number": {"5"}, "act_date": {"2024-03-01"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("approve: %d", r.Status)
		}
		if events("council.composition_approved") != 1 {
			t.Fatal("no composition event")
		}
		if r := env.Anonymous().Get("/council"); !strings.Contains(r.Body, "Иванов И. И.") || !strings.Contains(r.Body, "председатель") || !strings.Contains(r.Body, `alt="Иванов на фоне здания администрации"`) {
			t.Fatal("the approved composition is not on /council")
		}
		if r := env.Anonymous().Get(photoPath); r.Status != http.StatusOK || r.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("photo: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		// Plan: a moved item needs a reason.
		if r := staff.PostForm("/admin/council/plan/items", url.Values{"item_year": {"2026"}, "item_quarter": {"2"}, "item_title": {"Отчёт главы"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("plan item: %d", r.Status)
		}
		p, err := a.Store.PlanFor(ctx, env.Municipality.ID, 2026)
		if err != nil || len(p.Items) != 1 {
			t.Fatalf("plan: %v %+v", err, p)
		}
		if r := staff.PostForm(fmt.Sprintf("/admin/council/plan-items/%d", p.Items[0].ID), url.Values{"status": {"moved"}}); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("moved without reason: %d", r.Status)
		}
		if r := staff.PostForm("/admin/council/plan/approve", url.Values{"plan_year": {"2026"}, "plan_number": {"7"}, "plan_date": {"2026-01-20"}}); r.Status != http.StatusSeeOther || events("council.plan_approved") != 1 {
			t.Fatalf("plan approve: %d", r.Status)
		}
		// A past open meeting: minutes record that it was held, once.
		r = staff.PostForm("/admin/council/meetings", url.Values{"kind": {"open"}, "title": {"Открытое"}, "starts_at": {"2026-11-20T15:00"}, "place": {"Зал"}, "capacity": {"10"}, "video_url": {"javascript:alert(1)"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad video link: %d", r.Status)
		}
		r = staff.PostForm("/admin/council/meetings", url.Values{"kind": {"open"}, "title": {"Открытое"}, "starts_at": {"2026-11-20T15:00"}, "place": {"Зал"}, "capacity": {"10"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("meeting: %d %s", r.Status, r.Body)
		}
		loc := r.Header.Get("Location")
		for i := 0; i < 2; i++ {
			if r := staff.PostForm(loc+"/minutes", url.Values{"minutes": {"Протокол заседания"}}); r.Status != http.StatusSeeOther {
				t.Fatalf("minutes: %d", r.Status)
			}
		}
		if events("council.open_meeting_held") != 1 {
			t.Fatalf("open meeting events: %d", events("council.open_meeting_held"))
		}
		if r := staff.PostForm(loc+"/decisions", url.Values{"decision_text": {"Сделать"}, "decision_due": {"2026-12-01"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Выберите подразделение") {
			t.Fatalf("decision without department: %d", r.Status)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action LIKE 'council.%'`); n < 9 {
			t.Fatalf("%d audit records", n)
		}
		// Residents may not edit.
		if r := env.Client("", auth.Resident).PostForm("/admin/council/compositions", url.Values{"comp_title": {"x"}}); r.Status == http.StatusSeeOther && !strings.Contains(r.Header.Get("Location"), "login") {
			t.Fatal("a resident created a composition")
		}
	})
}

func TestMeetingReminderDayBefore(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		ctx := context.Background()
		env.StartJobs()
		resident := env.Account("", auth.Resident)
		var tomorrow, later int64
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			var err error
			start := time.Date(2026, 11, 30, 15, 0, 0, 0, env.Municipality.Location)
			if tomorrow, err = a.Store.CreateMeeting(ctx, tx, env.Municipality.ID, Meeting{Kind: KindOpen, Title: "Завтрашнее", StartsAt: start, Open: true, Capacity: 5}); err != nil {
				return err
			}
			if later, err = a.Store.CreateMeeting(ctx, tx, env.Municipality.ID, Meeting{Kind: KindOpen, Title: "Через неделю", StartsAt: start.AddDate(0, 0, 7), Open: true, Capacity: 5}); err != nil {
				return err
			}
			for _, id := range []int64{tomorrow, later} {
				if _, err := a.Store.Register(ctx, tx, env.Municipality.ID, id, resident.ID, "resident", "", fixedNow); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if n, err := a.SendReminders(ctx, env.Municipality); err != nil || n != 1 {
			t.Fatalf("reminders: %d %v", n, err)
		}
		if n, err := a.SendReminders(ctx, env.Municipality); err != nil || n != 0 {
			t.Fatalf("reminders again: %d %v", n, err)
		}
		msg := env.Mail.WaitFor(t, resident.Email, "Завтра заседание", 10*time.Second)
		if !strings.Contains(msg.Body, "Завтрашнее") {
			t.Fatalf("reminder body: %s", msg.Body)
		}
		// Registration closes at the set time.
		var closed int64
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			var err error
			closed, err = a.Store.CreateMeeting(ctx, tx, env.Municipality.ID, Meeting{Kind: KindOpen, Title: "Закрыто", StartsAt: fixedNow.Add(96 * time.Hour), ClosesAt: fixedNow.Add(-time.Hour), Open: true, Capacity: 5})
			if err != nil {
				return err
			}
			_, err = a.Store.Register(ctx, tx, env.Municipality.ID, closed, resident.ID, "resident", "", fixedNow)
			if err != ErrClosed {
				return fmt.Errorf("register after closing time: %v", err)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
}

func pngBytes(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func multipartReq(t *testing.T, u string, fields map[string]string, photo []byte) *http.Request {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile("member_photo", "photo.png")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(photo)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, u, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}
