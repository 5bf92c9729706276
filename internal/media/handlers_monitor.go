package media

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/web"
)

// sourcesPage is the data of the sources and rules page.
type sourcesPage struct {
	Sources    []Source
	Rules      []Rule
	SourceForm *web.Form
	RuleForm   *web.Form
}

func (a *Area) renderSources(w http.ResponseWriter, r *http.Request, status int, sf, rf *web.Form) {
	m := web.Municipality(r)
	sources, err := Sources(r.Context(), a.DB, m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	rules, err := Rules(r.Context(), a.DB, m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if sf == nil {
		sf = web.NewForm(nil)
	}
	if rf == nil {
		rf = web.NewForm(nil)
	}
	a.Renderer.Page(w, r, status, "media/admin_sources", "Источники и правила мониторинга", &sourcesPage{Sources: sources, Rules: rules, SourceForm: sf, RuleForm: rf})
}

func (a *Area) adminSources(w http.ResponseWriter, r *http.Request) {
	a.renderSources(w, r, http.StatusOK, nil, nil)
}

func (a *Area) adminSourceCreate(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	s := Source{Title: f.Get("title"), URL: f.Get("url")}
	failAll(f, ValidateSource(s.Title, s.URL), []string{"title", "url"})
	if f.Valid() {
		err = a.createSource(r, &s)
		if err == ErrSourceExists {
			f.Fail("url", err.Error())
		} else if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
	}
	if !f.Valid() {
		a.renderSources(w, r, http.StatusUnprocessableEntity, f, nil)
		return
	}
	web.SetFlash(a.Sessions, r, "Источник добавлен. Лента будет проверена в ближайшие минуты; можно проверить сейчас.")
	http.Redirect(w, r, "/admin/media/sources", http.StatusSeeOther)
}

func (a *Area) createSource(r *http.Request, s *Source) error {
	m := web.Municipality(r)
	return a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := CreateSource(r.Context(), tx, m.ID, s, a.DB.Now()); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "create", "media_source", strconv.FormatInt(s.ID, 10), nil, s))
	})
}

func (a *Area) loadSource(w http.ResponseWriter, r *http.Request) (Source, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return Source{}, false
	}
	s, err := GetSource(r.Context(), a.DB, web.Municipality(r).ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return Source{}, false
	}
	return s, true
}

func (a *Area) adminSourceFetch(w http.ResponseWriter, r *http.Request) {
	s, ok := a.loadSource(w, r)
	if !ok {
		return
	}
	if _, err := web.ParseForm(w, r, maxFormBytes); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	out, err := a.FetchSource(r.Context(), web.Municipality(r).ID, s)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, out.Message(s.Title))
	http.Redirect(w, r, "/admin/media/sources", http.StatusSeeOther)
}

// Message tells staff what a fetch did.
func (o FetchOutcome) Message(title string) string {
	switch {
	case o.Err != nil:
		return fmt.Sprintf("«%s»: лента не получена — %s.", title, o.Err)
	case o.NotModified:
		return fmt.Sprintf("«%s»: лента не изменилась с прошлой проверки.", title)
	}
	return fmt.Sprintf("«%s»: записей в ленте %d, новых упоминаний %d.", title, o.Entries, o.New)
}

func (a *Area) adminSourceDelete(w http.ResponseWriter, r *http.Request) {
	s, ok := a.loadSource(w, r)
	if !ok {
		return
	}
	if _, err := web.ParseForm(w, r, maxFormBytes); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := DeleteSource(r.Context(), tx, m.ID, s.ID); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "delete", "media_source", strconv.FormatInt(s.ID, 10), s, nil))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Источник «"+s.Title+"» удалён.")
	http.Redirect(w, r, "/admin/media/sources", http.StatusSeeOther)
}

func (a *Area) adminRuleCreate(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	rule := Rule{Phrase: f.Get("phrase"), Topic: f.Get("topic")}
	failAll(f, ValidateRule(rule), []string{"phrase", "topic"})
	if !f.Valid() {
		a.renderSources(w, r, http.StatusUnprocessableEntity, nil, f)
		return
	}
	m := web.Municipality(r)
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := CreateRule(r.Context(), tx, m.ID, &rule, a.DB.Now()); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "create", "media_rule", strconv.FormatInt(rule.ID, 10), nil, rule))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Правило добавлено: «"+rule.Phrase+"» → "+rule.Topic+".")
	http.Redirect(w, r, "/admin/media/sources#rules", http.StatusSeeOther)
}

