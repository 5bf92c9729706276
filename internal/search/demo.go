package search

import (
	"context"
	"fmt"
	"time"

	"github.com/glasnost/glasnost/internal/db"
)

// servicePages are the public pages that no area owns — the kernels' own —
// so that a resident who searches for them finds them like any other page.
// Areas index their content themselves when they publish it.
var servicePages = []Doc{
	{Type: "service", ObjectID: "accessibility", URL: "/accessibility",
		Title: "Версия для слабовидящих: настройки доступности",
		Body: "Крупный шрифт, цветовые схемы (чёрным по белому, белым по чёрному, синим по голубому), увеличенный интервал между буквами, " +
			"отключение изображений. Настройки сохраняются в браузере, действуют на всех страницах портала и работают без JavaScript. " +
			"Версия для слабовидящих соответствует ГОСТ Р 52872-2019."},
}

// Demo indexes the service pages for a municipality. It writes only what is
// missing, so running it twice changes nothing.
func Demo(ctx context.Context, d *db.DB, munID int64) error {
	published := time.Date(2026, time.January, 15, 4, 0, 0, 0, time.UTC)
	return d.InTx(ctx, func(tx *db.Tx) error {
		for _, p := range servicePages {
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM search_docs WHERE municipality_id = ? AND type = ? AND object_id = ?`, munID, p.Type, p.ObjectID).Scan(&n); err != nil {
				return fmt.Errorf("demo search index: %w", err)
			}
			if n > 0 {
				continue
			}
			p.MunicipalityID = munID
			p.PublishedAt = published
			if err := Put(ctx, tx, p); err != nil {
				return fmt.Errorf("demo search index: %w", err)
			}
		}
		return nil
	})
}
