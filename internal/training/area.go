// Package training is the area «Обучение сотрудников». See docs/training.md.
package training

import (
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/web"
)

// Area serves «Обучение сотрудников».
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
	return portal.Contribution{Name: "training", Title: "Обучение сотрудников"}
}
