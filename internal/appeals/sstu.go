package appeals

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/web"
)

// SSTUHeader are the columns of the monthly report to the ССТУ (Decree of
// the President No. 171 of 17.04.2017): per question of the ТОТКО, how many
// appeals were received in the month and what became of them, in the
// ССТУ's result categories. "В т. ч. меры приняты" is part of
// "Поддержано"; "Находится на рассмотрении" counts appeals still open at
// the report's making.
var SSTUHeader = []string{
	"Код вопроса ТОТКО", "Наименование вопроса", "Поступило",
	"Поддержано", "в т. ч. меры приняты", "Разъяснено", "Не поддержано",
	"Дан ответ автору", "Оставлено без ответа автору", "Направлено по компетенции", "Находится на рассмотрении",
}

// SSTURow is one question's line of the monthly report.
type SSTURow struct {
	Code, Title                                                      string
	Received, Supported, Measures, Explained, NotSupported, Answered int
	Unanswered, Forwarded, InProgress                                int
}

// SSTUBucket maps an appeal's state to the ССТУ result column it counts
// in (besides "Поступило"); "" for none.
func SSTUBucket(st Status, result string) string {
	switch {
	case !st.Closed():
		return "in_progress"
	case result == "supported":
		return "supported"
	case result == "supported_measures":
		return "measures"
	case result == "explained":
		return "explained"
	case result == "not_supported":
		return "not_supported"
	case result == "forwarded":
		return "forwarded"
	case result == "left_unanswered":
		return "unanswered"
	case st == StatusAnswered:
		return "answered" // e.g. a site visit: an answer was given
	}
	return "unanswered"
}

// SSTUMonth counts the appeals registered in month by ТОТКО question (those
// without a question under the code "" so that nothing is lost), in code
// order.
func (s *Store) SSTUMonth(ctx context.Context, munID int64, month deadline.Date) ([]SSTURow, error) {
	from := deadline.NewDate(month.Year, month.Month, 1)
	to := deadline.NewDate(month.Year, month.Month+1, 1)
	rows, err := s.DB.Query(ctx, `SELECT a.question_code, COALESCE(t.title, ''), a.status, a.result, COUNT(*) FROM appeals a
 LEFT JOIN appeal_topics t ON t.municipality_id = a.municipality_id AND t.code = a.question_code
 WHERE a.municipality_id = ? AND a.registered_on >= ? AND a.registered_on < ?
 GROUP BY a.question_code, t.title, a.status, a.result ORDER BY a.question_code`, munID, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("count appeals for the ССТУ: %w", err)
	}
	defer rows.Close()
	var out []SSTURow
	for rows.Next() {
		var code, title, st, result string
		var n int
		if err := rows.Scan(&code, &title, &st, &result, &n); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].Code != code {
			out = append(out, SSTURow{Code: code, Title: title})
		}
		r := &out[len(out)-1]
		r.Received += n
		switch SSTUBucket(Status(st), result) {
		case "in_progress":
			r.InProgress += n
		case "supported":
			r.Supported += n
		case "measures":
			r.Supported += n
			r.Measures += n
		case "explained":
			r.Explained += n
		case "not_supported":
			r.NotSupported += n
		case "forwarded":
			r.Forwarded += n
		case "answered":
			r.Answered += n
		default:
			r.Unanswered += n
		}
	}
	return out, rows.Err()
}

// WriteSSTU writes the month's report as CSV (UTF-8 with a BOM, semicolons,
// as spreadsheets in Russian locales read it), for loading into the ССТУ.
func WriteSSTU(rows []SSTURow) []byte {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	w.Comma = ';'
	_ = w.Write(SSTUHeader)
	for _, r := range rows {
		code, title := r.Code, r.Title
		if code == "" {
			title = "Вопрос не указан (укажите вопрос ТОТКО в карточке обращения)"
		}
		_ = w.Write([]string{code, title, itoa10(r.Received), itoa10(r.Supported), itoa10(r.Measures), itoa10(r.Explained), itoa10(r.NotSupported),
			itoa10(r.Answered), itoa10(r.Unanswered), itoa10(r.Forwarded), itoa10(r.InProgress)})
	}
	w.Flush()
	return b.Bytes()
}

func itoa10(n int) string { return fmt.Sprint(n) }

// sstuExport serves the month's ССТУ report to staff: ?month=YYYY-MM.
func (a *Area) sstuExport(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	month, err := time.Parse("2006-01", strings.TrimSpace(r.URL.Query().Get("month")))
	if err != nil {
		a.Errors.Render(w, r, &web.Error{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: "Укажите месяц в виде ГГГГ-ММ, например 2026-11."})
		return
	}
	md := deadline.NewDate(month.Year(), month.Month(), 1)
	rows, err := a.store.SSTUMonth(r.Context(), m.ID, md)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		return audit.Write(r.Context(), tx, a.DB.Now(), actorOf(r).auditEntry(m.ID, "appeals_sstu.exported", month.Format("2006-01"), nil, map[string]any{"questions": len(rows)}))
	}); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="sstu-%s.csv"`, month.Format("2006-01")))
	_, _ = w.Write(WriteSSTU(rows))
}