func (a *Area) adminRuleDelete(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if _, err := web.ParseForm(w, r, maxFormBytes); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := DeleteRule(r.Context(), tx, m.ID, id); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "delete", "media_rule", strconv.FormatInt(id, 10), nil, nil))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Правило удалено.")
	http.Redirect(w, r, "/admin/media/sources#rules", http.StatusSeeOther)
}

// mentionFilter reads the list's filter from the query; dates are civil
// dates in the municipality.
func mentionFilter(q url.Values, loc *time.Location) (MentionFilter, map[string]string) {
	var f MentionFilter
	sel := map[string]string{}
	if loc == nil {
		loc = time.UTC
	}
	if t, ok := ParseDay(q.Get("from")); ok {
		f.From, sel["from"] = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc), t.Format(time.DateOnly)
	}
	if t, ok := ParseDay(q.Get("to")); ok {
		f.To, sel["to"] = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1), t.Format(time.DateOnly)
	}
	switch v := q.Get("tonality"); v {
	case Positive, Neutral, Negative, "none":
		f.Tonality, sel["tonality"] = v, v
	}
	if id, err := strconv.ParseInt(q.Get("source"), 10, 64); err == nil && id > 0 {
		f.SourceID, sel["source"] = id, strconv.FormatInt(id, 10)
	}
	f.Topic = strings.TrimSpace(q.Get("topic"))
	sel["topic"] = f.Topic
	return f, sel
}

func (a *Area) lexicon(r *http.Request) (Lexicon, error) {
	text, err := LexiconText(r.Context(), a.DB, web.Municipality(r).ID)
	if err != nil {
		return Lexicon{}, err
	}
	l, _ := ParseLexicon(text)
	return l, nil
}

func (a *Area) adminMentions(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	f, sel := mentionFilter(r.URL.Query(), m.Location)
	p := web.NewPager(r.URL, 30)
	list, total, err := Mentions(r.Context(), a.DB, m.ID, f, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	lex, err := a.lexicon(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	for i := range list {
		list[i].Proposal = lex.Propose(list[i].Title + " " + list[i].Summary)
	}
	sources, err := Sources(r.Context(), a.DB, m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "media/admin_mentions", "Упоминания в СМИ и социальных сетях", map[string]any{
		"Mentions": list, "Total": total, "Pager": p, "Selected": sel, "Sources": sources, "Tonalities": Tonalities, "Back": r.URL.RequestURI(),
	})
}

func (a *Area) adminTonality(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	before, err := GetMention(r.Context(), a.DB, m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	t := f.Get("tonality")
	if t != Positive && t != Neutral && t != Negative {
		a.Errors.Render(w, r, web.Invalid("Выберите тональность: позитивная, нейтральная или негативная."))
		return
	}
	by := ""
	if v := web.ViewerFrom(r.Context()); v != nil {
		by = v.Email
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := SetTonality(r.Context(), tx, m.ID, id, t, by, a.DB.Now()); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "tonality", "media_mention", strconv.FormatInt(id, 10),
			map[string]string{"tonality": before.Tonality}, map[string]string{"tonality": t}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Тональность сохранена: «"+before.Title+"» — "+strings.ToLower(label(Tonalities, t))+".")
	back := f.Get("back")
	if !strings.HasPrefix(back, "/admin/media/mentions") {
		back = "/admin/media/mentions"
	}
	http.Redirect(w, r, back+"#mention-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (a *Area) adminLexicon(w http.ResponseWriter, r *http.Request) {
	text, err := LexiconText(r.Context(), a.DB, web.Municipality(r).ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f := web.NewForm(url.Values{"lexicon": {text}})
	a.Renderer.Page(w, r, http.StatusOK, "media/admin_lexicon", "Словарь тональности", map[string]any{"Form": f})
}

func (a *Area) adminLexiconSave(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	text := strings.ReplaceAll(f.Values.Get("lexicon"), "\r\n", "\n")
	if _, bad := ParseLexicon(text); len(bad) > 0 {
		f.Fail("lexicon", strings.Join(bad, " "))
	}
	if len(text) > 100_000 {
		f.Fail("lexicon", "Словарь больше 100 000 знаков.")
	}
	if !f.Valid() {
		a.Renderer.Page(w, r, http.StatusUnprocessableEntity, "media/admin_lexicon", "Словарь тональности", map[string]any{"Form": f})
		return
	}
	m := web.Municipality(r)
	before, err := LexiconText(r.Context(), a.DB, m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := SaveLexicon(r.Context(), tx, m.ID, text, a.DB.Now()); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "update", "media_lexicon", strconv.FormatInt(m.ID, 10), before, text))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Словарь тональности сохранён.")
	http.Redirect(w, r, "/admin/media/lexicon", http.StatusSeeOther)
}
