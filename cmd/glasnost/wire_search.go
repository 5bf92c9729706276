package main

import (
	"context"

	"github.com/glasnost/glasnost/internal/search"
	"github.com/glasnost/glasnost/internal/tenant"
)

// wireSearch mounts the search page and API. The layout links /search from
// every page's header, so the area adds no navigation entry; areas index
// their own content through search.Put and search.Remove.
func wireSearch(ctx context.Context, a *App) error {
	s, err := search.New(a.DB, a.Renderer, a.Errors, a.API, a.Tenants)
	if err != nil {
		return err
	}
	s.Mount(a.Router)
	a.demo = append(a.demo, func(ctx context.Context, app *App, m tenant.Municipality) error {
		return search.Demo(ctx, app.DB, m.ID)
	})
	return nil
}
