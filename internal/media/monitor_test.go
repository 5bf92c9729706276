package media

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

func TestMatcherUsesMorphology(t *testing.T) {
	m := NewMatcher([]Rule{{Phrase: "Верхняя Пышма", Topic: "Город"}, {Phrase: "глава округа", Topic: "Глава"}, {Phrase: "мусор", Topic: "ЖКХ"}})
	for _, c := range []struct {
		text, topic string
	}{
		{"В Верхней Пышме открыли сад", "Город"},
		{"Главу округа спросили о дорогах", "Глава"},
		{"Жители жалуются на мусор во дворах Верхней Пышмы", "Город"},
		{"Мусора стало больше", "ЖКХ"},
		{"Погода в Екатеринбурге", ""},
	} {
		topic, _, ok := m.Match(c.text, "")
		if topic != c.topic || ok != (c.topic != "") {
			t.Errorf("%q: topic %q, want %q", c.text, topic, c.topic)
		}
	}
}

func TestDedupKeys(t *testing.T) {
	if TitleKey("В Верхней Пышме отремонтируют дороги к школам") != TitleKey("«В ВЕРХНЕЙ ПЫШМЕ ОТРЕМОНТИРУЮТ ДОРОГИ К ШКОЛАМ!»") {
		t.Error("republished title differs")
	}
	if LinkKey("https://www.example.org/news/1/?utm_source=vk") != LinkKey("http://example.org/news/1") {
		t.Error("same link differs")
	}
}

func TestLexiconProposal(t *testing.T) {
	l, bad := ParseLexicon(DefaultLexicon + "\nслово без знака\n+ хорошая работа\n")
	if len(bad) != 2 {
		t.Errorf("bad lines: %v", bad)
	}
	p := l.Propose("Жители жалуются на мусор и свалки, хотя двор отремонтировали")
	if p.Tonality != Negative || strings.Join(p.Negative, ",") != "жалуются,мусор,свалка" || strings.Join(p.Positive, ",") != "отремонтировали" {
		t.Errorf("proposal %+v", p)
	}
	if !strings.Contains(p.Why(), "негативные слова: жалуются, мусор, свалка") {
		t.Errorf("why = %q", p.Why())
	}
	if p := l.Propose("Погода на выходные"); p.Tonality != Neutral || p.Why() != "слов из словаря тональности не найдено" {
		t.Errorf("neutral: %+v", p)
	}
}

func TestBackoff(t *testing.T) {
	for _, c := range []struct {
		fails int
		want  time.Duration
	}{{1, 30 * time.Minute}, {2, time.Hour}, {4, 4 * time.Hour}, {10, 24 * time.Hour}} {
		if got := Backoff(30*time.Minute, c.fails); got != c.want {
			t.Errorf("Backoff(%d) = %v, want %v", c.fails, got, c.want)
		}
	}
}

