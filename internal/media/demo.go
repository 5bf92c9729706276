package media

import (
	"context"

	"github.com/glasnost/glasnost/internal/tenant"
)

// Demo loads the area's demo content; it is idempotent.
func (a *Area) Demo(ctx context.Context, m tenant.Municipality) error { return nil }
