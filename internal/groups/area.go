// Package groups is the area «Референтные группы»: the registry of
// reference groups by sphere (measure 6.1), their regulations (6.2),
// joining and leaving, and telling members of every consultation opened in
// their spheres (6.3). See docs/groups.md.
package groups

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

//go:embed templates/mail/*.txt
var mailFS embed.FS

// Area serves «Референтные группы».
type Area struct {
	portal.Deps
	Store *Store
	// DefaultLimit is the limit of groups when a municipality has not set
	// its own (GLASNOST_GROUPS_LIMIT, 8 by default).
	DefaultLimit int
}

// Staff may keep the registry: administrators everywhere, editors for the
// groups of their department.
var Staff = []string{auth.Administrator, auth.Editor}

var pages = []string{"groups/list", "groups/show", "groups/admin_list", "groups/admin_new", "groups/admin_edit"}

// New builds the area.
func New(d portal.Deps) (*Area, error) {
	limit := DefaultLimit
	if v := d.Env("GLASNOST_GROUPS_LIMIT"); v != "" {
		n, err := ParseLimit(v)
		if err != nil {
			return nil, fmt.Errorf("GLASNOST_GROUPS_LIMIT=%q: %w", v, err)
		}
		limit = n
	}
	sub, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	if err := d.Renderer.AddPages("groups", sub); err != nil {
		return nil, fmt.Errorf("groups templates: %w", err)
	}
	if err := d.Renderer.Require(pages...); err != nil {
		return nil, err
	}
	a := &Area{Deps: d, Store: &Store{DB: d.DB}, DefaultLimit: limit}
	if d.Mailer != nil {
		if err := d.Mailer.AddTemplates(mailFS, "templates/mail/*.txt"); err != nil {
			return nil, err
		}
	}
	if d.Queue != nil {
		river.AddWorker(d.Queue.Workers(), &informWorker{area: a})
		d.Queue.Every("groups_inform", 5*time.Minute, func() river.JobArgs { return InformArgs{} })
	}
	return a, nil
}

// Mount registers the area's routes and describes its API.
func (a *Area) Mount(rt *web.Router) {
	staff := web.Roles(Staff...)
	admin := web.Roles(auth.Administrator)
	rt.HandleFunc("GET /groups", web.Public(), a.list)
	rt.HandleFunc("GET /groups/{id}", web.Public(), a.show)
	rt.HandleFunc("POST /groups/{id}/apply", web.SignedIn(), a.apply)
	rt.HandleFunc("POST /groups/{id}/leave", web.SignedIn(), a.leave)

	rt.HandleFunc("GET /admin/groups", staff, a.adminList)
	rt.HandleFunc("POST /admin/groups/settings", admin, a.adminSettings)
	rt.HandleFunc("GET /admin/groups/new", admin, a.adminNew)
	rt.HandleFunc("POST /admin/groups", admin, a.adminCreate)
	rt.HandleFunc("GET /admin/groups/{id}", staff, a.adminEdit)
	rt.HandleFunc("POST /admin/groups/{id}", staff, a.adminUpdate)
	rt.HandleFunc("POST /admin/groups/{id}/members", staff, a.adminAddMember)
	rt.HandleFunc("POST /admin/groups/members/{id}/approve", staff, a.adminApprove)
	rt.HandleFunc("POST /admin/groups/members/{id}/decline", staff, a.adminDecline)
	rt.HandleFunc("POST /admin/groups/members/{id}/remove", staff, a.adminRemove)

	rt.HandleFunc("GET /api/v1/groups", web.Public(), a.apiList)
	rt.HandleFunc("GET /api/v1/groups/{id}", web.Public(), a.apiGet)
	a.describeAPI()
}

