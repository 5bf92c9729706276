package consult

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/search"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

//go:embed mail/*.txt
var mailFS embed.FS

// Area is the consultations area.
type Area struct {
	portal.Deps
	Store *Store
	// Rules count the 30-day answer to expert conclusions.
	Rules deadline.Rules
	// Procedures are DefaultProcedures as adjusted by the installation's
	// consult-procedures.txt (see docs/consult.md).
	Procedures Procedures

	commentLimit *web.Limiter
	checkLimit   *web.Limiter
	expertLimit  *web.Limiter

	// Parsed texts: wording rules and word lists by their text, a draft's
	// blocks by the id of its version.
	rules     *memo[string, []WordingRule]
	wordLists *memo[string, WordList]
	drafts    *memo[int64, []Block]
	// Exports and tallies by consultation and revision: a new comment or
	// answer changes the revision, so a kept one is never stale.
	exports *memo[string, []byte]
	tallies *memo[string, Tally]
}

// tally is Store.Tally kept by the consultation's revision: counting
// participants reads every comment, and the page of a consultation with
// published results shows the conclusion on every view.
func (a *Area) tally(ctx context.Context, id int64) (Tally, error) {
	rev, err := a.Store.Revision(ctx, id)
	if err != nil {
		return Tally{}, err
	}
	key := fmt.Sprintf("%d/%d", id, rev)
	if t, ok := a.tallies.lookup(key); ok {
		return t, nil
	}
	t, err := a.Store.Tally(ctx, id)
	if err != nil {
		return t, err
	}
	a.tallies.put(key, t)
	return t, nil
}

// Staff may run consultations; lawyers also edit the wording rules and
// verify experts.
var (
	staffRoles   = []string{auth.Administrator, auth.Editor, auth.Lawyer}
	lawyerRoles  = []string{auth.Administrator, auth.Lawyer}
	settingRoles = []string{auth.Administrator}
)

// New builds the area, registers its pages, mail templates and jobs.
func New(d portal.Deps) (*Area, error) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	procs, err := readProcedures(d.DataDir)
	if err != nil {
		return nil, err
	}
	sub, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	d.Renderer.AddFuncs(templateFuncs())
	if err := d.Renderer.AddPages("consult", sub); err != nil {
		return nil, fmt.Errorf("consult templates: %w", err)
	}
	if err := d.Renderer.Require("consult/list", "consult/page", "consult/receipt", "consult/summary", "consult/diff", "consult/expertise",
		"consult/expert_register", "consult/conclusion_form", "consult/admin_list", "consult/admin_edit", "consult/admin_comments",
		"consult/moderation", "consult/blocks", "consult/settings", "consult/wording", "consult/experts", "consult/conclusions"); err != nil {
		return nil, err
	}
	if err := d.Mailer.AddTemplates(mailFS, "mail/*.txt"); err != nil {
		return nil, err
	}
	a := &Area{Deps: d, Store: &Store{DB: d.DB}, Rules: deadline.DefaultRules(), Procedures: procs,
		rules: newMemo[string, []WordingRule](32), wordLists: newMemo[string, WordList](32), drafts: newMemo[int64, []Block](256),
		exports: newMemo[string, []byte](16), tallies: newMemo[string, Tally](256),
		commentLimit: web.NewLimiter(20*time.Second, 10),
		checkLimit:   web.NewLimiter(2*time.Second, 20),
		expertLimit:  web.NewLimiter(time.Minute, 5),
	}
	river.AddWorker(d.Queue.Workers(), &scheduleWorker{a: a})
	river.AddWorker(d.Queue.Workers(), &notifyWorker{a: a})
	d.Queue.Every("consult_schedule", 10*time.Minute, func() river.JobArgs { return ScheduleArgs{} })
	return a, nil
}

