package appeals

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

//go:embed mail/*.txt
var mailFS embed.FS

// Config is the area's configuration; DefaultConfig gives the lawful and
// usual values.
type Config struct {
	// NumberFormat makes registration numbers (see NumberFormat).
	NumberFormat NumberFormat
	// MaxTextLength is the longest text of an electronic appeal, in characters.
	MaxTextLength int
	// MaxAttachments and MaxAttachmentSize limit an appeal's files.
	MaxAttachments    int
	MaxAttachmentSize int64
	// Rules are the statutory periods and whether they count calendar or
	// working days.
	Rules deadline.Rules
	// ReportApproval keeps a made quarterly report as a draft until an
	// administrator publishes it; without it the job publishes at once.
	ReportApproval bool
	// DueSoonDays is the dashboard's "due soon" window, in working days.
	DueSoonDays int
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		NumberFormat:      DefaultNumberFormat,
		MaxTextLength:     10000,
		MaxAttachments:    5,
		MaxAttachmentSize: 10 << 20,
		Rules:             deadline.DefaultRules(),
		ReportApproval:    true,
		DueSoonDays:       5,
	}
}

// Validate checks the configuration.
func (c Config) Validate() error {
	var errs []error
	if err := c.NumberFormat.Validate(); err != nil {
		errs = append(errs, err)
	}
	if c.MaxTextLength < 100 {
		errs = append(errs, errors.New("appeals: MaxTextLength must be at least 100"))
	}
	if c.MaxAttachments < 0 || c.MaxAttachmentSize < 1024 {
		errs = append(errs, errors.New("appeals: attachment limits are too small"))
	}
	if err := c.Rules.Validate(); err != nil {
		errs = append(errs, err)
	}
	if c.DueSoonDays < 1 {
		errs = append(errs, errors.New("appeals: DueSoonDays must be at least 1"))
	}
	return errors.Join(errs...)
}

// Area is the appeals area.
type Area struct {
	portal.Deps
	cfg   Config
	store *Store
	files *files.Store

	submitLimiter *web.Limiter
	statusLimiter *web.Limiter

	retentionYears int // GLASNOST_RETENTION_APPEALS_YEARS, see retention.go
}

