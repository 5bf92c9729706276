package consult

import (
	"context"

	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// tasks tells staff what waits in public discussions: comments to
// moderate, published comments without an answer (on their department's
// consultations; every one for an administrator), and experts' requests
// for accreditation to check (lawyers).
func (a *Area) tasks(ctx context.Context, m tenant.Municipality, v *web.Viewer) ([]portal.Task, error) {
	if !v.Has(staffRoles...) {
		return nil, nil
	}
	c := portal.NewTaskCounter(ctx, a.DB)
	c.Add("Замечания ждут модерации", "/admin/consult/moderation", false,
		`SELECT COUNT(*) FROM consultation_comments WHERE municipality_id = ? AND status IN (?, ?)`, m.ID, StatusPending, StatusHeld)
	unanswered := `SELECT COUNT(*) FROM consultation_comments cc JOIN consultations c ON c.id = cc.consultation_id
		WHERE cc.municipality_id = ? AND cc.status = ? AND cc.decision = ''`
	args := []any{m.ID, StatusPublished}
	if !v.Has(settingRoles...) {
		unanswered += ` AND c.department_id = ?`
		args = append(args, v.DepartmentID)
	}
	c.Add("Опубликованные замечания без ответа", "/admin/consultations", false, unanswered, args...)
	if v.Has(lawyerRoles...) {
		c.Add("Заявки независимых экспертов ждут проверки", "/admin/consult/experts", false,
			`SELECT COUNT(*) FROM consult_experts WHERE municipality_id = ? AND status = ?`, m.ID, ExpertPending)
	}
	return c.Tasks()
}
