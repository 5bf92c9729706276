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

// Word lists the generator draws from. Surnames are a root and a suffix.
var (
	generateSurnameRoots    = []string{"Иван", "Петр", "Смирн", "Кузнец", "Поп", "Васильк", "Сокол", "Михайл", "Новик", "Федор", "Мороз", "Волк", "Алексе", "Лебед", "Семен", "Егор", "Павл", "Козл", "Степан", "Никола", "Орл", "Андре", "Макар", "Никит", "Захар", "Зайц", "Соловь", "Борис", "Яковл", "Григорь", "Роман", "Воробь", "Серге", "Кузьмин", "Фрол", "Александр", "Дмитри", "Корол", "Гусев", "Киселев", "Ильин", "Максим", "Поляк", "Сорокин", "Виноград", "Ковалев", "Белов", "Медвед", "Антон", "Тарас"}
	generateSurnameSuffixes = []string{"ов", "ин", "ев", "ский", "ых", "енко", "ук", "ицкий", "ашов", "онов", "ушкин", "арев", "ятов", "ников", "анов", "ельев", "ачев", "ихин", "оров", "ыгин", "ов-Белый", "ышев", "унов", "ёнков", "алов", "имов", "ерин", "анцев", "енев", "ышкин", "иков", "овцев", "ахин", "ушев", "ындин", "ягин", "ирин", "ушко", "евич", "ов-Пышминский"}
	generateChannels        = []string{"electronic", "electronic", "written", "oral", "medo"}
	generateKinds           = []string{"statement", "proposal", "complaint"}
	generateResults         = []string{"explained", "supported", "supported_measures", "not_supported", "site_visit"}
)

// generateBatch is how many appeals one INSERT of the generator carries.
const generateBatch = 100

// Generate inserts n synthetic appeals of a municipality registered over
// the quarters quarters up to today, for benchmarks and for `glasnost demo
// --scale`. It writes in one transaction with multi-row INSERTs, so that a
// million rows take minutes on SQLite. Surnames are drawn from about two
// thousand, so a surname lookup finds a few hundred appeals at a million.
// deptIDs may be empty.
func Generate(ctx context.Context, d *db.DB, cal deadline.Calendar, munID int64, n int, today deadline.Date, quarters int, deptIDs []int64, seed uint64) (GenerateStats, error) {
	rng := rand.New(rand.NewPCG(seed, 59))
	from, _ := QuarterOf(today)
	for range quarters - 1 {
		from, _ = PreviousQuarter(from)
	}
	g := appealGenerator{
		rng: rng, cal: cal, rules: deadline.DefaultRules(), munID: munID, today: today, deptIDs: deptIDs,
		from: from, days: registrationDays(rng, from, today, n), questions: generateQuestionCodes(),
		now: time.Now().UTC().Truncate(time.Second), seq: map[int]int{},
	}
	var stats GenerateStats
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
		if err := g.readCounters(ctx, tx); err != nil {
			return err
		}
		if err := g.insertAll(ctx, d, tx, &stats); err != nil {
			return err
		}
		return g.saveCounters(ctx, tx)
	}); err != nil {
		return stats, err
	}
	return stats, analyzeGenerated(ctx, d)
}

// registrationDays draws n registration days, as offsets from from, up to
// today. They are sorted, so that numbers run in date order per year.
func registrationDays(rng *rand.Rand, from, today deadline.Date, n int) []int {
	span := 0
	for x := from; !x.After(today); x = x.AddDays(1) {
		span++
	}
	days := make([]int, n)
	for i := range days {
		days[i] = rng.IntN(span)
	}
	sortInts(days)
	return days
}

// generateQuestionCodes are the questions the demo has texts for, in a
// fixed order so that a seed always draws the same ones.
func generateQuestionCodes() []string {
	var qs []string
	for code := range demoTexts {
		qs = append(qs, code)
	}
	sortStrings(qs)
	return qs
}

// appealGenerator draws the synthetic appeals of Generate one by one.
type appealGenerator struct {
	rng       *rand.Rand
	cal       deadline.Calendar
	rules     deadline.Rules
	munID     int64
	today     deadline.Date
	deptIDs   []int64
	from      deadline.Date
	days      []int // registration days, offsets from from
	questions []string
	now       time.Time
	seq       map[int]int // the last registration number of each year
}

// readCounters starts the numbering after the municipality's existing appeals.
func (g *appealGenerator) readCounters(ctx context.Context, tx *db.Tx) error {
	rows, err := tx.Query(ctx, `SELECT year, last FROM appeal_counters WHERE municipality_id = ?`, g.munID)
	if err != nil {
		return fmt.Errorf("read counters: %w", err)
	}
	for rows.Next() {
		var y, l int
		if err := rows.Scan(&y, &l); err != nil {
			rows.Close()
			return err
		}
		g.seq[y] = l
	}
	rows.Close()
	return nil
}

// saveCounters stores the last numbers given, so that appeals registered
// afterwards continue the numbering.
func (g *appealGenerator) saveCounters(ctx context.Context, tx *db.Tx) error {
	for y, l := range g.seq {
		if _, err := tx.Exec(ctx, `INSERT INTO appeal_counters (municipality_id, year, last) VALUES (?, ?, ?) ON CONFLICT (municipality_id, year) DO UPDATE SET last = excluded.last`, g.munID, y, l); err != nil {
			return fmt.Errorf("save counters: %w", err)
		}
	}
	return nil
}

