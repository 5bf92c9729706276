package web

import (
	"context"
	"slices"
)

// Viewer is the account behind a request, as far as pages and permission
// checks need to know it. Anonymous requests have no Viewer.
type Viewer struct {
	ID           int64
	Email        string
	Name         string
	Roles        []string
	DepartmentID int64
	Department   string
	ViaToken     bool
	// IdentityVerified: an identity provider (ЕСИА through its gateway)
	// confirmed who the person is; areas that need a verified identity
	// (electronic appeals under 547-FZ, when the municipality asks) read it.
	IdentityVerified bool
}

// Has reports whether the viewer holds any of the roles.
func (v *Viewer) Has(roles ...string) bool {
	if v == nil {
		return false
	}
	for _, r := range roles {
		if slices.Contains(v.Roles, r) {
			return true
		}
	}
	return false
}

type viewerKey struct{}

// WithViewer stores the authenticated account in the context.
func WithViewer(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// ViewerFrom returns the authenticated account, or nil for an anonymous request.
func ViewerFrom(ctx context.Context) *Viewer {
	v, _ := ctx.Value(viewerKey{}).(*Viewer)
	return v
}
