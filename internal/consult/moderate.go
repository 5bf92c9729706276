package consult

import (
	"errors"
	"net/http"
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
	only := r.URL.Query().Get("all") != "1"
	p := web.NewPager(r.URL, 20)
	cms, total, err := a.Store.Comments(r.Context(), c.ID, CommentFilter{Statuses: []string{StatusPublished}, Unanswered: only}, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	a.Renderer.Page(w, r, http.StatusOK, "consult/admin_comments", "Ответы на замечания: "+c.Title, map[string]any{
		"C": c, "Comments": cms, "Pager": p, "Only": only, "Decisions": decisionOptions(), "CanManage": canManage(web.ViewerFrom(r.Context()), c), "Return": r.URL.RequestURI(),
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
		msgs := []string{}
		for _, k := range []string{"decision", "reason"} {
			if v, ok := ae.fields[k]; ok {
				msgs = append(msgs, v)
			}
		}
		a.Errors.Render(w, r, web.Invalid(strings.Join(msgs, " ")))
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
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		var acc int64
		_ = tx.QueryRow(r.Context(), `SELECT id FROM accounts WHERE municipality_id = ? AND email = ?`, m.ID, strings.ToLower(b.Email)).Scan(&acc)
		b.AccountID = acc
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
	a.rulesMu.Lock()
	defer a.rulesMu.Unlock()
	// Compiling the rules is the costly part of a check; municipalities
	// change them rarely, so the parsed rules are kept by their text.
	if rules, ok := a.rulesCache[st.WordingRules]; ok {
		return rules, nil
	}
	rules, err := ParseWordingRules(st.WordingRules)
	if err != nil {
		a.Log.WarnContext(r.Context(), "stored wording rules do not parse; using defaults", "err", err)
		rules = DefaultWordingRules()
	}
	if a.rulesCache == nil || len(a.rulesCache) > 32 {
		a.rulesCache = map[string][]WordingRule{}
	}
	a.rulesCache[st.WordingRules] = rules
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
	m := web.Municipality(r)
	p := web.NewPager(r.URL, 50)
	es, total, err := a.Store.Experts(r.Context(), m.ID, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	a.Renderer.Page(w, r, http.StatusOK, "consult/experts", "Независимые эксперты", map[string]any{"Experts": es, "Pager": p})
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
		a.Errors.Render(w, r, web.Invalid("Выберите решение: подтвердить или отклонить."))
		return
	}
	if status == ExpertRejected && reason == "" {
		a.Errors.Render(w, r, web.Invalid("Укажите причину отказа: эксперт увидит её."))
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
		a.Errors.Render(w, r, web.Invalid("Напишите мотивированный ответ на заключение."))
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
