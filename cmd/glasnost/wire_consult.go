package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/glasnost/glasnost/internal/consult"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/notify"
	"github.com/glasnost/glasnost/internal/site"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// wireConsult mounts consultations (mechanisms 4, 7 and 8.1): public
// discussion of drafts, the public declaration of goals and independent
// anticorruption expertise. Reference groups do not exist yet: Groups is
// nil, so "groups" participation admits nobody (and says so) and group
// members are not notified; wire the groups area's GroupMembers here when
// it lands.
func wireConsult(ctx context.Context, a *App) error {
	cal, err := deadline.Default()
	if err != nil {
		return fmt.Errorf("consult: calendar: %w", err)
	}
	// An installation may adjust the procedures (stages, terms, who takes
	// part, moderation) in a text file beside its data; see docs/consult.md.
	procs := consult.DefaultProcedures()
	if b, err := os.ReadFile(filepath.Join(a.Config.DataDir, "consult-procedures.txt")); err == nil {
		if procs, err = consult.ParseProcedures(string(b), procs); err != nil {
			return fmt.Errorf("consult-procedures.txt: %w", err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("consult: read procedures: %w", err)
	}
	area, err := consult.New(consult.Deps{
		DB: a.DB, Renderer: a.Renderer, Errors: a.Errors, Queue: a.Queue, Mailer: a.Mailer,
		Subscriptions: notify.NewSubscriptions(a.DB), Tenants: a.Tenants, Sessions: a.Sessions, Log: a.Log,
		Calendar: cal, Rules: deadline.DefaultRules(), Groups: nil, Procedures: procs,
	})
	if err != nil {
		return fmt.Errorf("consult: %w", err)
	}
	area.Mount(a.Router)
	area.Describe(a.API)
	a.Renderer.AddNav(web.NavItem{Order: 40, Href: "/consultations", Label: "Обсуждения"})
	a.linkMechanism(4, "/consultations")
	a.linkMechanism(7, "/consultations?kind=declaration")
	a.linkMechanism(8, "/expertise")
	a.adminLinks = append(a.adminLinks, web.NavItem{Order: 40, Href: "/admin/consultations", Label: "Обсуждения, декларация, экспертиза"})
	a.sitemaps = append(a.sitemaps, func(ctx context.Context, munID int64) ([]site.SitemapURL, error) {
		links, err := area.Sitemap(ctx, munID)
		if err != nil {
			return nil, err
		}
		out := make([]site.SitemapURL, len(links))
		for i, l := range links {
			out[i] = site.SitemapURL{Loc: l.Path, LastMod: l.LastMod}
		}
		return out, nil
	})
	a.demo = append(a.demo, func(ctx context.Context, app *App, m tenant.Municipality) error {
		people := consult.DemoPeople{}
		for email, id := range map[string]*int64{"lawyer@vpyshma.demo": &people.Lawyer, "editor@vpyshma.demo": &people.Editor,
			"resident@vpyshma.demo": &people.Resident, "expert@vpyshma.demo": &people.Expert} {
			acc, err := app.Accounts.ByEmail(ctx, m.ID, email)
			if err != nil {
				return fmt.Errorf("consult demo: account %s: %w", email, err)
			}
			*id = acc.ID
		}
		return area.Demo(ctx, m, people)
	})
	a.scale = append(a.scale, func(ctx context.Context, app *App, m tenant.Municipality, n int) error {
		lawyer, err := app.Accounts.ByEmail(ctx, m.ID, "lawyer@vpyshma.demo")
		if err != nil {
			return fmt.Errorf("consult scale: account lawyer@vpyshma.demo: %w", err)
		}
		return area.Generate(ctx, m, n, consult.DemoPeople{Lawyer: lawyer.ID})
	})
	return nil
}
