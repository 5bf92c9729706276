package media

import (
	"context"
	"time"

	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// Tasks tells the press secretary (and administrators, editors for
// requests) what waits: this week's plan items without a mark, overdue and
// open requests, answers to check, mentions without tonality.
func (a *Area) Tasks(ctx context.Context, m tenant.Municipality, v *web.Viewer) ([]portal.Task, error) {
	if !v.Has(RequestStaff...) {
		return nil, nil
	}
	today := a.today(m)
	day := today.Format(time.DateOnly)
	c := portal.NewTaskCounter(ctx, a.DB)
	c.Add("Просроченные запросы СМИ", "/admin/media/requests?status=overdue", true,
		`SELECT COUNT(*) FROM media_requests WHERE municipality_id = ? AND status NOT IN ('answered', 'refused') AND answer_by < ?`, m.ID, day)
	c.Add("Запросы СМИ ждут ответа", "/admin/media/requests?status=open", false,
		`SELECT COUNT(*) FROM media_requests WHERE municipality_id = ? AND status NOT IN ('answered', 'refused') AND answer_by >= ?`, m.ID, day)
	if !v.Has(Staff...) {
		return c.Tasks()
	}
	c.Add("Ответы на запросы СМИ ждут проверки", "/admin/media/requests?status=review", false,
		`SELECT COUNT(*) FROM media_requests WHERE municipality_id = ? AND status = 'review' AND COALESCE(drafted_by_id, 0) <> ?`, m.ID, v.ID)
	c.Add("Мероприятия медиаплана этой недели без отметки", "/admin/media/week", false,
		`SELECT COUNT(*) FROM media_plan_items WHERE municipality_id = ? AND week_start = ? AND status = 'planned'`, m.ID, MondayOf(today).Format(time.DateOnly))
	c.Add("Упоминания в СМИ без оценки тональности", "/admin/media/mentions?tonality=none", false,
		`SELECT COUNT(*) FROM media_mentions WHERE municipality_id = ? AND tonality = ''`, m.ID)
	return c.Tasks()
}
