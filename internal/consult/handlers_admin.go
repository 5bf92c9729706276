package consult

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

func (a *Area) adminList(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	q := r.URL.Query()
	f := Filter{Kind: Kind(q.Get("kind"))}
	if _, ok := a.Procedures[f.Kind]; !ok {
		f.Kind = ""
	}
	p := web.NewPager(r.URL, 30)
	cs, total, err := a.Store.List(r.Context(), m.ID, f, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	var queue, overdue int
	if err := a.DB.QueryRow(r.Context(), `SELECT COUNT(*) FROM consultation_comments WHERE municipality_id = ? AND status IN ('pending', 'held')`, m.ID).Scan(&queue); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	ks, err := a.Store.UnansweredConclusions(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	for _, k := range ks {
		if Overdue(k.DueOn, a.today(m), false) {
			overdue++
		}
	}
	a.Renderer.Page(w, r, http.StatusOK, "consult/admin_list", "Обсуждения: управление", map[string]any{
		"Consultations": cs, "Pager": p, "Kinds": a.kindOptions(), "Kind": string(f.Kind), "Queue": queue, "Unanswered": len(ks), "Overdue": overdue,
		"Lawyer": web.ViewerFrom(r.Context()).Has(lawyerRoles...), "Admin": web.ViewerFrom(r.Context()).Has(settingRoles...),
	})
}

// editData is what the new and edit pages show.
type editData struct {
	Form        *web.Form
	C           Consultation
	New         bool
	Kinds       []kindOption
	Departments []tenant.Department
	Spheres     []tenant.Sphere
	Checked     map[string]bool
	Stages      []Stage
	StageLabels map[Stage]string
	Versions    []Version
	Draft       *Version
	Final       *Version
	Findings    []WordingFinding
	Marked      []markedPart
	Goals       []Goal
	Unanswered  int
	Total       int
	Pending     int
	Conclusions []conclusionView
	CanManage   bool
	Bounds      string
	Impacts     []kindOption
}

// markedPart is a run of draft text, highlighted when a wording rule
// points at it.
type markedPart struct {
	Text   string
	Mark   bool
	Factor string
	Title  string
}

// MarkFindings cuts text into runs at the findings' character offsets, for
// highlighting beside the draft. Overlapping findings merge into the first.
func MarkFindings(text string, fs []WordingFinding) []markedPart {
	rs := []rune(text)
	var out []markedPart
	pos := 0
	for _, f := range fs {
		if f.Start < pos || f.End > len(rs) || f.Start >= f.End {
			continue
		}
		if f.Start > pos {
			out = append(out, markedPart{Text: string(rs[pos:f.Start])})
		}
		out = append(out, markedPart{Text: string(rs[f.Start:f.End]), Mark: true, Factor: f.Factor, Title: f.Advice})
		pos = f.End
	}
	if pos < len(rs) {
		out = append(out, markedPart{Text: string(rs[pos:])})
	}
	return out
}

func (a *Area) editPage(w http.ResponseWriter, r *http.Request, status int, d editData) {
	ctx := r.Context()
	m := web.Municipality(r)
	var err error
	if d.Departments, err = a.Tenants.Departments(ctx, m.ID); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if d.Spheres, err = a.Tenants.Spheres(ctx, m.ID); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	d.Kinds = a.kindOptions()
	d.Impacts = []kindOption{{"", "не оценивается"}, {string(ImpactLow), ImpactLabel(ImpactLow)}, {string(ImpactMedium), ImpactLabel(ImpactMedium)}, {string(ImpactHigh), ImpactLabel(ImpactHigh)}}
	d.Checked = map[string]bool{}
	for _, s := range d.Form.Values["spheres"] {
		d.Checked[s] = true
	}
	d.StageLabels = map[Stage]string{}
	for _, s := range AllStages {
		d.StageLabels[s] = s.Label(d.C.Kind)
	}
	if !d.New {
		d.Stages = a.Procedures[d.C.Kind].Stages
		if len(d.C.Periods) > 0 {
			d.Stages = nil
			for _, p := range d.C.Periods {
				d.Stages = append(d.Stages, p.Stage)
			}
		}
		minD, maxD := a.Procedures[d.C.Kind].Bounds(d.C.Impact)
		d.Bounds = "Приём замечаний: от " + strconv.Itoa(minD) + " до " + strconv.Itoa(maxD) + " дней."
		if d.Versions, err = a.Store.Versions(ctx, a.DB, d.C.ID); err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		d.Draft, d.Final = Drafts(d.Versions)
		latest := d.Draft
		if d.Final != nil {
			latest = d.Final
		}
		if latest != nil {
			rules, err := a.wordingRules(r)
			if err != nil {
				a.Errors.Render(w, r, err)
				return
			}
			d.Findings = CheckWording(latest.Body, rules)
			d.Marked = MarkFindings(latest.Body, d.Findings)
		}
		if d.C.Kind == KindDeclaration {
			if d.Goals, err = a.Store.Goals(ctx, d.C.ID); err != nil {
				a.Errors.Render(w, r, err)
				return
			}
		}
		if d.C.Kind == KindExpertise {
			ks, err := a.Store.Conclusions(ctx, d.C.ID)
			if err != nil {
				a.Errors.Render(w, r, err)
				return
			}
			d.Conclusions = conclusionViews(ks, a.today(m))
		}
		if err := a.DB.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN decision = '' THEN 1 ELSE 0 END), 0) FROM consultation_comments WHERE consultation_id = ? AND status = 'published'`, d.C.ID).Scan(&d.Total, &d.Unanswered); err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		if err := a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM consultation_comments WHERE consultation_id = ? AND status IN ('pending', 'held')`, d.C.ID).Scan(&d.Pending); err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		d.CanManage = canManage(web.ViewerFrom(ctx), d.C)
	}
	title := "Новое обсуждение"
	if !d.New {
		title = d.C.Title
	}
	a.Renderer.Page(w, r, status, "consult/admin_edit", title, d)
}