// Contribution is what the area gives the shared parts of the portal.
func (a *Area) Contribution() portal.Contribution {
	return portal.Contribution{
		Name: "groups", Title: "Референтные группы",
		Nav:        []web.NavItem{{Order: 55, Href: "/groups", Label: "Референтные группы"}},
		Mechanisms: []portal.MechanismLink{{Number: 6, Href: "/groups"}},
		Staff:      []web.NavItem{{Order: 55, Href: "/admin/groups", Label: "Референтные группы: реестр и заявки"}},
		Sitemap:    a.sitemap,
		Evidence:   []events.Kind{events.GroupsRegistryPublished, events.GroupsRegulationsApproved, events.GroupsInformed},
		Tasks:      a.tasks,
		Groups:     directory{a},
		Demo:       a.Demo,
	}
}

func (a *Area) sitemap(ctx context.Context, munID int64) ([]portal.SitemapURL, error) {
	gs, err := a.Store.pages(ctx, munID)
	if err != nil {
		return nil, err
	}
	out := []portal.SitemapURL{{Loc: "/groups"}}
	for _, g := range gs {
		out = append(out, portal.SitemapURL{Loc: g.URL(), LastMod: g.UpdatedAt})
	}
	return out, nil
}

// tasks: applications waiting for the viewer's decision.
func (a *Area) tasks(ctx context.Context, m tenant.Municipality, v *web.Viewer) ([]portal.Task, error) {
	var dept int64
	switch {
	case v.Has(auth.Administrator):
	case v.Has(auth.Editor) && v.DepartmentID != 0:
		dept = v.DepartmentID
	default:
		return nil, nil
	}
	n, err := a.Store.PendingCount(ctx, m.ID, dept)
	if err != nil || n == 0 {
		return nil, err
	}
	return []portal.Task{{Label: "Заявки на вступление в референтные группы", Count: n, Href: "/admin/groups#applications"}}, nil
}

// mayDecide reports whether the viewer decides on the group's members:
// an administrator, or an editor of the responsible department.
func mayDecide(v *web.Viewer, g Group) bool {
	if v.Has(auth.Administrator) {
		return true
	}
	return v.Has(auth.Editor) && v != nil && v.DepartmentID != 0 && v.DepartmentID == g.DepartmentID
}

// limit is the municipality's limit of groups.
func (a *Area) limit(ctx context.Context, munID int64) (int, error) {
	return a.Store.Limit(ctx, a.DB, munID, a.DefaultLimit)
}

// fillPeople sets the names and addresses of members with accounts, in one
// query.
func (a *Area) fillPeople(ctx context.Context, munID int64, ms []Member) error {
	var ids []int64
	for _, m := range ms {
		if m.AccountID != 0 {
			ids = append(ids, m.AccountID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rs, err := a.People.Recipients(ctx, a.DB, munID, auth.Audience{IDs: ids})
	if err != nil {
		return err
	}
	byID := map[int64]auth.Recipient{}
	for _, r := range rs {
		byID[r.ID] = r
	}
	for i := range ms {
		if r, ok := byID[ms[i].AccountID]; ok {
			ms[i].Name, ms[i].Email = r.Name, r.Email
		}
	}
	return nil
}

// directory is the portal.GroupDirectory other areas use.
type directory struct{ a *Area }

// GroupMembers lists the members of the groups working in any of the
// spheres, once per group; members without an address are listed with an
// empty Email.
func (d directory) GroupMembers(ctx context.Context, munID int64, sphereIDs []int64) ([]portal.GroupMember, error) {
	ms, err := d.a.Store.InSpheres(ctx, d.a.DB, munID, sphereIDs)
	if err != nil {
		return nil, err
	}
	if err := d.a.fillPeople(ctx, munID, ms); err != nil {
		return nil, err
	}
	out := make([]portal.GroupMember, 0, len(ms))
	for _, m := range ms {
		name := m.Name
		if m.Organisation != "" {
			name = m.Organisation
		}
		out = append(out, portal.GroupMember{AccountID: m.AccountID, GroupID: m.GroupID, Group: m.Group, Name: name, Email: m.MailTo()})
	}
	return out, nil
}

// GroupsOf names the groups an account is a member of.
func (d directory) GroupsOf(ctx context.Context, munID, accountID int64) ([]string, error) {
	return d.a.Store.GroupsOf(ctx, munID, accountID)
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