// insertAll inserts every appeal in batches, sampling numbers and surnames
// into stats.
func (g *appealGenerator) insertAll(ctx context.Context, d *db.DB, tx *db.Tx, stats *GenerateStats) error {
	n := len(g.days)
	report := progress.From(ctx)
	report.Start("Обращения граждан", n)
	defer report.Done()
	row := "(" + db.Placeholders(len(generateColumns)) + ")"
	insert := func(k int) string {
		return `INSERT INTO appeals (` + strings.Join(generateColumns, ", ") + `) VALUES ` + strings.TrimSuffix(strings.Repeat(row+", ", k), ", ")
	}
	stmtFull, err := tx.PrepareContext(ctx, d.Rebind(insert(generateBatch)))
	if err != nil {
		return fmt.Errorf("prepare generator insert: %w", err)
	}
	defer stmtFull.Close()
	args := make([]any, 0, generateBatch*len(generateColumns))
	flush := func(k int) error {
		if k == 0 {
			return nil
		}
		if k == generateBatch {
			_, err := stmtFull.ExecContext(ctx, args...)
			return err
		}
		_, err := tx.Exec(ctx, insert(k), args...)
		return err
	}
	k := 0
	for i := 0; i < n; i++ {
		var number, last string
		args, number, last = g.appendAppeal(args, i)
		if len(stats.Numbers) < 1000 && i%max(1, n/1000) == 0 {
			stats.Numbers = append(stats.Numbers, number)
			stats.Surnames = append(stats.Surnames, last)
		}
		k++
		if k == generateBatch {
			if err := flush(k); err != nil {
				return fmt.Errorf("insert generated appeals: %w", err)
			}
			args, k = args[:0], 0
			report.Add(generateBatch)
		}
	}
	if err := flush(k); err != nil {
		return fmt.Errorf("insert generated appeals: %w", err)
	}
	report.Add(k)
	return nil
}

// appendAppeal draws the i-th appeal and appends its column values (in the
// order of generateColumns) to args. It returns the appeal's registration
// number and surname too.
func (g *appealGenerator) appendAppeal(args []any, i int) ([]any, string, string) {
	rng := g.rng
	reg := g.from.AddDays(g.days[i])
	recv := reg.AddDays(-rng.IntN(3))
	due := ComputeDue(g.cal, g.rules, recv, reg)
	g.seq[reg.Year]++
	number, _ := DefaultNumberFormat.Format(reg.Year, g.seq[reg.Year])
	last := generateSurnameRoots[rng.IntN(len(generateSurnameRoots))] + generateSurnameSuffixes[rng.IntN(len(generateSurnameSuffixes))]
	q := g.questions[rng.IntN(len(g.questions))]
	status, result, closed, late := StatusAssigned, "", any(nil), false
	if g.today.After(due.AnswerBy) || rng.IntN(3) == 0 {
		status, result = StatusAnswered, generateResults[rng.IntN(len(generateResults))]
		c := reg.AddDays(5 + rng.IntN(30))
		if c.After(g.today) {
			c = g.today
		}
		closed, late = c.String(), c.After(due.AnswerBy)
		if rng.IntN(50) == 0 {
			status, result, closed = StatusDrafted, "", nil
		}
	}
	var dept any
	if len(g.deptIDs) > 0 {
		dept = g.deptIDs[rng.IntN(len(g.deptIDs))]
	}
	email := fmt.Sprintf("user%d@example.ru", i)
	phone := fmt.Sprintf("9%09d", rng.IntN(1000000000))
	args = append(args, g.munID, number, generateChannels[rng.IntN(len(generateChannels))], string(status), generateKinds[rng.IntN(len(generateKinds))], recv.String(), reg.String(),
		due.RegisterBy.String(), due.ForwardBy.String(), due.AnswerBy.String(), due.AnswerBy.String(), closed, late, "Администрация", dept,
		last, "Имя", "Отчество", NormalizeName(last), email, email, phone, phone, "Синтетическое обращение для нагрузочного теста.",
		Section(q), TopicOf(q), q, result, g.now, g.now)
	return args, number, last
}

// analyzeGenerated refreshes the planner's statistics after the load.
// On SQLite every ordinary table is analysed but not the shadow tables of
// the full-text index: FTS5 reads those by their keys whatever the
// statistics say, and with samples of search_fts_idx in sqlite_stat4
// SQLite re-prepares FTS5's term lookup for every term searched (5 % of
// the search page's CPU at scale 100).
func analyzeGenerated(ctx context.Context, d *db.DB) error {
	if d.Dialect == db.SQLite {
		var tables []string
		rows, err := d.Query(ctx, `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
		if err != nil {
			return fmt.Errorf("list tables to analyze: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var t string
			if err := rows.Scan(&t); err != nil {
				return fmt.Errorf("scan table to analyze: %w", err)
			}
			tables = append(tables, t)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("list tables to analyze: %w", err)
		}
		rows.Close()
		for _, t := range tables {
			if _, err := d.Exec(ctx, `ANALYZE "`+strings.ReplaceAll(t, `"`, `""`)+`"`); err != nil {
				return fmt.Errorf("analyze %s: %w", t, err)
			}
		}
		return nil
	}
	// VACUUM also sets the visibility map, without which PostgreSQL
	// cannot answer the report from the covering index alone.
	if _, err := d.Exec(ctx, `VACUUM (ANALYZE) appeals`); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	return nil
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
