// Package portal is the contract every area follows and the registry of
// what areas give the shared parts of the portal.
//
// An area is a package with
//
//	func New(d portal.Deps) (*Area, error)   // build: templates, mail, jobs
//	func (a *Area) Mount(rt *web.Router)    // routes and API description
//	func (a *Area) Contribution() portal.Contribution
//
// cmd builds the areas from one list, mounts them and adds their
// contributions to the Registry; areas that show what others contribute
// (the home page, sitemap.xml, the roadmap's evidence, open data) read the
// Registry at request time, so the order of the list does not matter.
// Areas never import each other: where one needs another, this package
// defines the small interface (GroupDirectory, DatasetSource) and the
// providing area puts an implementation in its Contribution.
package portal

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/jobs"
	"github.com/glasnost/glasnost/internal/notify"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// Deps are the kernels every area is built from. Every area takes the same
// struct; an area uses what it needs and ignores the rest.
type Deps struct {
	Log *slog.Logger
	DB  *db.DB
	// BaseURL is the public address used in links in mail and feeds.
	BaseURL string
	// DataDir is where the installation keeps its files; areas may read
	// optional settings files from it.
	DataDir string
	// Getenv reads an area's own settings (GLASNOST_<AREA>_…); os.Getenv
	// outside tests.
	Getenv func(string) string

	Tenants       *tenant.Store
	People        *auth.Store
	Sessions      *scs.SessionManager
	Queue         *jobs.Queue
	Mailer        *notify.Mailer
	Subscriptions *notify.Subscriptions
	Files         *files.Store
	Calendars     *deadline.Calendars

	Renderer *web.Renderer
	Errors   *web.Errors
	API      *web.APIDoc

	// Portal is what the other areas contribute, read at request time.
	Portal *Registry
}

// Env returns an area setting from the environment, or "" when Getenv is
// not set.
func (d Deps) Env(name string) string {
	if d.Getenv == nil {
		return ""
	}
	return d.Getenv(name)
}

// Area is what cmd needs of a built area.
type Area interface {
	Mount(rt *web.Router)
	Contribution() Contribution
}

// Constructor builds an area; Make adapts an area package's New.
type Constructor func(Deps) (Area, error)

// Make turns `func New(Deps) (*Area, error)` into a Constructor.
func Make[A Area](newArea func(Deps) (A, error)) Constructor {
	return func(d Deps) (Area, error) { return newArea(d) }
}

// Contribution is everything an area gives the shared parts of the portal.
// Every field is optional.
type Contribution struct {
	// Name is the area's package name, for logs; Title names the area in
	// Russian for people (the package name when empty).
	Name, Title string
	// Nav are the entries of the public header menu.
	Nav []web.NavItem
	// Staff are the links of the administration index; each is shown only
	// to the roles its route admits.
	Staff []web.NavItem
	// Mechanisms link the home page's cards of the roadmap's mechanisms to
	// the area's pages.
	Mechanisms []MechanismLink
	// Sitemap lists the area's public addresses for sitemap.xml.
	Sitemap SitemapSource
	// Feeds are the area's Atom feeds, listed on the feeds page.
	Feeds []web.Feed
	// Evidence are the public event kinds the area writes, which the
	// roadmap may count as evidence of its measures.
	Evidence []events.Kind
	// Datasets are the open datasets generated from the area's registers.
	Datasets []DatasetSource
	// Tasks tells a staff member what waits for them in the area.
	Tasks TaskSource
	// Groups is the reference groups' directory (the groups area only).
	Groups GroupDirectory
	// Region gives the regional administrator's report the area's figures
	// for every municipality of the installation at once.
	Region RegionSource
	// Demo loads the area's demo content into m; it runs after every
	// area's Mount and must be idempotent.
	Demo func(ctx context.Context, m tenant.Municipality) error
	// Scale adds generated data for load tests: at scale n about 100·n
	// acts, 1,000·n comments and 10,000·n appeals in all.
	Scale func(ctx context.Context, m tenant.Municipality, n int) error
}

// Label is the area's name for people.
func (c Contribution) Label() string {
	if c.Title != "" {
		return c.Title
	}
	return c.Name
}

// MechanismLink points the home page card of a roadmap mechanism (1–10) at a page.
type MechanismLink struct {
	Number int
	Href   string
}

// SitemapURL is one published address.
type SitemapURL struct {
	Loc     string
	LastMod time.Time
}

// SitemapSource lists what an area has published.
type SitemapSource func(ctx context.Context, munID int64) ([]SitemapURL, error)

// Task is one kind of work waiting for a staff member.
type Task = web.Task