// Mount registers the routes.
func (a *Area) Mount(rt *web.Router) {
	staff, lawyers, admins := web.Roles(staffRoles...), web.Roles(lawyerRoles...), web.Roles(settingRoles...)
	rt.HandleFunc("GET /consultations", web.Public(), a.list)
	rt.HandleFunc("GET /consultations/feed.atom", web.Public(), a.feedAtom)
	rt.HandleFunc("GET /consultations/receipt", web.Public(), a.receipt)
	rt.HandleFunc("GET /consultations/{id}", web.Public(), a.page)
	rt.Handle("POST /consultations/{id}/comments", web.Public(), a.commentLimit.Limit(a.Errors, http.HandlerFunc(a.comment)))
	rt.HandleFunc("GET /consultations/{id}/summary", web.Public(), a.summary)
	rt.HandleFunc("GET /consultations/{id}/summary.xlsx", web.Public(), a.exportXLSX)
	rt.HandleFunc("GET /consultations/{id}/summary.pdf", web.Public(), a.exportPDF)
	rt.HandleFunc("GET /consultations/{id}/diff", web.Public(), a.diff)
	rt.HandleFunc("GET /consultations/{id}/conclusion", web.SignedIn(), a.conclusionForm)
	rt.Handle("POST /consultations/{id}/conclusion", web.SignedIn(), a.expertLimit.Limit(a.Errors, http.HandlerFunc(a.submitConclusion)))
	rt.HandleFunc("GET /expertise", web.Public(), a.expertise)
	rt.HandleFunc("GET /expertise/register", web.SignedIn(), a.expertForm)
	rt.Handle("POST /expertise/register", web.SignedIn(), a.expertLimit.Limit(a.Errors, http.HandlerFunc(a.registerExpert)))

	rt.HandleFunc("GET /admin/consultations", staff, a.adminList)
	rt.HandleFunc("GET /admin/consultations/new", staff, a.newForm)
	rt.HandleFunc("POST /admin/consultations", staff, a.create)
	rt.HandleFunc("GET /admin/consultations/{id}", staff, a.editForm)
	rt.HandleFunc("POST /admin/consultations/{id}", staff, a.update)
	rt.HandleFunc("POST /admin/consultations/{id}/versions", staff, a.addVersion)
	rt.HandleFunc("POST /admin/consultations/{id}/publish", staff, a.publish)
	rt.HandleFunc("POST /admin/consultations/{id}/stage", staff, a.changeStageForm)
	rt.HandleFunc("POST /admin/consultations/{id}/act", staff, a.linkAct)
	rt.HandleFunc("POST /admin/consultations/{id}/results", staff, a.publishResults)
	rt.HandleFunc("POST /admin/consultations/{id}/goals", staff, a.addGoal)
	rt.HandleFunc("GET /admin/consultations/{id}/comments", staff, a.adminComments)
	rt.HandleFunc("POST /admin/consult/comments/{id}/answer", staff, a.answerForm)
	rt.HandleFunc("POST /admin/consult/goals/{id}/progress", staff, a.addProgress)
	rt.HandleFunc("GET /admin/consult/moderation", staff, a.moderation)
	rt.HandleFunc("POST /admin/consult/moderation", staff, a.moderate)
	rt.HandleFunc("GET /admin/consult/blocks", staff, a.blocks)
	rt.HandleFunc("POST /admin/consult/blocks", staff, a.addBlock)
	rt.HandleFunc("POST /admin/consult/blocks/{id}/lift", staff, a.liftBlock)
	rt.HandleFunc("GET /admin/consult/settings", admins, a.settings)
	rt.HandleFunc("POST /admin/consult/settings", admins, a.saveSettings)
	rt.HandleFunc("GET /admin/consult/wording", lawyers, a.wording)
	rt.HandleFunc("POST /admin/consult/wording", lawyers, a.saveWording)
	rt.HandleFunc("GET /admin/consult/experts", lawyers, a.experts)
	rt.HandleFunc("POST /admin/consult/experts/{id}", lawyers, a.verifyExpert)
	rt.HandleFunc("GET /admin/consult/conclusions", staff, a.conclusions)
	rt.HandleFunc("POST /admin/consult/conclusions/{id}/answer", staff, a.answerConclusion)
	a.mountAPI(rt)
	a.describeAPI(a.API)
}