func (a *Area) newForm(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm(nil)
	f.Values.Set("kind", string(KindDiscussion))
	f.Values.Set("start", a.today(web.Municipality(r)).AddDays(1).String())
	if v := web.ViewerFrom(r.Context()); v.DepartmentID != 0 {
		f.Values.Set("department", strconv.FormatInt(v.DepartmentID, 10))
	}
	a.editPage(w, r, http.StatusOK, editData{Form: f, New: true})
}

// readConsultation reads the common fields of the new and edit forms.
func (a *Area) readConsultation(r *http.Request, f *web.Form, c *Consultation) []int64 {
	c.Title, c.Summary = f.Get("title"), f.Get("summary")
	f.Required(map[string]string{"title": "Название"})
	f.MaxLen("title", "Название", 500)
	f.MaxLen("summary", "Краткое описание", 4000)
	c.Impact = Impact(f.Get("impact"))
	if ImpactLabel(c.Impact) == "" {
		c.Impact = ImpactNone
	}
	c.DepartmentID, _ = strconv.ParseInt(f.Get("department"), 10, 64)
	m := web.Municipality(r)
	depts, _ := a.Tenants.Departments(r.Context(), m.ID)
	if c.DepartmentID != 0 && !slices.ContainsFunc(depts, func(d tenant.Department) bool { return d.ID == c.DepartmentID }) {
		f.Fail("department", "Выберите подразделение из списка.")
	}
	if c.DepartmentID == 0 {
		f.Fail("department", "Выберите подразделение-разработчика.")
	}
	spheres, _ := a.Tenants.Spheres(r.Context(), m.ID)
	var ids []int64
	for _, s := range f.Values["spheres"] {
		id, _ := strconv.ParseInt(s, 10, 64)
		if slices.ContainsFunc(spheres, func(x tenant.Sphere) bool { return x.ID == id }) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		f.Fail("spheres", "Отметьте хотя бы одну сферу: по ним жителей уведомят об обсуждении.")
	}
	return ids
}

