package consult

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/web"
)

// adminComments is the drafter's list of comments to answer.
func (a *Area) adminComments(w http.ResponseWriter, r *http.Request) {
	c, err := a.load(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.commentsPage(w, r, c, r.URL, http.StatusOK, nil)
}

// failedAnswer is an answer that was refused: the list shows it again with
// what was typed and the messages beside its fields.
type failedAnswer struct {
	ID       int64
	Decision string
	Reason   string
	Errors   map[string]string
}

// commentsPage lists the comments as list (the page's own address, or the
// address the refused answer came from) asks.
func (a *Area) commentsPage(w http.ResponseWriter, r *http.Request, c Consultation, list *url.URL, status int, failed *failedAnswer) {
	only := list.Query().Get("all") != "1"
	p := web.NewPager(list, 20)
	cms, total, err := a.Store.Comments(r.Context(), c.ID, CommentFilter{Statuses: []string{StatusPublished}, Unanswered: only}, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if failed != nil && !slices.ContainsFunc(cms, func(cm Comment) bool { return cm.ID == failed.ID }) {
		// The refused comment already had an answer (so it is not among the
		// unanswered): show it first so the message is not lost.
		cm, err := a.Store.Comment(r.Context(), a.DB, c.MunicipalityID, failed.ID)
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		cms = append([]Comment{cm}, cms...)
	}
	p.SetTotal(total)
	a.Renderer.Page(w, r, status, "consult/admin_comments", "Ответы на замечания: "+c.Title, map[string]any{
		"C": c, "Comments": cms, "Pager": p, "Only": only, "Decisions": decisionOptions(), "CanManage": canManage(web.ViewerFrom(r.Context()), c), "Return": list.RequestURI(),
		"Failed": failed,
	})
}

func decisionOptions() []kindOption {
	var out []kindOption
	for _, d := range Decisions {
		out = append(out, kindOption{string(d), d.Label()})
	}
	return out
}

// safeReturn keeps a return address on this site.
func safeReturn(s, fallback string) string {
	if safe := web.SafeReturn(s); strings.HasPrefix(safe, "/admin/") {
		return safe
	}
	return fallback
}

func (a *Area) answerForm(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		a.Errors.Render(w, r, web.ErrTooLarge)
		return
	}
	m := web.Municipality(r)
	cm, err := a.answerComment(r.Context(), m.ID, id, Decision(r.PostForm.Get("decision")), r.PostForm.Get("reason"), audit.FromRequest(r, "", "", "", nil, nil), web.ViewerFrom(r.Context()))
	var ae *answerError
	if errors.As(err, &ae) {
		prev, err := a.Store.Comment(r.Context(), a.DB, m.ID, id)
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		c, err := a.Store.Get(r.Context(), a.DB, m.ID, prev.ConsultationID)
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		list, _ := url.Parse(safeReturn(r.PostForm.Get("return"), "/admin/consultations/"+strconv.FormatInt(c.ID, 10)+"/comments"))
		a.commentsPage(w, r, c, list, http.StatusUnprocessableEntity, &failedAnswer{ID: id, Decision: r.PostForm.Get("decision"), Reason: r.PostForm.Get("reason"), Errors: ae.fields})
		return
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Ответ на предложение "+cm.Receipt+" сохранён: «"+cm.Decision.Label()+"».")
	http.Redirect(w, r, safeReturn(r.PostForm.Get("return"), "/admin/consultations/"+strconv.FormatInt(cm.ConsultationID, 10)+"/comments"), http.StatusSeeOther)
}

func (a *Area) moderation(w http.ResponseWriter, r *http.Request) {
	a.renderModeration(w, r, http.StatusOK, web.NewForm(nil))
}

func (a *Area) renderModeration(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	m := web.Municipality(r)
	p := web.NewPager(r.URL, 50)
	cms, total, err := a.Store.Queue(r.Context(), m.ID, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	st, err := a.Store.Settings(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, status, "consult/moderation", "Модерация комментариев", map[string]any{"Comments": cms, "Pager": p, "Total": total, "Form": f, "Rules": st.ModerationRules})
}

// moderate publishes or rejects the selected comments at once, and may bar
// their authors.
func (a *Area) moderate(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, 64<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	var ids []int64
	for _, s := range f.Values["ids"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	action, reason := f.Get("action"), f.Get("reason")
	if len(ids) == 0 {
		f.Fail("ids", "Отметьте хотя бы один комментарий.")
	}
	status := StatusPublished
	switch action {
	case "publish":
		reason = ""
	case "reject":
		status = StatusRejected
		if reason == "" {
			f.Fail("reason", "Укажите причину отклонения: автор увидит её по номеру квитанции.")
		}
	default:
		f.Fail("action", "Выберите действие.")
	}
	f.MaxLen("reason", "Причина", 1000)
	if !f.Valid() {
		a.renderModeration(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	block := action == "reject" && f.Get("block") == "yes"
	v := web.ViewerFrom(r.Context())
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		for _, id := range ids {
			cm, err := a.Store.Comment(r.Context(), tx, m.ID, id)
			if err != nil {
				return err
			}
			if err := a.Store.Moderate(r.Context(), tx, m.ID, []int64{id}, status, reason, v.ID); err != nil {
				return err
			}
			if err := audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "comment.moderate", "consultation_comment", strconv.FormatInt(id, 10),
				map[string]string{"status": cm.Status}, map[string]string{"status": status, "reason": reason})); err != nil {
				return err
			}
			if block && (cm.AccountID != 0 || cm.Email != "") {
				b := Ban{AccountID: cm.AccountID, Email: cm.Email, Reason: reason}
				if err := a.Store.AddBlock(r.Context(), tx, m.ID, &b, v.ID); err != nil {
					return err
				}
				if err := audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "participant.block", "consult_block", strconv.FormatInt(b.ID, 10), nil,
					map[string]any{"account_id": b.AccountID, "comment": cm.Receipt, "reason": reason})); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	msg := "Опубликовано комментариев: " + strconv.Itoa(len(ids)) + "."
	if status == StatusRejected {
		msg = "Отклонено комментариев: " + strconv.Itoa(len(ids)) + "."
	}
	web.SetFlash(a.Sessions, r, msg)
	http.Redirect(w, r, "/admin/consult/moderation", http.StatusSeeOther)
}

func (a *Area) blocks(w http.ResponseWriter, r *http.Request) {
	a.renderBlocks(w, r, http.StatusOK, web.NewForm(nil))
}

func (a *Area) renderBlocks(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	m := web.Municipality(r)
	p := web.NewPager(r.URL, 50)
	bs, total, err := a.Store.Blocks(r.Context(), m.ID, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	a.Renderer.Page(w, r, status, "consult/blocks", "Ограничения участников", map[string]any{"Blocks": bs, "Pager": p, "Form": f})
}

func (a *Area) addBlock(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, 16<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f.Required(map[string]string{"email": "Электронная почта", "reason": "Причина"})
	f.Email("email")
	f.MaxLen("reason", "Причина", 1000)
	if !f.Valid() {
		a.renderBlocks(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	m := web.Municipality(r)
	b := Ban{Email: f.Get("email"), Reason: f.Get("reason")}
	// The block also names the account of that address, if there is one.
	if acc, err := a.People.ByEmail(r.Context(), m.ID, b.Email); err == nil {
		b.AccountID = acc.ID
	} else if !errors.Is(err, db.ErrNotFound) {
		a.Errors.Render(w, r, err)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.AddBlock(r.Context(), tx, m.ID, &b, web.ViewerFrom(r.Context()).ID); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "participant.block", "consult_block", strconv.FormatInt(b.ID, 10), nil, map[string]any{"email": b.Email, "reason": b.Reason}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Ограничение установлено. Его можно снять в любой момент.")
	http.Redirect(w, r, "/admin/consult/blocks", http.StatusSeeOther)
}

func (a *Area) liftBlock(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.LiftBlock(r.Context(), tx, m.ID, id, web.ViewerFrom(r.Context()).ID); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "participant.unblock", "consult_block", strconv.FormatInt(id, 10), map[string]bool{"active": true}, map[string]bool{"active": false}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Ограничение снято.")
	http.Redirect(w, r, "/admin/consult/blocks", http.StatusSeeOther)
}

func (a *Area) settings(w http.ResponseWriter, r *http.Request) {
	st, err := a.Store.Settings(r.Context(), web.Municipality(r).ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f := web.NewForm(nil)
	f.Values.Set("word_list", st.WordList)
	f.Values.Set("moderation_rules", st.ModerationRules)
	a.Renderer.Page(w, r, http.StatusOK, "consult/settings", "Правила модерации и список слов", map[string]any{"Form": f})
}

func (a *Area) saveSettings(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, 256<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	st, err := a.Store.Settings(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	before := st
	st.WordList, st.ModerationRules = f.Values.Get("word_list"), f.Get("moderation_rules")
	if _, err := ParseWordList(st.WordList); err != nil {
		f.Fail("word_list", err.Error())
	}
	f.Required(map[string]string{"moderation_rules": "Правила для участников"})
	if !f.Valid() {
		a.Renderer.Page(w, r, http.StatusUnprocessableEntity, "consult/settings", "Правила модерации и список слов", map[string]any{"Form": f})
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.SaveSettings(r.Context(), tx, m.ID, st); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "consult.settings", "consult_settings", strconv.FormatInt(m.ID, 10),
			map[string]string{"word_list": before.WordList, "moderation_rules": before.ModerationRules}, map[string]string{"word_list": st.WordList, "moderation_rules": st.ModerationRules}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Настройки модерации сохранены.")
	http.Redirect(w, r, "/admin/consult/settings", http.StatusSeeOther)
}

// wordingRules are the municipality's wording rules, the defaults when its
// stored text does not parse (it was validated on save, so only a change
// of the rule format could cause that).
func (a *Area) wordingRules(r *http.Request) ([]WordingRule, error) {
	st, err := a.Store.Settings(r.Context(), web.Municipality(r).ID)
	if err != nil {
		return nil, err
	}
	// Compiling the rules is the costly part of a check; municipalities
	// change them rarely, so the parsed rules are kept by their text.
	rules := a.rules.get(st.WordingRules, func() []WordingRule {
		rules, err := ParseWordingRules(st.WordingRules)
		if err != nil {
			a.Log.WarnContext(r.Context(), "stored wording rules do not parse; using defaults", "err", err)
			return DefaultWordingRules()
		}
		return rules
	})
	return rules, nil
}

func (a *Area) wording(w http.ResponseWriter, r *http.Request) {
	st, err := a.Store.Settings(r.Context(), web.Municipality(r).ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f := web.NewForm(nil)
	f.Values.Set("rules", st.WordingRules)
	rules, _ := ParseWordingRules(st.WordingRules)
	a.Renderer.Page(w, r, http.StatusOK, "consult/wording", "Правила проверки формулировок", map[string]any{"Form": f, "Count": len(rules)})
}

func (a *Area) saveWording(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, 256<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	st, err := a.Store.Settings(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	before := st.WordingRules
	st.WordingRules = f.Values.Get("rules")
	if f.Get("reset") == "yes" {
		st.WordingRules = FormatWordingRules(DefaultWordingRules())
	}
	rules, err := ParseWordingRules(st.WordingRules)
	if err != nil {
		f.Fail("rules", err.Error())
		a.Renderer.Page(w, r, http.StatusUnprocessableEntity, "consult/wording", "Правила проверки формулировок", map[string]any{"Form": f})
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.SaveSettings(r.Context(), tx, m.ID, st); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "consult.wording_rules", "consult_settings", strconv.FormatInt(m.ID, 10), before, st.WordingRules))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Правила сохранены: "+strconv.Itoa(len(rules))+".")
	http.Redirect(w, r, "/admin/consult/wording", http.StatusSeeOther)
}

func (a *Area) experts(w http.ResponseWriter, r *http.Request) {
	a.renderExperts(w, r, http.StatusOK, nil)
}

// expertRefusal is a decision on an expert that was refused, shown beside
// that expert's form with what was chosen and typed.
type expertRefusal struct {
	ID             int64
	Field, Message string
	Status, Reason string
}

func (a *Area) renderExperts(w http.ResponseWriter, r *http.Request, status int, failed *expertRefusal) {
	m := web.Municipality(r)
	p := web.NewPager(r.URL, 50)
	es, total, err := a.Store.Experts(r.Context(), m.ID, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	ids := make([]int64, len(es))
	for i, e := range es {
		ids[i] = e.AccountID
	}
	emails, err := a.People.Emails(r.Context(), a.DB, m.ID, ids)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	for i := range es {
		es[i].Email = emails[es[i].AccountID]
	}
	p.SetTotal(total)
	a.Renderer.Page(w, r, status, "consult/experts", "Независимые эксперты", map[string]any{"Experts": es, "Pager": p, "Failed": failed})
}

func (a *Area) verifyExpert(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		a.Errors.Render(w, r, web.ErrTooLarge)
		return
	}
	m := web.Municipality(r)
	status, reason := r.PostForm.Get("status"), strings.TrimSpace(r.PostForm.Get("reason"))
	if status != ExpertVerified && status != ExpertRejected {
		a.renderExperts(w, r, http.StatusUnprocessableEntity, &expertRefusal{ID: id, Field: "status", Message: "Выберите решение: подтвердить или отклонить.", Reason: reason})
		return
	}
	if status == ExpertRejected && reason == "" {
		a.renderExperts(w, r, http.StatusUnprocessableEntity, &expertRefusal{ID: id, Field: "reason", Message: "Укажите причину отказа: эксперт увидит её.", Status: status})
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		e, err := a.Store.Expert(r.Context(), tx, m.ID, id)
		if err != nil {
			return err
		}
		if err := a.Store.VerifyExpert(r.Context(), tx, m.ID, id, status, reason, web.ViewerFrom(r.Context()).ID); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "expert.verify", "consult_expert", strconv.FormatInt(id, 10),
			map[string]string{"status": e.Status}, map[string]string{"status": status, "reason": reason}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Решение по эксперту сохранено.")
	http.Redirect(w, r, "/admin/consult/experts", http.StatusSeeOther)
}

func (a *Area) conclusions(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	ks, err := a.Store.UnansweredConclusions(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "consult/conclusions", "Заключения экспертов без ответа", map[string]any{"Conclusions": conclusionViews(ks, a.today(m))})
}

func (a *Area) answerConclusion(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		a.Errors.Render(w, r, web.ErrTooLarge)
		return
	}
	m := web.Municipality(r)
	answer := strings.TrimSpace(r.PostForm.Get("answer"))
	if answer == "" {
		// Back to the consultation's page, the message beside this
		// conclusion's answer field.
		k, err := a.Store.Conclusion(r.Context(), a.DB, m.ID, id)
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		c, err := a.Store.Get(r.Context(), a.DB, m.ID, k.ConsultationID)
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		if !canManage(web.ViewerFrom(r.Context()), c) {
			a.Errors.Render(w, r, web.ErrForbidden)
			return
		}
		a.failEdit(w, r, c, "answer-"+strconv.FormatInt(id, 10), "Напишите мотивированный ответ на заключение.", url.Values{})
		return
	}
	var k Conclusion
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		var err error
		if k, err = a.Store.Conclusion(r.Context(), tx, m.ID, id); err != nil {
			return err
		}
		c, err := a.Store.Get(r.Context(), tx, m.ID, k.ConsultationID)
		if err != nil {
			return err
		}
		if !canManage(web.ViewerFrom(r.Context()), c) {
			return web.ErrForbidden
		}
		if err := a.Store.AnswerConclusion(r.Context(), tx, m.ID, id, answer, web.ViewerFrom(r.Context()).ID); err != nil {
			return err
		}
		// The conclusion is published with its answer (measure 8.1 evidence).
		if err := events.Record(r.Context(), tx, events.Event{MunicipalityID: m.ID, Kind: events.ExpertiseConclusionPublished, ObjectType: "consult_conclusion", ObjectID: strconv.FormatInt(id, 10),
			Title: "Заключение по проекту «" + c.Title + "»", URL: c.URL(), Spheres: c.SphereSlugs(), OccurredAt: a.DB.Now()}); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "conclusion.answer", "consult_conclusion", strconv.FormatInt(id, 10), map[string]string{"answer": k.Answer}, map[string]string{"answer": answer}))
	})
	if errors.Is(err, db.ErrNotFound) {
		a.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Ответ на заключение опубликован.")
	http.Redirect(w, r, safeReturn(r.PostForm.Get("return"), "/admin/consult/conclusions"), http.StatusSeeOther)
}
