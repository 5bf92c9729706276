package site

import (
	"regexp"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/web"
)

// Publication states of pages and news.
const (
	StateDraft     = "draft"
	StateScheduled = "scheduled"
	StatePublished = "published"
)

// StateLabel is a state's Russian name.
func StateLabel(s string) string {
	switch s {
	case StateDraft:
		return "Черновик"
	case StateScheduled:
		return "Запланирована публикация"
	case StatePublished:
		return "Опубликовано"
	}
	return s
}

// Section is a node of the site's tree. Its owner department's editors
// maintain it and everything in it.
type Section struct {
	ID             int64
	MunicipalityID int64
	ParentID       int64
	Slug           string
	Path           string // slugs from the root, joined by "/"
	Title          string
	Description    string
	DepartmentID   int64
	Department     string
	Position       int
	InMenu         bool
	UpdatedAt      time.Time
	Depth          int // filled by Tree
}

// URL is the section's public address.
func (s Section) URL() string { return "/sections/" + s.Path }

// Page is a Markdown page in a section. BodyHTML is rendered and sanitised
// when the page is saved.
type Page struct {
	ID             int64
	MunicipalityID int64
	SectionID      int64
	SectionPath    string
	SectionTitle   string
	DepartmentID   int64 // the section's owner
	Slug           string
	Title          string
	Summary        string
	BodyMD         string
	BodyHTML       string
	State          string
	Position       int
	PublishAt      time.Time
	PublishedAt    time.Time
	UpdatedAt      time.Time
}

// URL is the page's public address.
func (p Page) URL() string { return "/sections/" + p.SectionPath + "/" + p.Slug }

// News is a dated news item with spheres.
type News struct {
	ID             int64
	MunicipalityID int64
	SectionID      int64
	SectionPath    string
	SectionTitle   string
	DepartmentID   int64
	Department     string
	Title          string
	Summary        string
	BodyMD         string
	BodyHTML       string
	State          string
	PublishAt      time.Time
	PublishedAt    time.Time
	UpdatedAt      time.Time
	Spheres        []SphereRef
}

// SphereRef names a sphere a news item is tagged with.
type SphereRef struct {
	ID   int64
	Slug string
	Name string
}

// SphereSlugs lists the slugs, for the search index and events.
func (n News) SphereSlugs() []string {
	out := make([]string, 0, len(n.Spheres))
	for _, s := range n.Spheres {
		out = append(out, s.Slug)
	}
	return out
}

// URL is the news item's public address.
func (n News) URL() string { return "/news/" + itoa64(n.ID) }

// Revision is a saved version of a page's or a news item's text.
type Revision struct {
	ID        int64
	Title     string
	BodyMD    string
	Author    string
	CreatedAt time.Time
}

var slugRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidSlug reports whether s may be one segment of a public address:
// lower-case Latin letters, digits and single hyphens, at most 60 characters.
func ValidSlug(s string) bool { return len(s) <= 60 && slugRe.MatchString(s) }

// slugOrTitle is the address the form gives, or, when left empty, one made
// from the title (web.Slug), written back into the form so that the person
// sees it and may change it. A title that gives no address leaves the field
// empty and asks for one.
func slugOrTitle(f *web.Form, titleField string) string {
	if s := f.Get("slug"); s != "" {
		return s
	}
	s := web.Slug(f.Get(titleField), 60)
	if s == "" {
		if f.Get(titleField) != "" {
			f.Fail("slug", "Укажите адрес латинскими буквами: из заголовка его составить не удалось.")
		}
		return ""
	}
	f.Values.Set("slug", s)
	return s
}

// ChildPath is the path of a section with slug under parent ("" for the root).
func ChildPath(parentPath, slug string) string {
	if parentPath == "" {
		return slug
	}
	return parentPath + "/" + slug
}

// IsWithin reports whether path is p itself or below it in the tree.
func IsWithin(path, p string) bool {
	return path == p || strings.HasPrefix(path, p+"/")
}