// TaskSource lists the work waiting for the viewer in the municipality.
type TaskSource func(ctx context.Context, m tenant.Municipality, v *web.Viewer) ([]Task, error)

// GroupMember is a member of a reference group, as another area may use it
// (to inform or invite); Email is empty for a member without one.
type GroupMember struct {
	AccountID int64
	GroupID   int64
	Group     string
	Name      string
	Email     string
}

// GroupDirectory answers which people belong to the reference groups of
// some spheres.
type GroupDirectory interface {
	// GroupMembers lists the members of the groups working in any of the
	// spheres; a person in several groups is listed once per group.
	GroupMembers(ctx context.Context, munID int64, sphereIDs []int64) ([]GroupMember, error)
	// GroupsOf names the groups an account belongs to.
	GroupsOf(ctx context.Context, munID, accountID int64) ([]string, error)
}

// DatasetField is one column of an open dataset's structure.
type DatasetField struct {
	// Name is the field's name in English (the methodology's rule).
	Name string
	// Description is in Russian.
	Description string
	// Format is one of "string", "integer", "decimal", "date", "boolean".
	Format string
}

// DatasetSource is an open dataset generated from a register of the
// platform. Rows never hold personal data.
type DatasetSource struct {
	// Code is the dataset's code within the municipality (the identifier is
	// <INN>-<Code>).
	Code        string
	Title       string
	Description string
	Keywords    []string
	// Department is the slug of the responsible department, if any.
	Department string
	// Every is how often the dataset is regenerated.
	Every     time.Duration
	Structure []DatasetField
	// Rows returns the current rows, each with one value per field, in the
	// structure's order.
	Rows func(ctx context.Context, munID int64) ([][]string, error)
}

// RegionFigure is one aggregate of one municipality for the regional
// report: a count (Value) or a moment (At). Never personal data.
type RegionFigure struct {
	MunicipalityID int64
	Key            string
	Value          int
	At             time.Time
}

// The keys of the regional report's figures.
const (
	RegionAppealsReceived = "appeals.received" // registered in the period
	RegionAppealsAnswered = "appeals.answered" // of those, answered
	RegionAppealsInTerm   = "appeals.in_term"  // of those, answered within the term
	RegionAppealsOpen     = "appeals.open"     // open now
	RegionAppealsOverdue  = "appeals.overdue"  // open now past the answer term
	RegionMeasures        = "roadmap.measures" // measures of the current plan
	RegionMeasuresDone    = "roadmap.done"
	RegionMeasuresOverdue = "roadmap.overdue"
	RegionDatasets        = "opendata.datasets"
	RegionDatasetsOverdue = "opendata.overdue"  // update period passed without a new version
	RegionDatasetsChanged = "opendata.modified" // At: the last change of any dataset
)

// RegionSource gives an area's figures for every municipality, for the
// period [from, to] (inclusive) and as of today, in one grouped query
// whatever the number of municipalities.
type RegionSource func(ctx context.Context, from, to, today deadline.Date) ([]RegionFigure, error)

// Registry holds the areas' contributions. It is filled once at start and
// read on requests.
type Registry struct {
	mu    sync.RWMutex
	areas []Contribution
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{} }

// Add records an area's contribution.
func (r *Registry) Add(c Contribution) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.areas = append(r.areas, c)
}