// today is the civil date in the municipality.
func (a *Area) today(m tenant.Municipality) deadline.Date {
	return deadline.DateOf(m.Local(a.DB.Now()))
}

// load returns the consultation of the path; the public sees only published
// ones, staff see all.
func (a *Area) load(r *http.Request) (Consultation, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return Consultation{}, err
	}
	c, err := a.Store.Get(r.Context(), a.DB, web.Municipality(r).ID, id)
	if err != nil {
		return c, err
	}
	if !c.Published() && !web.ViewerFrom(r.Context()).Has(staffRoles...) {
		return c, web.ErrNotFound
	}
	return c, nil
}

// canManage reports whether the viewer may change the consultation. Any
// staff member of the consult roles may: the organising department is who
// runs it, not an access boundary, and every change is audited. (Goal
// progress is the one thing tied to a department; see CanReportGoal.)
func canManage(v *web.Viewer, c Consultation) bool {
	return v.Has(staffRoles...)
}

// URL is the consultation's public address.
func (c Consultation) URL() string { return "/consultations/" + strconv.FormatInt(c.ID, 10) }

// searchDoc is the consultation as the search index sees it: title,
// description, the draft's text and stage; never comments or their authors.
func (a *Area) index(ctx context.Context, tx *db.Tx, c Consultation) error {
	if !c.Published() {
		return search.Remove(ctx, tx, c.MunicipalityID, "consultation", strconv.FormatInt(c.ID, 10))
	}
	vs, err := a.Store.Versions(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	body := c.Summary + "\n" + a.Procedures.Label(c.Kind) + ". Этап: " + c.Stage.Label(c.Kind)
	draft, final := Drafts(vs)
	if final != nil {
		body += "\n" + final.Body
	} else if draft != nil {
		body += "\n" + draft.Body
	}
	return search.Put(ctx, tx, search.Doc{MunicipalityID: c.MunicipalityID, Type: "consultation", ObjectID: strconv.FormatInt(c.ID, 10),
		Title: c.Title, Body: body, URL: c.URL(), Spheres: c.SphereSlugs(), PublishedAt: c.PublishedAt})
}

// enterStage moves a consultation into a stage in tx: the stage, the public
// event, the index and the notification job. actor is for the audit log.
func (a *Area) enterStage(ctx context.Context, tx *db.Tx, c *Consultation, st Stage, entry audit.Entry) error {
	before := c.Stage
	first := c.OpenedAt.IsZero()
	if err := a.Store.SetStage(ctx, tx, c.MunicipalityID, c.ID, st); err != nil {
		return err
	}
	c.Stage = st
	if first {
		c.OpenedAt = a.DB.Now()
	}
	kind := events.ConsultationStageChanged
	if first {
		kind = events.ConsultationOpened
	}
	if err := events.Record(ctx, tx, events.Event{MunicipalityID: c.MunicipalityID, Kind: kind, ObjectType: "consultation", ObjectID: strconv.FormatInt(c.ID, 10),
		Title: c.Title, URL: c.URL(), Spheres: c.SphereSlugs(), OccurredAt: a.DB.Now()}); err != nil {
		return err
	}
	// The roadmap counts drafts opened for anti-corruption expertise
	// (measure 8.1) apart from other consultations.
	if first && c.Kind == KindExpertise {
		if err := events.Record(ctx, tx, events.Event{MunicipalityID: c.MunicipalityID, Kind: events.ExpertiseOpened, ObjectType: "consultation", ObjectID: strconv.FormatInt(c.ID, 10),
			Title: c.Title, URL: c.URL(), Spheres: c.SphereSlugs(), OccurredAt: a.DB.Now()}); err != nil {
			return err
		}
	}
	entry.Action, entry.Entity, entry.EntityID = "consultation.stage", "consultation", strconv.FormatInt(c.ID, 10)
	entry.Before, entry.After = map[string]string{"stage": string(before)}, map[string]string{"stage": string(st)}
	if err := audit.Write(ctx, tx, a.DB.Now(), entry); err != nil {
		return err
	}
	if err := a.index(ctx, tx, *c); err != nil {
		return err
	}
	return a.Queue.InsertTx(ctx, tx, NotifyArgs{MunicipalityID: c.MunicipalityID, ConsultationID: c.ID, Event: string(kind)}, nil)
}

// publishNow publishes a consultation and brings its stage up to date.
func (a *Area) publishNow(ctx context.Context, tx *db.Tx, c *Consultation, m tenant.Municipality, entry audit.Entry) error {
	c.PublishedAt = a.DB.Now()
	if err := a.Store.SetPublished(ctx, tx, c.MunicipalityID, c.ID, c.PublishedAt); err != nil {
		return err
	}
	e := entry
	e.Action, e.Entity, e.EntityID, e.After = "consultation.publish", "consultation", strconv.FormatInt(c.ID, 10), map[string]any{"published": true}
	if err := audit.Write(ctx, tx, a.DB.Now(), e); err != nil {
		return err
	}
	if st, ok := DueStage(c.Periods, c.Stage, a.today(m)); ok {
		return a.enterStage(ctx, tx, c, st, entry)
	}
	return a.index(ctx, tx, *c)
}

// publishResults publishes the summary and conclusion in tx.
func (a *Area) publishResultsTx(ctx context.Context, tx *db.Tx, c *Consultation, entry audit.Entry) error {
	var unanswered int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM consultation_comments WHERE consultation_id = ? AND status = 'published' AND decision = ''`, c.ID).Scan(&unanswered); err != nil {
		return fmt.Errorf("count unanswered: %w", err)
	}
	if unanswered > 0 {
		return web.Invalid(fmt.Sprintf("Сначала ответьте на все замечания: без ответа %d.", unanswered))
	}
	if stageIndex(c.Stage) < stageIndex(StageSummary) {
		return web.Invalid("Итоги публикуются после окончания обсуждения, на этапе подведения итогов или позже.")
	}
	c.ResultsPublishedAt = a.DB.Now()
	if err := a.Store.SetResultsPublished(ctx, tx, c.MunicipalityID, c.ID, c.ResultsPublishedAt); err != nil {
		return err
	}
	if err := events.Record(ctx, tx, events.Event{MunicipalityID: c.MunicipalityID, Kind: events.ConsultationResultsPublished, ObjectType: "consultation", ObjectID: strconv.FormatInt(c.ID, 10),
		Title: c.Title, URL: c.URL() + "/summary", Spheres: c.SphereSlugs(), OccurredAt: a.DB.Now()}); err != nil {
		return err
	}
	if c.Kind == KindDeclaration {
		if err := events.Record(ctx, tx, events.Event{MunicipalityID: c.MunicipalityID, Kind: events.DeclarationPublished, ObjectType: "consultation", ObjectID: strconv.FormatInt(c.ID, 10),
			Title: c.Title, URL: c.URL(), Spheres: c.SphereSlugs(), OccurredAt: a.DB.Now()}); err != nil {
			return err
		}
	}
	entry.Action, entry.Entity, entry.EntityID, entry.After = "consultation.results", "consultation", strconv.FormatInt(c.ID, 10), map[string]any{"results_published": true}
	if err := audit.Write(ctx, tx, a.DB.Now(), entry); err != nil {
		return err
	}
	if err := a.index(ctx, tx, *c); err != nil {
		return err
	}
	return a.Queue.InsertTx(ctx, tx, NotifyArgs{MunicipalityID: c.MunicipalityID, ConsultationID: c.ID, Event: string(events.ConsultationResultsPublished)}, nil)
}

// earlyReasonCode marks the refusal of an early end without a reason, so
// that the form puts the message beside the reason field.
const earlyReasonCode = "early_reason_required"

// endsEarly reports whether moving c to st on today ends the acceptance of
// comments before the last day the procedure announced for it.
func endsEarly(c Consultation, st Stage, today deadline.Date) bool {
	_, to := OpenPeriod(c.Periods)
	if to.IsZero() || !today.Before(to.AddDays(1)) || st.Open() {
		return false
	}
	last := -1
	for _, p := range c.Periods {
		if p.Stage.Open() {
			last = max(last, stageIndex(p.Stage))
		}
	}
	return last >= 0 && stageIndex(st) > last && stageIndex(c.Stage) <= last
}

// changeStage is a manual stage change by staff. Ending the discussion
// before its announced end needs a reason, which the summary publishes with
// the real closing day: residents were promised a period.
func (a *Area) changeStage(ctx context.Context, m tenant.Municipality, c *Consultation, st Stage, reason string, entry audit.Entry) error {
	if !slices.ContainsFunc(c.Periods, func(p Period) bool { return p.Stage == st }) {
		return web.Invalid("Такого этапа нет в процедуре этого обсуждения.")
	}
	if !c.Published() {
		return web.Invalid("Сначала опубликуйте обсуждение.")
	}
	if st == c.Stage {
		return nil
	}
	today := a.today(m)
	early := endsEarly(*c, st, today)
	reason = strings.TrimSpace(reason)
	if early && reason == "" {
		_, to := OpenPeriod(c.Periods)
		return &web.Error{Status: http.StatusUnprocessableEntity, Code: earlyReasonCode,
			Message: "Приём замечаний объявлен до " + to.Russian() + ". Чтобы завершить его досрочно, укажите причину: она будет опубликована в итогах."}
	}
	if len([]rune(reason)) > 2000 {
		return &web.Error{Status: http.StatusUnprocessableEntity, Code: earlyReasonCode, Message: "Причина — не длиннее 2000 знаков."}
	}
	return a.DB.InTx(ctx, func(tx *db.Tx) error {
		if early {
			if err := a.Store.SetClosedEarly(ctx, tx, c.MunicipalityID, c.ID, today, reason); err != nil {
				return err
			}
			c.ClosedEarlyOn, c.ClosedEarlyReason = today, reason
			closing := entry
			closing.Action, closing.Entity, closing.EntityID = "consultation.closed_early", "consultation", strconv.FormatInt(c.ID, 10)
			closing.After = map[string]string{"closed_on": today.String(), "reason": reason}
			if err := audit.Write(ctx, tx, a.DB.Now(), closing); err != nil {
				return err
			}
		}
		return a.enterStage(ctx, tx, c, st, entry)
	})
}

// answerComment records the drafter's answer.
func (a *Area) answerComment(ctx context.Context, munID, id int64, d Decision, reason string, entry audit.Entry, v *web.Viewer) (Comment, error) {
	if errs := CheckAnswer(d, reason); len(errs) > 0 {
		return Comment{}, &answerError{errs}
	}
	var out Comment
	err := a.DB.InTx(ctx, func(tx *db.Tx) error {
		cm, err := a.Store.Comment(ctx, tx, munID, id)
		if err != nil {
			return err
		}
		c, err := a.Store.Get(ctx, tx, munID, cm.ConsultationID)
		if err != nil {
			return err
		}
		if !canManage(v, c) {
			return web.ErrForbidden
		}
		if cm.Status != StatusPublished {
			return web.Invalid("Ответить можно только на опубликованное замечание.")
		}
		if err := a.Store.Answer(ctx, tx, munID, id, d, reason, v.ID); err != nil {
			return err
		}
		entry.Action, entry.Entity, entry.EntityID = "comment.answer", "consultation_comment", strconv.FormatInt(id, 10)
		entry.Before = map[string]string{"decision": string(cm.Decision), "reason": cm.DecisionReason}
		entry.After = map[string]string{"decision": string(d), "reason": strings.TrimSpace(reason)}
		if err := audit.Write(ctx, tx, a.DB.Now(), entry); err != nil {
			return err
		}
		cm.Decision, cm.DecisionReason = d, strings.TrimSpace(reason)
		out = cm
		return nil
	})
	return out, err
}

type answerError struct{ fields map[string]string }

func (e *answerError) Error() string { return "invalid answer" }

// mayTakePart says whether the viewer may comment, and if not, why.
func (a *Area) mayTakePart(ctx context.Context, c Consultation, v *web.Viewer) (bool, string, error) {
	if !c.Open() {
		return false, "Приём замечаний и предложений сейчас не ведётся.", nil
	}
	switch c.Participation {
	case AnyResident:
	case RegisteredResident:
		if v == nil {
			return false, "Участвовать могут зарегистрированные жители: войдите или зарегистрируйтесь.", nil
		}
	case GroupMembersOnly:
		if v == nil {
			return false, "Участвовать могут члены референтных групп: войдите в свою учётную запись.", nil
		}
		groups := a.Portal.Groups()
		if groups == nil {
			return false, "Участвовать могут члены референтных групп; реестр групп пока не подключён.", nil
		}
		members, err := groups.GroupMembers(ctx, c.MunicipalityID, c.SphereIDs())
		if err != nil {
			return false, "", err
		}
		if !slices.ContainsFunc(members, func(gm portal.GroupMember) bool { return gm.AccountID == v.ID }) {
			return false, "Участвовать могут только члены референтных групп по сферам этого обсуждения.", nil
		}
	case AccreditedExperts:
		if v == nil {
			return false, "Заключения направляют аккредитованные эксперты: войдите в свою учётную запись.", nil
		}
		e, err := a.Store.ExpertByAccount(ctx, c.MunicipalityID, v.ID)
		if errors.Is(err, db.ErrNotFound) || (err == nil && e.Status != ExpertVerified) {
			return false, "Заключения направляют эксперты, чья аккредитация проверена администрацией.", nil
		}
		if err != nil {
			return false, "", err
		}
	}
	if v != nil {
		blocked, err := a.Store.Blocked(ctx, c.MunicipalityID, v.ID, v.Email)
		if err != nil {
			return false, "", err
		}
		if blocked {
			return false, "Ваша возможность оставлять комментарии ограничена модератором.", nil
		}
	}
	return true, "", nil
}

// CommentInput is a comment as a participant submits it (form or API).
type CommentInput struct {
	Point        string `json:"point"`
	Quote        string `json:"quote"`
	Body         string `json:"text"`
	AuthorKind   string `json:"author_kind"`
	AuthorName   string `json:"author_name"`
	Organisation string `json:"organisation"`
	Email        string `json:"email"`
	Consent      bool   `json:"consent"`
}

// draftBlocks is ParseDraft of a version, parsed once: a version's text
// never changes under its id. Callers must not change the blocks.
func (a *Area) draftBlocks(v Version) []Block {
	return a.drafts.get(v.ID, func() []Block { return ParseDraft(v.Body) })
}

// submitComment validates and stores a comment. Field errors come back in
// the map; other errors are returned.
func (a *Area) submitComment(ctx context.Context, c Consultation, v *web.Viewer, in CommentInput) (Comment, map[string]string, error) {
	errs := map[string]string{}
	ok, why, err := a.mayTakePart(ctx, c, v)
	if err != nil {
		return Comment{}, nil, err
	}
	if !ok {
		errs["body"] = why
		return Comment{}, errs, nil
	}
	vs, err := a.Store.Versions(ctx, a.DB, c.ID)
	if err != nil {
		return Comment{}, nil, err
	}
	draft, _ := Drafts(vs)
	if draft == nil {
		errs["body"] = "Проект ещё не опубликован."
		return Comment{}, errs, nil
	}
	in.Body = strings.TrimSpace(in.Body)
	switch n := len([]rune(in.Body)); {
	case n == 0:
		errs["body"] = "Напишите замечание или предложение."
	case n > 5000:
		errs["body"] = "Текст длиннее 5000 знаков: разделите его на несколько предложений."
	}
	cm := Comment{MunicipalityID: c.MunicipalityID, ConsultationID: c.ID, VersionID: draft.ID, QuoteStart: -1, QuoteEnd: -1, Body: in.Body}
	a.commentPlace(*draft, in, &cm, errs)
	commentSignature(v, in, &cm, errs)
	if len(errs) > 0 {
		return Comment{}, errs, nil
	}
	if v == nil && cm.Email != "" {
		blocked, err := a.Store.Blocked(ctx, c.MunicipalityID, 0, cm.Email)
		if err != nil {
			return Comment{}, nil, err
		}
		if blocked {
			errs["body"] = "Возможность оставлять комментарии с этого адреса ограничена модератором."
			return Comment{}, errs, nil
		}
	}
	if err := a.moderationStatus(ctx, c, &cm); err != nil {
		return Comment{}, nil, err
	}
	to := cm.Email
	if v != nil {
		to = v.Email
	}
	err = a.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := a.Store.AddComment(ctx, tx, &cm); err != nil {
			return err
		}
		if to == "" {
			return nil
		}
		// The receipt by mail: art. 5.1 of the Town Planning Code wants a
		// participant able to find their proposal in the results.
		return a.Mailer.Queue(ctx, tx, to, "consultation.receipt", map[string]any{"Receipt": cm.Receipt, "Title": c.Title, "Pending": cm.Status != StatusPublished})
	})
	return cm, nil, err
}

// commentPlace binds a comment to the point of the draft it is about and to
// the quoted fragment, which must be in that point's text.
func (a *Area) commentPlace(draft Version, in CommentInput, cm *Comment, errs map[string]string) {
	blocks := a.draftBlocks(draft)
	text := PlainText(blocks)
	if in.Point != "" {
		b, found := FindBlock(blocks, in.Point)
		if !found {
			errs["point"] = "Выберите пункт из списка."
		} else {
			cm.Point, cm.PointLabel, text = b.Anchor, b.Label(), b.Heading+"\n"+b.Text
		}
	}
	if q := strings.TrimSpace(in.Quote); q != "" {
		if len([]rune(q)) > 1000 {
			errs["quote"] = "Цитата длиннее 1000 знаков: оставьте только обсуждаемый фрагмент."
		} else if s, e := Quote(text, q); s < 0 {
			errs["quote"] = "Такого фрагмента нет в тексте выбранного пункта. Скопируйте его из проекта без изменений."
		} else {
			cm.Quote, cm.QuoteStart, cm.QuoteEnd = q, s, e
		}
	}
}

// commentSignature signs the comment as its author chose, and checks the
// address and the consent of an author who is not signed in.
func commentSignature(v *web.Viewer, in CommentInput, cm *Comment, errs map[string]string) {
	cm.AuthorKind = in.AuthorKind
	switch in.AuthorKind {
	case AuthorName:
		cm.AuthorName = strings.TrimSpace(in.AuthorName)
		if cm.AuthorName == "" && v != nil {
			cm.AuthorName = v.Name
		}
		if cm.AuthorName == "" {
			errs["author_name"] = "Укажите имя или выберите подпись «житель»."
		}
	case AuthorOrganisation:
		cm.Organisation = strings.TrimSpace(in.Organisation)
		if cm.Organisation == "" {
			errs["organisation"] = "Укажите название организации."
		}
	case AuthorResident, "":
		cm.AuthorKind = AuthorResident
	default:
		errs["author_kind"] = "Выберите, как подписать предложение."
	}
	if len([]rune(cm.AuthorName)) > 200 || len([]rune(cm.Organisation)) > 300 {
		errs["author_name"] = "Слишком длинная подпись."
	}
	if v != nil {
		cm.AccountID = v.ID
	} else if e := strings.TrimSpace(in.Email); e != "" {
		f := web.NewForm(nil)
		f.Values.Set("email", e)
		f.Email("email")
		if !f.Valid() {
			errs["email"] = f.Errors["email"]
		}
		cm.Email = strings.ToLower(e)
	}
	if (cm.AuthorName != "" || cm.Email != "") && v == nil && !in.Consent {
		errs["consent"] = "Подтвердите согласие на обработку персональных данных или подпишитесь как «житель» без адреса."
	}
}

// moderationStatus publishes the comment, or holds it for the moderator
// under pre-moderation or when it has words of the municipality's list.
func (a *Area) moderationStatus(ctx context.Context, c Consultation, cm *Comment) error {
	st, err := a.Store.Settings(ctx, c.MunicipalityID)
	if err != nil {
		return err
	}
	wl := a.wordLists.get(st.WordList, func() WordList {
		wl, err := ParseWordList(st.WordList)
		if err != nil {
			return MustDefaultWordList()
		}
		return wl
	})
	cm.Status = StatusPublished
	if c.Moderation == PreModeration {
		cm.Status = StatusPending
	}
	if hits := wl.Check(cm.Body + " " + cm.AuthorName + " " + cm.Organisation); len(hits) > 0 {
		cm.Status = StatusHeld
		cm.HeldReason = "Автоматически задержано: найдены слова из списка недопустимых (" + strings.Join(hits, ", ") + ")."
	}
	return nil
}

// readProcedures reads the installation's adjustments of the procedures
// (stages, terms, who takes part, moderation) from consult-procedures.txt
// beside its data, over DefaultProcedures; see docs/consult.md.
func readProcedures(dataDir string) (Procedures, error) {
	procs := DefaultProcedures()
	if dataDir == "" {
		return procs, nil
	}
	b, err := os.ReadFile(filepath.Join(dataDir, "consult-procedures.txt"))
	if errors.Is(err, fs.ErrNotExist) {
		return procs, nil
	}
	if err != nil {
		return nil, fmt.Errorf("consult: read procedures: %w", err)
	}
	if procs, err = ParseProcedures(string(b), procs); err != nil {
		return nil, fmt.Errorf("consult-procedures.txt: %w", err)
	}
	return procs, nil
}

// calendar is the municipality's production calendar with its corrections.
func (a *Area) calendar(ctx context.Context, munID int64) (deadline.Calendar, error) {
	return a.Calendars.For(ctx, munID)
}

// Contribution is what the area gives the rest of the portal.
func (a *Area) Contribution() portal.Contribution {
	return portal.Contribution{
		Name: "consult", Title: "Обсуждения",
		Nav: []web.NavItem{{Order: 40, Href: "/consultations", Label: "Обсуждения"}},
		Mechanisms: []portal.MechanismLink{
			{Number: 4, Href: "/consultations"}, {Number: 7, Href: "/consultations?kind=declaration"}, {Number: 8, Href: "/expertise"},
		},
		Staff:   []web.NavItem{{Order: 40, Href: "/admin/consultations", Label: "Обсуждения, декларация, экспертиза"}},
		Sitemap: a.Sitemap,
		Feeds:   []web.Feed{{Title: "Обсуждения", Href: "/consultations/feed.atom"}},
		Evidence: []events.Kind{events.ConsultationOpened, events.ConsultationStageChanged, events.ConsultationResultsPublished,
			events.DeclarationPublished, events.ExpertiseOpened, events.ExpertiseConclusionPublished},
		Datasets: a.datasets(),
		Tasks:    a.tasks,
		Demo:     a.demo,
		Scale:    a.scale,
	}
}
