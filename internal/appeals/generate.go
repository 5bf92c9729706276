package appeals

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/progress"
)

// generateColumns are the columns the generator fills; the rest keep their
// defaults.
var generateColumns = []string{"municipality_id", "number", "channel", "status", "kind", "received_on", "registered_on",
	"register_by", "forward_by", "answer_by", "answer_by_original", "closed_on", "late", "addressee", "department_id",
	"last_name", "first_name", "middle_name", "search_name", "email", "email_norm", "phone", "phone_norm", "body",
	"section_code", "topic_code", "question_code", "result", "created_at", "updated_at"}

// GenerateStats says what Generate made, for benchmarks to look up.
type GenerateStats struct {
	Numbers  []string // a sample of registration numbers
	Surnames []string // a sample of surnames
}

// Generate inserts n synthetic appeals of a municipality registered over
// the quarters quarters up to today, for benchmarks and for `glasnost demo
// --scale`. It writes in one transaction with multi-row INSERTs, so that a
// million rows take minutes on SQLite. Surnames are drawn from about two
// thousand, so a surname lookup finds a few hundred appeals at a million.
// deptIDs may be empty.
func Generate(ctx context.Context, d *db.DB, cal deadline.Calendar, munID int64, n int, today deadline.Date, quarters int, deptIDs []int64, seed uint64) (GenerateStats, error) {
	rules := deadline.DefaultRules()
	rng := rand.New(rand.NewPCG(seed, 59))
	from, _ := QuarterOf(today)
	for range quarters - 1 {
		from, _ = PreviousQuarter(from)
	}
	span := 0
	for x := from; !x.After(today); x = x.AddDays(1) {
		span++
	}
	// Registration dates sorted, so that numbers run in date order per year.
	days := make([]int, n)
	for i := range days {
		days[i] = rng.IntN(span)
	}
	sortInts(days)
	roots := []string{"Иван", "Петр", "Смирн", "Кузнец", "Поп", "Васильк", "Сокол", "Михайл", "Новик", "Федор", "Мороз", "Волк", "Алексе", "Лебед", "Семен", "Егор", "Павл", "Козл", "Степан", "Никола", "Орл", "Андре", "Макар", "Никит", "Захар", "Зайц", "Соловь", "Борис", "Яковл", "Григорь", "Роман", "Воробь", "Серге", "Кузьмин", "Фрол", "Александр", "Дмитри", "Корол", "Гусев", "Киселев", "Ильин", "Максим", "Поляк", "Сорокин", "Виноград", "Ковалев", "Белов", "Медвед", "Антон", "Тарас"}
	suffixes := []string{"ов", "ин", "ев", "ский", "ых", "енко", "ук", "ицкий", "ашов", "онов", "ушкин", "арев", "ятов", "ников", "анов", "ельев", "ачев", "ихин", "оров", "ыгин", "ов-Белый", "ышев", "унов", "ёнков", "алов", "имов", "ерин", "анцев", "енев", "ышкин", "иков", "овцев", "ахин", "ушев", "ындин", "ягин", "ирин", "ушко", "евич", "ов-Пышминский"}
	var qs []string
	for code := range demoTexts {
		qs = append(qs, code)
	}
	sortStrings(qs)
	channels := []string{"electronic", "electronic", "written", "oral", "medo"}
	kinds := []string{"statement", "proposal", "complaint"}
	results := []string{"explained", "supported", "supported_measures", "not_supported", "site_visit"}
	var stats GenerateStats
	seq := map[int]int{}
	if d.Dialect == db.SQLite {
		// A million rows with their indexes outgrow SQLite's default 2 MB
		// page cache many times over; without a larger one the load is
		// bound by page reads and writes. The writer's cache is put back
		// afterwards.
		if _, err := d.Exec(ctx, `PRAGMA cache_size = -262144`); err != nil {
			return stats, fmt.Errorf("enlarge cache: %w", err)
		}
		defer func() { _, _ = d.Exec(context.WithoutCancel(ctx), `PRAGMA cache_size = -2000`) }()
	}
	if err := d.InTx(ctx, func(tx *db.Tx) error {
		rows, err := tx.Query(ctx, `SELECT year, last FROM appeal_counters WHERE municipality_id = ?`, munID)
		if err != nil {
			return fmt.Errorf("read counters: %w", err)
		}
		for rows.Next() {
			var y, l int
			if err := rows.Scan(&y, &l); err != nil {
				rows.Close()
				return err
			}
			seq[y] = l
		}
		rows.Close()
		const batch = 100
		report := progress.From(ctx)
		report.Start("Обращения граждан", n)
		defer report.Done()
		row := "(" + db.Placeholders(len(generateColumns)) + ")"
		stmtFull, err := tx.PrepareContext(ctx, d.Rebind(`INSERT INTO appeals (`+strings.Join(generateColumns, ", ")+`) VALUES `+strings.TrimSuffix(strings.Repeat(row+", ", batch), ", ")))
		if err != nil {
			return fmt.Errorf("prepare generator insert: %w", err)
		}
		defer stmtFull.Close()
		now := time.Now().UTC().Truncate(time.Second)
		args := make([]any, 0, batch*len(generateColumns))
		flush := func(k int) error {
			if k == 0 {
				return nil
			}
			if k == batch {
				_, err := stmtFull.ExecContext(ctx, args...)
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO appeals (`+strings.Join(generateColumns, ", ")+`) VALUES `+strings.TrimSuffix(strings.Repeat(row+", ", k), ", "), args...)
			return err
		}
		k := 0
		for i := 0; i < n; i++ {
			reg := from.AddDays(days[i])
			recv := reg.AddDays(-rng.IntN(3))
			due := ComputeDue(cal, rules, recv, reg)
			seq[reg.Year]++
			number, _ := DefaultNumberFormat.Format(reg.Year, seq[reg.Year])
			last := roots[rng.IntN(len(roots))] + suffixes[rng.IntN(len(suffixes))]
			if len(stats.Numbers) < 1000 && i%max(1, n/1000) == 0 {
				stats.Numbers = append(stats.Numbers, number)
				stats.Surnames = append(stats.Surnames, last)
			}
			q := qs[rng.IntN(len(qs))]
			status, result, closed, late := StatusAssigned, "", any(nil), false
			if today.After(due.AnswerBy) || rng.IntN(3) == 0 {
				status, result = StatusAnswered, results[rng.IntN(len(results))]
				c := reg.AddDays(5 + rng.IntN(30))
				if c.After(today) {
					c = today
				}
				closed, late = c.String(), c.After(due.AnswerBy)
				if rng.IntN(50) == 0 {
					status, result, closed = StatusDrafted, "", nil
				}
			}
			var dept any
			if len(deptIDs) > 0 {
				dept = deptIDs[rng.IntN(len(deptIDs))]
			}
			email := fmt.Sprintf("user%d@example.ru", i)
			phone := fmt.Sprintf("9%09d", rng.IntN(1000000000))
			args = append(args, munID, number, channels[rng.IntN(len(channels))], string(status), kinds[rng.IntN(len(kinds))], recv.String(), reg.String(),
				due.RegisterBy.String(), due.ForwardBy.String(), due.AnswerBy.String(), due.AnswerBy.String(), closed, late, "Администрация", dept,
				last, "Имя", "Отчество", NormalizeName(last), email, email, phone, phone, "Синтетическое обращение для нагрузочного теста.",
				Section(q), TopicOf(q), q, result, now, now)
			k++
			if k == batch {
				if err := flush(k); err != nil {
					return fmt.Errorf("insert generated appeals: %w", err)
				}
				args, k = args[:0], 0
				report.Add(batch)
			}
		}
		if err := flush(k); err != nil {
			return fmt.Errorf("insert generated appeals: %w", err)
		}
		report.Add(k)
		for y, l := range seq {
			if _, err := tx.Exec(ctx, `INSERT INTO appeal_counters (municipality_id, year, last) VALUES (?, ?, ?) ON CONFLICT (municipality_id, year) DO UPDATE SET last = excluded.last`, munID, y, l); err != nil {
				return fmt.Errorf("save counters: %w", err)
			}
		}
		return nil
	}); err != nil {
		return stats, err
	}
	if d.Dialect == db.SQLite {
		if _, err := d.Exec(ctx, `ANALYZE`); err != nil {
			return stats, fmt.Errorf("analyze: %w", err)
		}
	} else {
		// VACUUM also sets the visibility map, without which PostgreSQL
		// cannot answer the report from the covering index alone.
		if _, err := d.Exec(ctx, `VACUUM (ANALYZE) appeals`); err != nil {
			return stats, fmt.Errorf("vacuum: %w", err)
		}
	}
	return stats, nil
}

func sortInts(a []int) {
	// Counting sort: the values are day offsets within a few quarters.
	maxV := 0
	for _, v := range a {
		maxV = max(maxV, v)
	}
	counts := make([]int, maxV+1)
	for _, v := range a {
		counts[v]++
	}
	i := 0
	for v, c := range counts {
		for range c {
			a[i] = v
			i++
		}
	}
}

func sortStrings(a []string) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}