// ErrCycle means a section would become its own ancestor.
var ErrCycle = web.Invalid("Раздел нельзя вложить в самого себя или в свой подраздел.")

// CheckMove refuses a new parent that is the section itself or below it.
func CheckMove(sectionPath, newParentPath string) error {
	if sectionPath != "" && newParentPath != "" && IsWithin(newParentPath, sectionPath) {
		return ErrCycle
	}
	return nil
}

// CanEdit reports whether v may change content owned by department deptID:
// administrators everything, editors only their own department's. A
// section without an owner is the administrators' alone.
func CanEdit(v *web.Viewer, deptID int64) bool {
	if v == nil {
		return false
	}
	if v.Has(auth.Administrator) {
		return true
	}
	return v.Has(auth.Editor) && v.DepartmentID != 0 && v.DepartmentID == deptID
}

// CanEditNews reports whether v may create, edit, publish or unpublish a
// news item of department deptID. The press secretary speaks for the whole
// administration, so the role covers every department's news (and news
// without a department); everyone else follows CanEdit. Pages and sections
// stay with their departments: the press role gives no rights over them.
func CanEditNews(v *web.Viewer, deptID int64) bool {
	if v != nil && v.Has(auth.Press) {
		return true
	}
	return CanEdit(v, deptID)
}

// SeesAllNews reports whether v works with the news of every department
// (the staff list, the calendar, the department choice in the form).
func SeesAllNews(v *web.Viewer) bool {
	return v != nil && (v.Has(auth.Administrator) || v.Has(auth.Press))
}

// Publication actions an editor chooses when saving.
const (
	ActionDraft    = "draft"
	ActionPublish  = "publish"
	ActionSchedule = "schedule"
)

// ErrScheduleInPast means a scheduled time that has already come.
var ErrScheduleInPast = web.Invalid("Укажите время публикации в будущем или опубликуйте сразу.")

// ErrScheduleMissing means scheduling without a time.
var ErrScheduleMissing = web.Invalid("Укажите дату и время публикации.")

// Transition is the outcome of saving with an action.
type Transition struct {
	State       string
	PublishAt   time.Time
	PublishedAt time.Time
	// Published is true when the item becomes public with this save, so
	// that the caller records the event; Unpublished when it stops being.
	Published   bool
	Unpublished bool
}

// Decide applies an editor's action to an item in state current, first
// published at publishedAt (zero if never). Republishing keeps the original
// date so that an edit does not move a news item to the top of the list.
func Decide(current string, publishedAt time.Time, action string, publishAt, now time.Time) (Transition, error) {
	switch action {
	case ActionDraft:
		return Transition{State: StateDraft, PublishedAt: publishedAt, Unpublished: current == StatePublished}, nil
	case ActionPublish:
		t := Transition{State: StatePublished, PublishedAt: publishedAt, Published: current != StatePublished}
		if t.PublishedAt.IsZero() {
			t.PublishedAt = now
		}
		return t, nil
	case ActionSchedule:
		if publishAt.IsZero() {
			return Transition{}, ErrScheduleMissing
		}
		if !publishAt.After(now) {
			return Transition{}, ErrScheduleInPast
		}
		return Transition{State: StateScheduled, PublishAt: publishAt, PublishedAt: time.Time{}, Unpublished: current == StatePublished}, nil
	}
	return Transition{}, web.Invalid("Выберите, что сделать с материалом.")
}

// DueForPublication reports whether the periodic job should publish an item
// now: it is scheduled and its time has come.
func DueForPublication(state string, publishAt, now time.Time) bool {
	return state == StateScheduled && !publishAt.IsZero() && !publishAt.After(now)
}

// ActionOf is the action that leaves an item as it is, to preselect in forms.
func ActionOf(state string) string {
	switch state {
	case StatePublished:
		return ActionPublish
	case StateScheduled:
		return ActionSchedule
	}
	return ActionDraft
}