// All returns every contribution in the order added.
func (r *Registry) All() []Contribution {
	if r == nil {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return append([]Contribution(nil), r.areas...)
}

// Nav is every area's header menu entries, by order.
func (r *Registry) Nav() []web.NavItem {
	var out []web.NavItem
	for _, c := range r.All() {
		out = append(out, c.Nav...)
	}
	sortNav(out)
	return out
}

// Staff is every area's administration links, by order.
func (r *Registry) Staff() []web.NavItem {
	var out []web.NavItem
	for _, c := range r.All() {
		out = append(out, c.Staff...)
	}
	sortNav(out)
	return out
}

func sortNav(items []web.NavItem) {
	sort.SliceStable(items, func(i, j int) bool { return items[i].Order < items[j].Order })
}

// Sitemaps is every area's sitemap source.
func (r *Registry) Sitemaps() []SitemapSource {
	var out []SitemapSource
	for _, c := range r.All() {
		if c.Sitemap != nil {
			out = append(out, c.Sitemap)
		}
	}
	return out
}

// Feeds is every area's Atom feeds.
func (r *Registry) Feeds() []web.Feed {
	var out []web.Feed
	for _, c := range r.All() {
		out = append(out, c.Feeds...)
	}
	return out
}

// Evidence is the set of event kinds some mounted area writes.
func (r *Registry) Evidence() map[events.Kind]bool {
	out := map[events.Kind]bool{}
	for _, c := range r.All() {
		for _, k := range c.Evidence {
			out[k] = true
		}
	}
	return out
}

// Datasets is every area's generated open datasets.
func (r *Registry) Datasets() []DatasetSource {
	var out []DatasetSource
	for _, c := range r.All() {
		out = append(out, c.Datasets...)
	}
	return out
}

// Tasks is the work every area (but those named in except) reports for the
// viewer, each task named by its area. An area whose source fails is logged
// and left out, so that one broken query never hides the rest of a
// person's work.
func (r *Registry) Tasks(ctx context.Context, log *slog.Logger, m tenant.Municipality, v *web.Viewer, except ...string) []Task {
	var out []Task
	for _, c := range r.All() {
		if c.Tasks == nil || slices.Contains(except, c.Name) {
			continue
		}
		ts, err := c.Tasks(ctx, m, v)
		if err != nil {
			log.Error("staff tasks of an area", "area", c.Name, "err", err)
			continue
		}
		for _, t := range ts {
			if t.Area == "" {
				t.Area = c.Label()
			}
			out = append(out, t)
		}
	}
	return out
}

// TaskCounter builds an area's task list from counting queries: a count of
// zero adds nothing, and after the first error nothing more is asked.
type TaskCounter struct {
	ctx   context.Context
	q     db.Querier
	tasks []Task
	err   error
}

// NewTaskCounter counts through q.
func NewTaskCounter(ctx context.Context, q db.Querier) *TaskCounter {
	return &TaskCounter{ctx: ctx, q: q}
}

// Add runs a COUNT query and keeps the task when the count is positive.
func (c *TaskCounter) Add(label, href string, overdue bool, query string, args ...any) {
	if c.err != nil {
		return
	}
	var n int
	if err := c.q.QueryRow(c.ctx, query, args...).Scan(&n); err != nil {
		c.err = fmt.Errorf("count %q: %w", label, err)
		return
	}
	if n > 0 {
		c.tasks = append(c.tasks, Task{Label: label, Count: n, Href: href, Overdue: overdue})
	}
}

// Tasks is the list so far, or the first error.
func (c *TaskCounter) Tasks() ([]Task, error) { return c.tasks, c.err }

// Region is every area's source of regional figures.
func (r *Registry) Region() []RegionSource {
	var out []RegionSource
	for _, c := range r.All() {
		if c.Region != nil {
			out = append(out, c.Region)
		}
	}
	return out
}

// Groups is the reference groups' directory, or nil when no area provides
// one.
func (r *Registry) Groups() GroupDirectory {
	for _, c := range r.All() {
		if c.Groups != nil {
			return c.Groups
		}
	}
	return nil
}

// Mechanism is a card of the home page: one of the roadmap's ten
// mechanisms, linked when an area serves it.
type Mechanism struct {
	Number int
	Title  string
	Text   string
	Href   string
}

// mechanisms are the ten mechanisms of the roadmap (the seed's numbering).
var mechanisms = []Mechanism{
	{Number: 1, Title: "Официальный сайт", Text: "Разделы, новости и сведения о деятельности администрации по 8-ФЗ."},
	{Number: 2, Title: "Открытые данные и опросы", Text: "Наборы открытых данных и оценка полезности информации."},
	{Number: 3, Title: "Понятные нормативные акты", Text: "Реестр правовых актов с пояснениями простым языком."},
	{Number: 4, Title: "Общественные обсуждения", Text: "Проекты решений, замечания и предложения жителей, итоги."},
	{Number: 5, Title: "Общественный совет", Text: "Состав, план работы, заседания и оценка работы администрации."},
	{Number: 6, Title: "Референтные группы", Text: "Группы заинтересованных лиц по сферам деятельности."},
	{Number: 7, Title: "Публичная декларация целей", Text: "Цели и задачи администрации и ход их достижения."},
	{Number: 8, Title: "Антикоррупционная экспертиза", Text: "Проекты актов для независимой экспертизы и заключения экспертов."},
	{Number: 9, Title: "Обращения граждан", Text: "Подача обращений, сроки рассмотрения, отчёты."},
	{Number: 10, Title: "СМИ и социальные сети", Text: "Медиаплан, публикации и запросы журналистов."},
}

// Mechanisms are the home page's cards, each linked to the first page an
// area contributed for it.
func (r *Registry) Mechanisms() []Mechanism {
	out := append([]Mechanism(nil), mechanisms...)
	for _, c := range r.All() {
		for _, l := range c.Mechanisms {
			for i := range out {
				if out[i].Number == l.Number && out[i].Href == "" {
					out[i].Href = l.Href
				}
			}
		}
	}
	return out
}