// feedServer serves the fixtures and hostile feeds.
func feedServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var conditional atomic.Int32
	mux := http.NewServeMux()
	serve := func(name string) {
		b := fixture(t, name)
		mux.HandleFunc("/"+name, func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("If-None-Match") == `"v1"` {
				conditional.Add(1)
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
			_, _ = w.Write(b)
		})
	}
	for _, n := range []string{"rss_enclosures.xml", "atom.xml", "bad_dates.xml", "html_titles.xml", "truncated.xml", "win1251.xml"} {
		serve(n)
	}
	mux.HandleFunc("/republished.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Перепечатки</title>
<item><title>«В ВЕРХНЕЙ ПЫШМЕ ОТРЕМОНТИРУЮТ ДОРОГИ К ШКОЛАМ!»</title><link>https://other.example/copy-1</link></item>
<item><title>Иной заголовок той же новости о Верхней Пышме</title><link>https://www.example.org/news/2026/03/16/musor/?utm_source=tg</link></item>
</channel></rss>`)
	})
	mux.HandleFunc("/huge.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>`)
		chunk := []byte(strings.Repeat("Верхняя Пышма ", 4096))
		for i := 0; i < 50<<20/len(chunk) && r.Context().Err() == nil; i++ {
			_, _ = w.Write(chunk)
		}
	})
	mux.HandleFunc("/loop.xml", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop.xml?again", http.StatusFound) })
	mux.HandleFunc("/slow.xml", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/gone.xml", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &conditional
}

func TestFetchGoodAndHostileFeeds(t *testing.T) {
	srv, conditional := feedServer(t)
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		useClock(d, time.Date(2026, 3, 18, 12, 0, 0, 0, time.UTC))
		env, a := newArea(t, d)
		a.Fetcher = NewFetcher(400*time.Millisecond, 1<<20)
		mun := env.Municipality.ID
		err := d.InTx(ctx, func(tx *db.Tx) error {
			for _, r := range []Rule{{Phrase: "Верхняя Пышма", Topic: "Город"}, {Phrase: "коррупция", Topic: "Коррупция"}} {
				if err := CreateRule(ctx, tx, mun, &r, d.Now()); err != nil {
					return err
				}
			}
			for _, n := range []string{"rss_enclosures", "atom", "bad_dates", "html_titles", "republished", "win1251", "truncated", "huge", "loop", "slow", "gone"} {
				s := Source{Title: n, URL: srv.URL + "/" + n + ".xml"}
				if err := CreateSource(ctx, tx, mun, &s, d.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		muns, due, err := DueSources(ctx, d, d.Now(), 100)
		if err != nil || len(due) != 11 {
			t.Fatalf("due: %v %d", err, len(due))
		}
		for i, s := range due {
			if _, err := a.FetchSource(ctx, muns[i], s); err != nil {
				t.Fatalf("%s: the portal failed: %v", s.Title, err)
			}
		}
		if el := time.Since(start); el > 8*time.Second {
			t.Errorf("hostile feeds took %v", el)
		}
		sources, err := Sources(ctx, d, mun)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"truncated": "лента оборвана", "huge": "лента больше 1 МБ", "loop": "больше 5 перенаправлений",
			"slow": "сервер не ответил за 0 с", "gone": "сервер ответил кодом 410"}
		for _, s := range sources {
			w, bad := want[s.Title]
			switch {
			case bad && (!s.Failing() || !strings.Contains(s.LastError, w) || s.NextFetchAt == nil || !s.NextFetchAt.After(d.Now())):
				t.Errorf("%s: failing %v, reason %q, want %q", s.Title, s.Failing(), s.LastError, w)
			case !bad && s.Failing():
				t.Errorf("%s failed: %s", s.Title, s.LastError)
			}
		}
		// Mentions: 2 of the RSS (the weather is not about the town), 2 of Atom, 1 of bad dates
		// (ISO-dated item does not match), 2 of VK, 1 of windows-1251; the republished feed adds none.
		ms, total, err := Mentions(ctx, d, mun, MentionFilter{}, 100, 0)
		if err != nil || total != 8 {
			t.Fatalf("mentions: %v %d %+v", err, total, ms)
		}
		if n := count(t, d, `SELECT republished FROM media_mentions WHERE title = 'В Верхней Пышме отремонтируют дороги к школам'`); n != 1 {
			t.Errorf("republished by title: %d", n)
		}
		if n := count(t, d, `SELECT republished FROM media_mentions WHERE title = 'Жители жалуются на мусор во дворах Верхней Пышмы'`); n != 1 {
			t.Errorf("republished by link: %d", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM media_mentions WHERE topic = 'Коррупция' OR title LIKE '%<%'`); n != 1 {
			t.Errorf("HTML title mention: %d", n)
		}
		// A second fetch is conditional and adds nothing.
		before := conditional.Load()
		s, _ := GetSource(ctx, d, mun, sources[0].ID)
		for _, x := range sources {
			if x.Title == "rss_enclosures" {
				s, _ = GetSource(ctx, d, mun, x.ID)
			}
		}
		out, err := a.FetchSource(ctx, mun, s)
		if err != nil || !out.NotModified || conditional.Load() != before+1 {
			t.Errorf("conditional GET: %+v %v", out, err)
		}
	})
}

func TestMonitoringPages(t *testing.T) {
	srv, _ := feedServer(t)
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, _ := newArea(t, d)
		press := env.Client("press", auth.Press)
		if r := press.PostForm("/admin/media/sources", url.Values{"title": {"Ссылка"}, "url": {"javascript:alert(1)"}}); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, "Укажите адрес ленты RSS или Atom") {
			t.Errorf("bad source url: %d", r.Status)
		}
		if r := press.PostForm("/admin/media/rules", url.Values{"phrase": {"и в на"}, "topic": {"Город"}}); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, "Во фразе нет значимых слов") {
			t.Errorf("stop-word rule: %d", r.Status)
		}
		for _, v := range []url.Values{{"phrase": {"Верхняя Пышма"}, "topic": {"Город"}}, {"phrase": {"коррупция"}, "topic": {"Коррупция"}}} {
			if r := press.PostForm("/admin/media/rules", v); r.Status != http.StatusSeeOther {
				t.Fatalf("rule: %d", r.Status)
			}
		}
		for _, n := range []string{"rss_enclosures", "truncated"} {
			if r := press.PostForm("/admin/media/sources", url.Values{"title": {n}, "url": {srv.URL + "/" + n + ".xml"}}); r.Status != http.StatusSeeOther {
				t.Fatalf("source: %d", r.Status)
			}
		}
		ctx := context.Background()
		sources, err := Sources(ctx, d, env.Municipality.ID)
		if err != nil || len(sources) != 2 {
			t.Fatal(err)
		}
		for _, s := range sources {
			if r := press.PostForm("/admin/media/sources/"+itoa(s.ID)+"/fetch", nil); r.Status != http.StatusSeeOther {
				t.Errorf("fetch now: %d", r.Status)
			}
		}
		page := press.Get("/admin/media/sources")
		if !strings.Contains(page.Body, "лента оборвана") {
			t.Errorf("failing source's reason not shown")
		}
		noInlineCode(t, "/admin/media/sources", page.Body)
		list := press.Get("/admin/media/mentions?tonality=none")
		if list.Status != http.StatusOK || !strings.Contains(list.Body, "Найдено 2 упоминания") || !strings.Contains(list.Body, "Предложение портала: Негативная — негативные слова: жалуются, мусор") {
			t.Fatalf("mentions page: %d\n%s", list.Status, list.Body)
		}
		noInlineCode(t, "/admin/media/mentions", list.Body)
		ms, _, _ := Mentions(ctx, d, env.Municipality.ID, MentionFilter{}, 10, 0)
		if n := count(t, d, `SELECT COUNT(*) FROM media_mentions WHERE tonality <> ''`); n != 0 {
			t.Errorf("a proposal was stored as the decision")
		}
		if r := press.PostForm("/admin/media/mentions/"+itoa(ms[0].ID)+"/tonality", url.Values{"tonality": {"positive"}}); r.Status != http.StatusSeeOther {
			t.Errorf("set tonality: %d", r.Status)
		}
		if r := press.PostForm("/admin/media/mentions/"+itoa(ms[0].ID)+"/tonality", url.Values{"tonality": {"great"}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("bad tonality: %d", r.Status)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM media_mentions WHERE tonality = 'positive'`); n != 1 {
			t.Errorf("tonality not stored")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'media_mention'`); n != 1 {
			t.Errorf("tonality not audited")
		}
		if r := press.PostForm("/admin/media/lexicon", url.Values{"lexicon": {"+ хорошо\nплохо"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Строка 2") {
			t.Errorf("bad lexicon: %d", r.Status)
		}
		if r := press.PostForm("/admin/media/lexicon", url.Values{"lexicon": {"+ мусор"}}); r.Status != http.StatusSeeOther {
			t.Errorf("save lexicon: %d", r.Status)
		}
		if list := press.Get("/admin/media/mentions"); !strings.Contains(list.Body, "Предложение портала: Позитивная — позитивные слова: мусор") {
			t.Errorf("edited lexicon not used")
		}
	})
}