// New builds the area from its settings in the environment (see
// ConfigFromEnv): it parses the templates, adds the mail templates and
// registers the job workers and periodic jobs.
func New(deps portal.Deps) (*Area, error) {
	cfg, err := ConfigFromEnv(deps.Env)
	if err != nil {
		return nil, fmt.Errorf("appeals: %w", err)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	a := &Area{Deps: deps, cfg: cfg, store: &Store{DB: deps.DB, People: deps.People},
		submitLimiter: web.NewLimiter(2*time.Minute, 5),
		statusLimiter: web.NewLimiter(6*time.Second, 10),
	}
	// A copy of the file store with the area's own size limit.
	fcopy := *deps.Files
	fcopy.MaxSize = cfg.MaxAttachmentSize
	a.files = &fcopy

	deps.Renderer.AddFuncs(template.FuncMap{
		"appealDate": func(d deadline.Date) string {
			if d.IsZero() {
				return ""
			}
			return d.Russian()
		},
		"appealChart": BarChart,
		"dictHistory": func(m tenant.Municipality, h []Entry) map[string]any { return map[string]any{"M": m, "H": h} },
		"dictCard":    func(m tenant.Municipality, p appealPage) map[string]any { return map[string]any{"M": m, "P": p} },
		"dueHolder":   func(d Due) Appeal { return Appeal{Due: d} },
	})
	deps.Renderer.AddFuncs(identityFuncs) // identity.go
	sub, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	if err := deps.Renderer.AddPages("appeals", sub); err != nil {
		return nil, err
	}
	if err := deps.Renderer.Require(pageNames...); err != nil {
		return nil, err
	}
	if err := deps.Mailer.AddTemplates(mailFS, "mail/*.txt"); err != nil {
		return nil, err
	}
	river.AddWorker(deps.Queue.Workers(), &reminderWorker{a: a})
	river.AddWorker(deps.Queue.Workers(), &reportWorker{a: a})
	deps.Queue.Every("appeals_reminders", 6*time.Hour, func() river.JobArgs { return ReminderArgs{} })
	deps.Queue.Every("appeals_quarterly_report", 12*time.Hour, func() river.JobArgs { return ReportArgs{} })
	a.registerRetention() // retention.go
	return a, nil
}

var pageNames = []string{
	"appeals/index", "appeals/new", "appeals/submitted", "appeals/status", "appeals/mine", "appeals/my_appeal",
	"appeals/reports", "appeals/report",
	"appeals/admin_list", "appeals/admin_new", "appeals/admin_appeal", "appeals/console", "appeals/letter",
	"appeals/classifier", "appeals/calendar", "appeals/admin_reports", "appeals/answers", "appeals/settings",
}

// Store returns the area's store (for benchmarks).
func (a *Area) Store() *Store { return a.store }

// Contribution is what the area gives the rest of the portal. Appeals
// themselves are personal data: only published reports reach the sitemap
// and feeds.
func (a *Area) Contribution() portal.Contribution {
	return portal.Contribution{
		Name: "appeals", Title: "Обращения граждан",
		Nav:        []web.NavItem{{Order: 60, Href: "/appeals", Label: "Обращения граждан"}},
		Mechanisms: []portal.MechanismLink{{Number: 9, Href: "/appeals"}},
		Staff:      []web.NavItem{{Order: 60, Href: "/admin/appeals", Label: "Обращения граждан"}},
		Sitemap:    a.sitemap,
		Feeds:      []web.Feed{reportsFeedLink},
		Evidence:   []events.Kind{events.AppealsReportPublished},
		Datasets:   a.datasets(),
		Tasks:      a.tasks,
		Region:     a.region,
		Demo:       a.Demo,
		Scale:      a.scale,
	}
}

func (a *Area) sitemap(ctx context.Context, munID int64) ([]portal.SitemapURL, error) {
	out := []portal.SitemapURL{{Loc: "/appeals"}, {Loc: "/appeals/status"}, {Loc: "/appeals/reports"}}
	reports, _, err := a.store.Reports(ctx, munID, true, 1000, 0)
	if err != nil {
		return nil, err
	}
	for _, r := range reports {
		out = append(out, portal.SitemapURL{Loc: fmt.Sprintf("/appeals/reports/%d", r.ID), LastMod: r.PublishedAt})
	}
	return out, nil
}

// scale generates 10,000·n appeals over five quarters: the current one and
// the previous, which the quarterly report compares, and three more.
func (a *Area) scale(ctx context.Context, m tenant.Municipality, n int) error {
	depts, err := a.Tenants.Departments(ctx, m.ID)
	if err != nil {
		return err
	}
	ids := make([]int64, len(depts))
	for i, d := range depts {
		ids[i] = d.ID
	}
	cal, err := a.Calendar(ctx, m.ID)
	if err != nil {
		return err
	}
	if _, err := Generate(ctx, a.DB, cal, m.ID, 10000*n, a.Today(m), 5, ids, 11); err != nil {
		return fmt.Errorf("generated appeals: %w", err)
	}
	return nil
}

// Config returns the configuration.
func (a *Area) Config() Config { return a.cfg }

// Calendar returns the municipality's production calendar: the shipped one
// with the administrator's corrections.
func (a *Area) Calendar(ctx context.Context, munID int64) (deadline.Calendar, error) {
	return a.Calendars.For(ctx, munID)
}

// Today is the civil date in the municipality.
func (a *Area) Today(m tenant.Municipality) deadline.Date {
	return deadline.DateOf(m.Local(a.DB.Now()))
}

// RoleOf says what a viewer is to an appeal.
func RoleOf(v *web.Viewer, ap Appeal) Role {
	if v == nil {
		return Role{}
	}
	return Role{
		Operator:   v.Has(auth.Operator),
		Head:       v.Has(auth.Administrator),
		Department: ap.DepartmentID != 0 && v.DepartmentID == ap.DepartmentID && v.Has(auth.Staff...),
	}
}

// StaffRoles may open the staff pages; which appeals each sees is decided
// per appeal by RoleOf.
var StaffRoles = auth.Staff

// seesAll reports whether a viewer sees every appeal of the municipality
// rather than only those of their department.
func seesAll(v *web.Viewer) bool { return v.Has(auth.Operator, auth.Administrator) }

// FieldErrors are validation errors by field, in Russian.
type FieldErrors map[string]string

func (f FieldErrors) Error() string {
	var parts []string
	for k, v := range f {
		parts = append(parts, k+": "+v)
	}
	return "invalid appeal: " + strings.Join(parts, "; ")
}

func (a *Area) mailData(m tenant.Municipality, ap Appeal, extra map[string]any) map[string]any {
	data := map[string]any{
		"Municipality": m.Name,
		"Number":       ap.Number,
		"Date":         ap.RegisteredOn.Russian(),
		"AnswerBy":     ap.Due.AnswerBy.Russian(),
		"Name":         strings.TrimSpace(ap.Author.FirstName + " " + ap.Author.MiddleName),
		"Href":         ap.Href(),
	}
	for k, v := range extra {
		data[k] = v
	}
	return data
}

// ConfigFromEnv reads the area's settings from the environment over the
// defaults, naming each bad value in Russian:
//
//	GLASNOST_APPEALS_NUMBER_FORMAT      registration number, e.g. ВП-{year}-{seq:06}
//	GLASNOST_APPEALS_MAX_TEXT           longest electronic appeal, characters
//	GLASNOST_APPEALS_REPORT_APPROVAL    true (default): reports wait for publication; false: published at once
//	GLASNOST_APPEALS_ANSWER_DAYS        a shorter answer term set by a local act, 1 to 30 calendar days
//	GLASNOST_APPEALS_WORKING_DAYS       refused: terms in working days are longer than the law's (it only names why)
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := DefaultConfig()
	var errs []error
	if v := strings.TrimSpace(getenv("GLASNOST_APPEALS_NUMBER_FORMAT")); v != "" {
		c.NumberFormat = NumberFormat(v)
	}
	if v := strings.TrimSpace(getenv("GLASNOST_APPEALS_MAX_TEXT")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 100 || n > 1000000 {
			errs = append(errs, fmt.Errorf("GLASNOST_APPEALS_MAX_TEXT: ожидается число символов от 100 до 1000000, получено %q", v))
		} else {
			c.MaxTextLength = n
		}
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv("GLASNOST_APPEALS_REPORT_APPROVAL"))); v {
	case "":
	case "true", "yes", "1":
		c.ReportApproval = true
	case "false", "no", "0":
		c.ReportApproval = false
	default:
		errs = append(errs, fmt.Errorf("GLASNOST_APPEALS_REPORT_APPROVAL: ожидается true или false, получено %q", v))
	}
	if v := strings.TrimSpace(getenv("GLASNOST_APPEALS_WORKING_DAYS")); v != "" {
		errs = append(errs, fmt.Errorf("GLASNOST_APPEALS_WORKING_DAYS больше не поддерживается (получено %q): сроки 59-ФЗ считаются в календарных днях, и тот же срок в рабочих днях всегда длиннее установленного законом (30 рабочих дней — около 42 календарных); муниципальный акт может срок сократить, но не продлить. Уберите переменную; чтобы сократить срок ответа, задайте GLASNOST_APPEALS_ANSWER_DAYS", v))
	}
	if v := strings.TrimSpace(getenv("GLASNOST_APPEALS_ANSWER_DAYS")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > c.Rules.Answer.Days {
			errs = append(errs, fmt.Errorf("GLASNOST_APPEALS_ANSWER_DAYS: ожидается число календарных дней от 1 до %d — муниципальный акт может сократить срок ответа (ч. 1 ст. 12 59-ФЗ), но не продлить его; получено %q", c.Rules.Answer.Days, v))
		} else {
			c.Rules.Answer.Days = n
			c.Rules.Answer.Basis += " (сокращён муниципальным актом)"
		}
	}
	if err := c.NumberFormat.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("GLASNOST_APPEALS_NUMBER_FORMAT: %w", err))
	}
	return c, errors.Join(errs...)
}