func (a *Area) create(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, 1<<20)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	v := web.ViewerFrom(r.Context())
	c := Consultation{MunicipalityID: m.ID, Kind: Kind(f.Get("kind")), CreatedBy: v.ID}
	proc, ok := a.Procedures[c.Kind]
	if !ok {
		f.Fail("kind", "Выберите вид обсуждения.")
	}
	sphereIDs := a.readConsultation(r, f, &c)
	start, err := deadline.ParseDate(f.Get("start"))
	if err != nil {
		f.Fail("start", "Укажите дату начала в виде ГГГГ-ММ-ДД.")
	}
	body := f.Get("body")
	if body == "" {
		f.Fail("body", "Вставьте текст проекта.")
	}
	if !f.Valid() {
		a.editPage(w, r, http.StatusUnprocessableEntity, editData{Form: f, New: true})
		return
	}
	c.Participation, c.Moderation = proc.Participation, proc.Moderation
	c.Periods = DefaultSchedule(proc, c.Impact, start)
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.Create(r.Context(), tx, &c, sphereIDs); err != nil {
			return err
		}
		ver := Version{ConsultationID: c.ID, Body: body, Note: "Первая редакция"}
		if err := a.Store.AddVersion(r.Context(), tx, &ver, v.ID); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "consultation.create", "consultation", strconv.FormatInt(c.ID, 10), nil,
			map[string]any{"kind": c.Kind, "title": c.Title, "department_id": c.DepartmentID, "spheres": sphereIDs}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Обсуждение создано. Проверьте даты этапов и замечания проверки формулировок, затем опубликуйте его.")
	http.Redirect(w, r, "/admin/consultations/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
}

// managed loads the consultation of the path for a staff member allowed
// to change it.
func (a *Area) managed(r *http.Request) (Consultation, error) {
	c, err := a.load(r)
	if err != nil {
		return c, err
	}
	if !canManage(web.ViewerFrom(r.Context()), c) {
		return c, web.ErrForbidden
	}
	return c, nil
}

func consultationForm(c Consultation) *web.Form {
	f := web.NewForm(nil)
	f.Values.Set("title", c.Title)
	f.Values.Set("summary", c.Summary)
	f.Values.Set("impact", string(c.Impact))
	f.Values.Set("department", strconv.FormatInt(c.DepartmentID, 10))
	f.Values.Set("participation", string(c.Participation))
	f.Values.Set("moderation", string(c.Moderation))
	for _, s := range c.Spheres {
		f.Values.Add("spheres", strconv.FormatInt(s.ID, 10))
	}
	for _, p := range c.Periods {
		f.Values.Set("starts_"+string(p.Stage), p.Starts.String())
		if !p.Ends.IsZero() {
			f.Values.Set("ends_"+string(p.Stage), p.Ends.String())
		}
	}
	f.Values.Set("act_number", c.ActNumber)
	f.Values.Set("act_date", c.ActDate)
	f.Values.Set("act_url", c.ActURL)
	return f
}

