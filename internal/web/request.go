package web

import (
	"net/http"
	"strconv"

	"github.com/glasnost/glasnost/internal/tenant"
)

// Municipality is the municipality the request is for; the middleware
// resolves it before any area's handler runs.
func Municipality(r *http.Request) tenant.Municipality {
	m, _ := tenant.FromContext(r.Context())
	return m
}

// PathID reads a positive integer path value ({id}, {file}, …); a
// malformed one is a missing page.
func PathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, ErrNotFound
	}
	return id, nil
}
