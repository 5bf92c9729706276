package consult

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/feed"
	"github.com/glasnost/glasnost/internal/markdown"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// commentsPerPage keeps the consultation page the same size with 10 or
// 10,000 comments.
const commentsPerPage = 20

func templateFuncs() template.FuncMap {
	labels := DefaultProcedures()
	return template.FuncMap{
		"consultMarkdown": RenderMarkdown,
		"consultKind":     func(k Kind) string { return labels.Label(k) },
		"consultStage":    func(s Stage, k Kind) string { return s.Label(k) },
		"consultDate": func(d deadline.Date) string {
			if d.IsZero() {
				return "—"
			}
			return d.Russian()
		},
		"consultStatus": StatusLabel,
		"consultLines": func(s string) []string {
			var out []string
			for _, l := range strings.Split(s, "\n") {
				if l = strings.TrimSpace(l); l != "" {
					out = append(out, l)
				}
			}
			return out
		},
	}
}

// stageView is a stage as the page lists it.
type stageView struct {
	Label         string
	Starts, Ends  string
	Current, Past bool
}

func stageViews(c Consultation) []stageView {
	cur := stageIndex(c.Stage)
	var out []stageView
	for _, p := range c.Periods {
		sv := stageView{Label: p.Stage.Label(c.Kind), Starts: p.Starts.Russian(), Current: p.Stage == c.Stage, Past: c.Stage != "" && stageIndex(p.Stage) < cur}
		if !p.Ends.IsZero() {
			sv.Ends = p.Ends.Russian()
		}
		out = append(out, sv)
	}
	return out
}

type blockView struct {
	Block
	HTML  template.HTML
	Count int
}

