package appeals

import (
	"context"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// tasks tells staff what waits in appeals: the desk (operators, the head)
// registers and assigns, the head approves drafts, a department answers
// what was assigned to it; overdue appeals are counted for whoever sees
// them. The counts use the staff list's own filter, so each link shows
// exactly what was counted.
func (a *Area) tasks(ctx context.Context, m tenant.Municipality, v *web.Viewer) ([]portal.Task, error) {
	if !v.Has(StaffRoles...) {
		return nil, nil
	}
	c := portal.NewTaskCounter(ctx, a.DB)
	count := func(label, href string, overdue bool, f Filter) {
		where, args := f.where(m.ID)
		c.Add(label, href, overdue, `SELECT COUNT(*) FROM appeals a WHERE `+where, args...)
	}
	all := seesAll(v)
	if !all && v.DepartmentID == 0 {
		return nil, nil
	}
	dept := int64(0)
	if !all {
		dept = v.DepartmentID
	}
	count("Просроченные обращения", "/admin/appeals?overdue=yes", true, Filter{Overdue: true, Today: a.Today(m), DepartmentID: dept})
	if all {
		count("Поступившие обращения ждут регистрации", "/admin/appeals?status=received", false, Filter{Status: string(StatusReceived)})
		count("Зарегистрированные обращения ждут передачи исполнителю", "/admin/appeals?status=registered", false, Filter{Status: string(StatusRegistered)})
	}
	if v.Has(auth.Administrator) {
		count("Проекты ответов ждут согласования", "/admin/appeals?status=drafted", false, Filter{Status: string(StatusDrafted)})
	}
	count("Обращения ждут подготовки ответа", "/admin/appeals?status=assigned", false, Filter{Status: string(StatusAssigned), DepartmentID: dept})
	count("Согласованные ответы ждут отправки", "/admin/appeals?status=approved", false, Filter{Status: string(StatusApproved), DepartmentID: dept})
	return c.Tasks()
}
