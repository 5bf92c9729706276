// Package groups is the area «Референтные группы». See docs/groups.md.
package groups

import (
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/web"
)

// Area serves «Референтные группы».
type Area struct {
	portal.Deps
}

// New builds the area.
func New(d portal.Deps) (*Area, error) {
	return &Area{Deps: d}, nil
}

// Mount registers the area's routes and describes its API.
func (a *Area) Mount(rt *web.Router) {}

// Contribution is what the area gives the shared parts of the portal.
func (a *Area) Contribution() portal.Contribution {
	return portal.Contribution{Name: "groups", Title: "Референтные группы"}
}
