package groups

import (
	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/web"
	"github.com/glasnost/glasnost/internal/webtest"
)

type webViewer = web.Viewer

func auditEntry(env *webtest.Env) audit.Entry {
	return audit.Entry{MunicipalityID: env.Municipality.ID, Actor: "тест"}
}