func (a *Area) editForm(w http.ResponseWriter, r *http.Request) {
	c, err := a.load(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f := consultationForm(c)
	draft := ""
	if vs, err := a.Store.Versions(r.Context(), a.DB, c.ID); err == nil && len(vs) > 0 {
		draft = vs[len(vs)-1].Body
	}
	f.Values.Set("body", draft)
	a.editPage(w, r, http.StatusOK, editData{Form: f, C: c})
}

func (a *Area) update(w http.ResponseWriter, r *http.Request) {
	c, err := a.managed(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f, err := web.ParseForm(w, r, 256<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	before := c
	sphereIDs := a.readConsultation(r, f, &c)
	if p := Participation(f.Get("participation")); p.Label() != string(p) {
		c.Participation = p
	}
	if mo := Moderation(f.Get("moderation")); mo == PreModeration || mo == PostModeration {
		c.Moderation = mo
	}
	proc := a.Procedures[c.Kind]
	stages := proc.Stages
	if len(c.Periods) > 0 {
		stages = nil
		for _, p := range c.Periods {
			stages = append(stages, p.Stage)
		}
	}
	proc.Stages = stages
	var periods []Period
	for _, s := range stages {
		p := Period{Stage: s}
		if v := f.Get("starts_" + string(s)); v != "" {
			if p.Starts, err = deadline.ParseDate(v); err != nil {
				f.Fail("starts_"+string(s), "Укажите дату в виде ГГГГ-ММ-ДД.")
			}
		}
		if v := f.Get("ends_" + string(s)); v != "" {
			if p.Ends, err = deadline.ParseDate(v); err != nil {
				f.Fail("ends_"+string(s), "Укажите дату в виде ГГГГ-ММ-ДД.")
			}
		}
		periods = append(periods, p)
	}
	if f.Valid() {
		if err := ValidateSchedule(proc, c.Impact, periods); err != nil {
			var se *ScheduleError
			if errors.As(err, &se) {
				f.Fail("starts_"+string(se.Stage), se.Msg)
			} else {
				f.Fail("starts_"+string(stages[0]), err.Error())
			}
		}
	}
	if !f.Valid() {
		c = before
		a.editPage(w, r, http.StatusUnprocessableEntity, editData{Form: f, C: c})
		return
	}
	c.Periods = periods
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.Update(r.Context(), tx, c, sphereIDs); err != nil {
			return err
		}
		fresh, err := a.Store.Get(r.Context(), tx, c.MunicipalityID, c.ID)
		if err != nil {
			return err
		}
		if err := audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "consultation.update", "consultation", strconv.FormatInt(c.ID, 10), auditView(before), auditView(fresh))); err != nil {
			return err
		}
		return a.index(r.Context(), tx, fresh)
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Изменения сохранены.")
	http.Redirect(w, r, "/admin/consultations/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
}

func auditView(c Consultation) map[string]any {
	var ps []string
	for _, p := range c.Periods {
		ps = append(ps, string(p.Stage)+":"+p.Starts.String()+"…"+p.Ends.String())
	}
	return map[string]any{"title": c.Title, "summary": c.Summary, "department_id": c.DepartmentID, "impact": c.Impact,
		"participation": c.Participation, "moderation": c.Moderation, "spheres": c.SphereSlugs(), "schedule": ps}
}

// failEdit re-renders the consultation's page with msg next to the form
// the staff member used, instead of a dead-end error page: a refused action
// must show what to fix where it was asked for.
func (a *Area) failEdit(w http.ResponseWriter, r *http.Request, c Consultation, field, msg string, posted url.Values) {
	cf := consultationForm(c)
	for k, v := range posted {
		cf.Values[k] = v
	}
	cf.Fail(field, msg)
	a.editPage(w, r, http.StatusUnprocessableEntity, editData{Form: cf, C: c})
}

// invalidMessage is the message of a validation refusal, "" for other errors.
func invalidMessage(err error) string {
	var we *web.Error
	if errors.As(err, &we) && we.Status == http.StatusUnprocessableEntity {
		return we.Message
	}
	return ""
}

func (a *Area) backTo(w http.ResponseWriter, r *http.Request, c Consultation, msg, anchor string) {
	web.SetFlash(a.Sessions, r, msg)
	http.Redirect(w, r, "/admin/consultations/"+strconv.FormatInt(c.ID, 10)+anchor, http.StatusSeeOther)
}

func (a *Area) addVersion(w http.ResponseWriter, r *http.Request) {
	c, err := a.managed(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f, err := web.ParseForm(w, r, 1<<20)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	ver := Version{ConsultationID: c.ID, Body: f.Get("body"), Note: f.Get("note"), Final: f.Get("final") == "yes"}
	if ver.Body == "" {
		f.Fail("body", "Вставьте текст редакции.")
	}
	f.MaxLen("note", "Что изменено", 1000)
	if !f.Valid() {
		cf := consultationForm(c)
		for k, v := range f.Values {
			cf.Values[k] = v
		}
		cf.Errors, cf.Order = f.Errors, f.Order
		a.editPage(w, r, http.StatusUnprocessableEntity, editData{Form: cf, C: c})
		return
	}
	v := web.ViewerFrom(r.Context())
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.AddVersion(r.Context(), tx, &ver, v.ID); err != nil {
			return err
		}
		if err := audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "consultation.version", "consultation", strconv.FormatInt(c.ID, 10), nil,
			map[string]any{"version": ver.Number, "final": ver.Final, "note": ver.Note})); err != nil {
			return err
		}
		return a.index(r.Context(), tx, c)
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.backTo(w, r, c, "Редакция № "+strconv.Itoa(ver.Number)+" сохранена. Посмотрите результаты проверки формулировок.", "#wording")
}

func (a *Area) publish(w http.ResponseWriter, r *http.Request) {
	c, err := a.managed(r)
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
	if r.PostForm.Get("action") == "withdraw" {
		err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
			if err := a.Store.SetPublished(r.Context(), tx, m.ID, c.ID, time.Time{}); err != nil {
				return err
			}
			c.PublishedAt = time.Time{}
			if err := audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "consultation.withdraw", "consultation", strconv.FormatInt(c.ID, 10),
				map[string]any{"published": true}, map[string]any{"published": false})); err != nil {
				return err
			}
			return a.index(r.Context(), tx, c)
		})
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		a.backTo(w, r, c, "Обсуждение снято с публикации.", "")
		return
	}
	vs, err := a.Store.Versions(r.Context(), a.DB, c.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if d, _ := Drafts(vs); d == nil {
		a.failEdit(w, r, c, "publish", "Сначала добавьте текст проекта.", nil)
		return
	}
	if err := ValidateSchedule(Procedure{Kind: c.Kind, Stages: stagesOf(c.Periods), MinDays: a.Procedures[c.Kind].MinDays, MaxDays: a.Procedures[c.Kind].MaxDays}, c.Impact, c.Periods); err != nil {
		a.failEdit(w, r, c, "publish", "Исправьте даты этапов: "+err.Error(), nil)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		return a.publishNow(r.Context(), tx, &c, m, audit.FromRequest(r, "", "", "", nil, nil))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.backTo(w, r, c, "Обсуждение опубликовано.", "")
}

func stagesOf(ps []Period) []Stage {
	out := make([]Stage, len(ps))
	for i, p := range ps {
		out[i] = p.Stage
	}
	return out
}

func (a *Area) changeStageForm(w http.ResponseWriter, r *http.Request) {
	c, err := a.managed(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		a.Errors.Render(w, r, web.ErrTooLarge)
		return
	}
	st := Stage(r.PostForm.Get("stage"))
	if err := a.changeStage(r.Context(), web.Municipality(r), &c, st, r.PostForm.Get("early_reason"), audit.FromRequest(r, "", "", "", nil, nil)); err != nil {
		if msg := invalidMessage(err); msg != "" {
			field := "stage"
			if we := (*web.Error)(nil); errors.As(err, &we) && we.Code == earlyReasonCode {
				field = "early_reason"
			}
			a.failEdit(w, r, c, field, msg, r.PostForm)
			return
		}
		a.Errors.Render(w, r, err)
		return
	}
	a.backTo(w, r, c, "Этап изменён: «"+st.Label(c.Kind)+"».", "")
}

func (a *Area) linkAct(w http.ResponseWriter, r *http.Request) {
	c, err := a.managed(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f, err := web.ParseForm(w, r, 16<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	number, date, link := f.Get("act_number"), f.Get("act_date"), f.Get("act_url")
	if number == "" {
		f.Fail("act_number", "Укажите номер утверждающего акта.")
	}
	if date != "" {
		if _, err := deadline.ParseDate(date); err != nil {
			f.Fail("act_date", "Укажите дату в виде ГГГГ-ММ-ДД.")
		}
	}
	if link != "" {
		u, err := url.Parse(link)
		if err != nil || !(u.Scheme == "https" || u.Scheme == "http" || (u.Scheme == "" && strings.HasPrefix(link, "/") && !strings.HasPrefix(link, "//"))) {
			f.Fail("act_url", "Укажите адрес акта: ссылку на страницу реестра актов или полный адрес https://…")
		}
	}
	if !f.Valid() {
		cf := consultationForm(c)
		for k, v := range f.Values {
			cf.Values[k] = v
		}
		cf.Errors, cf.Order = f.Errors, f.Order
		a.editPage(w, r, http.StatusUnprocessableEntity, editData{Form: cf, C: c})
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.SetAct(r.Context(), tx, c.MunicipalityID, c.ID, number, date, link); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "consultation.act", "consultation", strconv.FormatInt(c.ID, 10),
			map[string]string{"number": c.ActNumber, "date": c.ActDate, "url": c.ActURL}, map[string]string{"number": number, "date": date, "url": link}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.backTo(w, r, c, "Утверждающий акт указан.", "")
}

func (a *Area) publishResults(w http.ResponseWriter, r *http.Request) {
	c, err := a.managed(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		return a.publishResultsTx(r.Context(), tx, &c, audit.FromRequest(r, "", "", "", nil, nil))
	})
	if msg := invalidMessage(err); msg != "" {
		a.failEdit(w, r, c, "results", msg, nil)
		return
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.backTo(w, r, c, "Сводка предложений и заключение опубликованы.", "")
}

func (a *Area) addGoal(w http.ResponseWriter, r *http.Request) {
	c, err := a.managed(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f, err := web.ParseForm(w, r, 32<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if c.Kind != KindDeclaration {
		a.Errors.Render(w, r, web.Invalid("Цели задаются только для публичной декларации."))
		return
	}
	g := Goal{ConsultationID: c.ID, Title: f.Get("goal_title"), Indicator: f.Get("goal_indicator"), Unit: f.Get("goal_unit"), Target: f.Get("goal_target")}
	g.DepartmentID, _ = strconv.ParseInt(f.Get("goal_department"), 10, 64)
	f.Required(map[string]string{"goal_title": "Цель", "goal_indicator": "Целевой показатель", "goal_target": "Целевое значение"})
	if g.DepartmentID == 0 {
		f.Fail("goal_department", "Выберите подразделение, отвечающее за цель.")
	}
	if !f.Valid() {
		cf := consultationForm(c)
		for k, v := range f.Values {
			cf.Values[k] = v
		}
		cf.Errors, cf.Order = f.Errors, f.Order
		a.editPage(w, r, http.StatusUnprocessableEntity, editData{Form: cf, C: c})
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.AddGoal(r.Context(), tx, &g); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "declaration.goal", "consultation", strconv.FormatInt(c.ID, 10), nil, g))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.backTo(w, r, c, "Цель добавлена.", "#goals")
}

// CanReportGoal reports whether the viewer may enter a goal's progress: its
// own department, or an administrator or lawyer.
func CanReportGoal(v *web.Viewer, g Goal) bool {
	return v.Has(auth.Administrator, auth.Lawyer) || (v.Has(auth.Editor) && v.DepartmentID != 0 && v.DepartmentID == g.DepartmentID)
}

func (a *Area) addProgress(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	g, err := a.Store.Goal(r.Context(), m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	v := web.ViewerFrom(r.Context())
	if !CanReportGoal(v, g) {
		// A rule about this goal, not about the route: explain it rather
		// than answer as if the page were forbidden.
		a.Errors.Render(w, r, web.Invalid("Ход достижения цели вносит ответственное подразделение, юрист или администратор."))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		a.Errors.Render(w, r, web.ErrTooLarge)
		return
	}
	p := Progress{OnDate: strings.TrimSpace(r.PostForm.Get("on_date")), Planned: strings.TrimSpace(r.PostForm.Get("planned")),
		Actual: strings.TrimSpace(r.PostForm.Get("actual")), Comment: strings.TrimSpace(r.PostForm.Get("comment"))}
	refuse := func(msg string) {
		// Back to the consultation's page, beside this goal's form, with
		// what was typed.
		c, err := a.Store.Get(r.Context(), a.DB, m.ID, g.ConsultationID)
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		key := strconv.FormatInt(g.ID, 10)
		a.failEdit(w, r, c, "progress-"+key, msg, url.Values{"on_date-" + key: {p.OnDate}, "planned-" + key: {p.Planned}, "actual-" + key: {p.Actual}, "comment-" + key: {p.Comment}})
	}
	if _, err := deadline.ParseDate(p.OnDate); err != nil || p.Actual == "" {
		refuse("Укажите дату (ГГГГ-ММ-ДД) и фактическое значение показателя.")
		return
	}
	if utf8.RuneCountInString(p.Planned) > 500 || utf8.RuneCountInString(p.Actual) > 500 || utf8.RuneCountInString(p.Comment) > 2000 {
		refuse("Плановое и фактическое значения — не длиннее 500 знаков, комментарий — не длиннее 2000.")
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.AddProgress(r.Context(), tx, g.ID, &p, v.ID); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "declaration.progress", "consult_goal", strconv.FormatInt(g.ID, 10), nil, p))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Ход достижения цели записан.")
	http.Redirect(w, r, "/admin/consultations/"+strconv.FormatInt(g.ConsultationID, 10)+"#goals", http.StatusSeeOther)
}