// list is the public list of consultations.
func (a *Area) list(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	q := r.URL.Query()
	f := Filter{PublicOnly: true, Kind: Kind(q.Get("kind")), Open: q.Get("open") == "1"}
	if _, ok := a.Procedures[f.Kind]; !ok {
		f.Kind = ""
	}
	p := web.NewPager(r.URL, 20)
	cs, total, err := a.Store.List(r.Context(), m.ID, f, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	page := a.Renderer.NewPage(r, "Общественные обсуждения", map[string]any{"Consultations": cs, "Pager": p, "Kinds": a.kindOptions(), "Kind": string(f.Kind), "Open": f.Open, "Total": total})
	page.Feeds = []web.Feed{{Title: "Общественные обсуждения", Href: "/consultations/feed.atom"}}
	page.Description = "Общественные обсуждения проектов администрации: предложения жителей, ход обсуждения и итоги."
	page.OGType = "website"
	a.Renderer.Render(w, r, http.StatusOK, "consult/list", page)
}

type kindOption struct {
	Value, Label string
}

func (a *Area) kindOptions() []kindOption {
	var out []kindOption
	for _, k := range Kinds {
		out = append(out, kindOption{string(k), a.Procedures.Label(k)})
	}
	return out
}

// page is a consultation's public page: stages, the draft by points with
// comment counts, one page of comments with answers, the comment form,
// results, expert conclusions and declaration goals.
func (a *Area) page(w http.ResponseWriter, r *http.Request) {
	c, err := a.load(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.renderPage(w, r, c, http.StatusOK, nil)
}

func (a *Area) renderPage(w http.ResponseWriter, r *http.Request, c Consultation, status int, form *web.Form) {
	ctx := r.Context()
	m := web.Municipality(r)
	v := web.ViewerFrom(ctx)
	vs, err := a.Store.Versions(ctx, a.DB, c.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	draft, final := Drafts(vs)
	blocks, err := a.countedBlocks(ctx, c.ID, draft)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	point, pointLabel := chosenPoint(blocks, r.URL.Query().Get("point"))
	p := web.NewPager(r.URL, commentsPerPage)
	cms, total, err := a.Store.Comments(ctx, c.ID, CommentFilter{Statuses: []string{StatusPublished}, Point: point}, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	can, why, err := a.mayTakePart(ctx, c, v)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	st, err := a.Store.Settings(ctx, m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if form == nil {
		form = newCommentForm(point, v)
	}
	data := map[string]any{
		"C": c, "KindLabel": a.Procedures.Label(c.Kind), "Stages": stageViews(c), "Until": c.Until().Russian(),
		"Blocks": blocks, "Draft": draft, "Final": final, "Comments": cms, "Pager": p, "Total": total, "Point": point, "PointLabel": pointLabel,
		"Form": form, "CanComment": can, "Why": why, "Rules": st.ModerationRules, "Staff": canManage(v, c), "Signed": v != nil,
		"Participation": c.Participation.Label(), "Impact": ImpactLabel(c.Impact), "Expertise": c.Kind == KindExpertise,
		"Moderated": c.Moderation == PreModeration,
	}
	if err := a.addOutcomes(ctx, m, c, data); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	informed, err := a.groupsInformedAt(ctx, c)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	data["GroupsInformed"] = informed
	page := a.Renderer.NewPage(r, c.Title, data)
	page.Feeds = []web.Feed{{Title: "Общественные обсуждения", Href: "/consultations/feed.atom"}}
	if c.Summary != "" {
		page.Description = web.Summary(c.Summary, 160)
	} else {
		page.Description = web.Summary(a.Procedures.Label(c.Kind)+": "+c.Title, 160)
	}
	page.OGType = "article"
	a.Renderer.Render(w, r, status, "consult/page", page)
}

// countedBlocks is the draft by points, each with its count of comments;
// none when there is no draft yet.
func (a *Area) countedBlocks(ctx context.Context, consultationID int64, draft *Version) ([]blockView, error) {
	counts, err := a.Store.PointCounts(ctx, consultationID)
	if err != nil {
		return nil, err
	}
	var blocks []blockView
	if draft != nil {
		for _, b := range a.draftBlocks(*draft) {
			blocks = append(blocks, blockView{Block: b, HTML: RenderMarkdown(b.Text), Count: counts[b.Anchor]})
		}
	}
	return blocks, nil
}

// chosenPoint returns the point the comments are filtered by and its label;
// a point not in the draft is ignored, so an old link shows all comments.
func chosenPoint(blocks []blockView, point string) (string, string) {
	if point == "" {
		return "", ""
	}
	label, found := "", false
	for _, b := range blocks {
		if b.Anchor == point {
			label, found = b.Label(), true
		}
	}
	if !found {
		return "", ""
	}
	return point, label
}

// newCommentForm is the empty comment form, signed with the viewer's name
// when there is one.
func newCommentForm(point string, v *web.Viewer) *web.Form {
	form := web.NewForm(nil)
	form.Values.Set("point", point)
	form.Values.Set("author_kind", AuthorResident)
	if v != nil && v.Name != "" {
		form.Values.Set("author_kind", AuthorName)
		form.Values.Set("author_name", v.Name)
	}
	return form
}

// addOutcomes adds to the page data what the consultation has produced so
// far: the conclusion once results are published, the expert conclusions of
// an expertise and the goals of a declaration.
func (a *Area) addOutcomes(ctx context.Context, m tenant.Municipality, c Consultation, data map[string]any) error {
	if !c.ResultsPublishedAt.IsZero() {
		t, err := a.tally(ctx, c.ID)
		if err != nil {
			return err
		}
		data["Conclusion"] = ConclusionText(c, a.Procedures.Label(c.Kind), t)
	}
	if c.Kind == KindExpertise {
		ks, err := a.Store.Conclusions(ctx, c.ID)
		if err != nil {
			return err
		}
		data["Conclusions"] = conclusionViews(ks, a.today(m))
	}
	if c.Kind == KindDeclaration {
		gs, err := a.Store.Goals(ctx, c.ID)
		if err != nil {
			return err
		}
		data["Goals"] = gs
	}
	return nil
}

type conclusionView struct {
	Conclusion
	Overdue bool
	Names   map[string]string
}

func conclusionViews(ks []Conclusion, today deadline.Date) []conclusionView {
	names := map[string]string{}
	for _, f := range Factors {
		names[f.Code] = f.Name
	}
	out := make([]conclusionView, len(ks))
	for i, k := range ks {
		out[i] = conclusionView{Conclusion: k, Overdue: Overdue(k.DueOn, today, !k.AnsweredAt.IsZero()), Names: names}
	}
	return out
}

// comment accepts a comment from the page's form.
func (a *Area) comment(w http.ResponseWriter, r *http.Request) {
	c, err := a.load(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f, err := web.ParseForm(w, r, 64<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	in := CommentInput{Point: f.Get("point"), Quote: f.Get("quote"), Body: f.Get("body"), AuthorKind: f.Get("author_kind"),
		AuthorName: f.Get("author_name"), Organisation: f.Get("organisation"), Email: f.Get("email"), Consent: f.Get("consent") == "yes"}
	cm, errs, err := a.submitComment(r.Context(), c, web.ViewerFrom(r.Context()), in)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if len(errs) > 0 {
		for _, k := range []string{"point", "quote", "body", "author_kind", "author_name", "organisation", "email", "consent"} {
			if msg, ok := errs[k]; ok {
				f.Fail(k, msg)
			}
		}
		a.renderPage(w, r, c, http.StatusUnprocessableEntity, f)
		return
	}
	msg := "Спасибо! Ваше предложение принято, номер квитанции " + cm.Receipt + ". Сохраните его, чтобы найти своё предложение в сводке."
	if cm.Status != StatusPublished {
		msg += " Оно будет опубликовано после проверки модератором."
	}
	web.SetFlash(a.Sessions, r, msg)
	http.Redirect(w, r, "/consultations/receipt?number="+url.QueryEscape(cm.Receipt), http.StatusSeeOther)
}

// receipt lets a participant check their proposal by its receipt number.
func (a *Area) receipt(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	number := NormalizeReceipt(r.URL.Query().Get("number"))
	data := map[string]any{"Number": number}
	if number != "" {
		cm, err := a.Store.CommentByReceipt(r.Context(), m.ID, number)
		switch {
		case errors.Is(err, db.ErrNotFound):
			data["NotFound"] = true
		case err != nil:
			a.Errors.Render(w, r, err)
			return
		default:
			c, err := a.Store.Get(r.Context(), a.DB, m.ID, cm.ConsultationID)
			if err != nil {
				a.Errors.Render(w, r, err)
				return
			}
			data["Comment"], data["C"] = cm, c
			if cm.Status == StatusPublished {
				n, err := a.Store.CommentNumber(r.Context(), cm)
				if err != nil {
					a.Errors.Render(w, r, err)
					return
				}
				data["Number"], data["Position"] = number, n
				data["SummaryPage"] = (n-1)/summaryPerPage + 1
			}
		}
	}
	a.Renderer.Page(w, r, http.StatusOK, "consult/receipt", "Проверить предложение по номеру квитанции", data)
}

const summaryPerPage = 50

// summary is the published summary of proposals and the conclusion.
func (a *Area) summary(w http.ResponseWriter, r *http.Request) {
	c, err := a.load(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	staff := canManage(web.ViewerFrom(r.Context()), c)
	if c.ResultsPublishedAt.IsZero() && !staff {
		a.Renderer.Page(w, r, http.StatusOK, "consult/summary", "Итоги: "+c.Title, map[string]any{"C": c, "NotYet": true})
		return
	}
	t, err := a.tally(r.Context(), c.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p := web.NewPager(r.URL, summaryPerPage)
	cms, total, err := a.Store.Comments(r.Context(), c.ID, CommentFilter{Statuses: []string{StatusPublished}}, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	turnout, err := a.groupTurnout(r.Context(), c)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "consult/summary", "Итоги: "+c.Title, map[string]any{
		"C": c, "Comments": cms, "Pager": p, "Tally": t, "Conclusion": ConclusionText(c, a.Procedures.Label(c.Kind), t), "Groups": turnout,
		"Preview": c.ResultsPublishedAt.IsZero(),
	})
}

// exportable loads a consultation whose summary may be downloaded.
func (a *Area) exportable(r *http.Request) (Consultation, SummaryHead, error) {
	c, err := a.load(r)
	if err != nil {
		return c, SummaryHead{}, err
	}
	if c.ResultsPublishedAt.IsZero() && !canManage(web.ViewerFrom(r.Context()), c) {
		return c, SummaryHead{}, web.ErrNotFound
	}
	t, err := a.tally(r.Context(), c.ID)
	if err != nil {
		return c, SummaryHead{}, err
	}
	m := web.Municipality(r)
	return c, SummaryHead{Municipality: m.Name, Title: c.Title, KindLabel: a.Procedures.Label(c.Kind), Department: c.Department,
		Conclusion: ConclusionText(c, a.Procedures.Label(c.Kind), t), Generated: m.Local(a.DB.Now())}, nil
}

func (a *Area) rows(r *http.Request, id int64) Rows {
	return func(fn func(Comment) error) error {
		return a.Store.EachComment(r.Context(), id, CommentFilter{Statuses: []string{StatusPublished}}, fn)
	}
}

func (a *Area) exportXLSX(w http.ResponseWriter, r *http.Request) {
	a.export(w, r, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", WriteXLSX)
}

func (a *Area) exportPDF(w http.ResponseWriter, r *http.Request) {
	a.export(w, r, "pdf", "application/pdf", WritePDF)
}

// export serves a summary file. Building the PDF of 10,000 proposals takes
// a second and much memory, and a published summary is downloaded many
// times, so files are kept by the consultation's revision: any change to
// comments, answers or details makes a new one.
func (a *Area) export(w http.ResponseWriter, r *http.Request, ext, contentType string, write func(io.Writer, SummaryHead, Rows) error) {
	c, h, err := a.exportable(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	rev, err := a.Store.Revision(r.Context(), c.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	key := fmt.Sprintf("%s/%d/%d", ext, c.ID, rev)
	body, ok := a.exports.lookup(key)
	if !ok {
		var buf bytes.Buffer
		if err := write(&buf, h, a.rows(r, c.ID)); err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		body = buf.Bytes()
		a.exports.put(key, body)
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="summary-%d.%s"`, c.ID, ext))
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// diff shows the final text against the discussed draft.
func (a *Area) diff(w http.ResponseWriter, r *http.Request) {
	c, err := a.load(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	vs, err := a.Store.Versions(r.Context(), a.DB, c.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	draft, final := Drafts(vs)
	if draft == nil || final == nil {
		a.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	parts := markdown.TextParts(draft.Body, final.Body)
	ins, del := markdown.ChangedRunes(parts)
	a.Renderer.Page(w, r, http.StatusOK, "consult/diff", "Итоговая редакция: "+c.Title, map[string]any{
		"C": c, "Draft": draft, "Final": final, "Parts": parts, "Inserted": ins, "Deleted": del, "FinalHTML": RenderMarkdown(final.Body),
	})
}

// expertise is the section «Независимая антикоррупционная экспертиза».
func (a *Area) expertise(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	p := web.NewPager(r.URL, 20)
	cs, total, err := a.Store.List(r.Context(), m.ID, Filter{PublicOnly: true, Kind: KindExpertise}, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	type row struct {
		C          Consultation
		From, To   string
		Open       bool
		StageLabel string
	}
	var rows []row
	for _, c := range cs {
		from, to := OpenPeriod(c.Periods)
		rows = append(rows, row{c, from.Russian(), to.Russian(), c.Open(), c.Stage.Label(c.Kind)})
	}
	var expert *Expert
	if v := web.ViewerFrom(r.Context()); v != nil {
		if e, err := a.Store.ExpertByAccount(r.Context(), m.ID, v.ID); err == nil {
			expert = &e
		}
	}
	a.Renderer.Page(w, r, http.StatusOK, "consult/expertise", "Независимая антикоррупционная экспертиза", map[string]any{
		"Rows": rows, "Pager": p, "Expert": expert, "MinDays": a.Procedures[KindExpertise].MinDays,
	})
}

// feedAtom is the Atom feed of published consultations.
func (a *Area) feedAtom(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	cs, _, err := a.Store.List(r.Context(), m.ID, Filter{PublicOnly: true}, 50, 0)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f := feed.Feed{Title: "Общественные обсуждения — " + m.Name, Path: "/consultations", SelfPath: "/consultations/feed.atom", Author: m.Name}
	for _, c := range cs {
		summary := a.Procedures.Label(c.Kind) + ". Этап: " + c.Stage.Label(c.Kind)
		if u := c.Until(); !u.IsZero() {
			summary += " до " + u.Russian()
		}
		if c.Summary != "" {
			summary += ". " + c.Summary
		}
		f.Entries = append(f.Entries, feed.Entry{Title: c.Title, Path: c.URL(), Updated: c.UpdatedAt, Published: c.PublishedAt, Summary: summary})
	}
	if err := feed.Write(w, feed.Base(r, a.BaseURL), f); err != nil {
		a.Log.WarnContext(r.Context(), "consultations feed", "err", err)
	}
}

// Sitemap lists the public pages of a municipality's consultations.
func (a *Area) Sitemap(ctx context.Context, munID int64) ([]portal.SitemapURL, error) {
	var out []portal.SitemapURL
	for offset := 0; ; offset += 500 {
		cs, total, err := a.Store.List(ctx, munID, Filter{PublicOnly: true}, 500, offset)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			out = append(out, portal.SitemapURL{Loc: c.URL(), LastMod: c.UpdatedAt})
			if !c.ResultsPublishedAt.IsZero() {
				out = append(out, portal.SitemapURL{Loc: c.URL() + "/summary", LastMod: c.ResultsPublishedAt})
			}
		}
		if offset+500 >= total {
			return append(out, portal.SitemapURL{Loc: "/consultations"}, portal.SitemapURL{Loc: "/expertise"}), nil
		}
	}
}
