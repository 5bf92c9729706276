package search

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/tenant"
)

// The benchmarks search a generated corpus of benchDocs Russian documents,
// built once per engine per run of the test binary and dropped by TestMain.

const benchDocs = 100_000

var benchQueries = []string{
	"обращения граждан",
	"публичных слушаний",
	"бюджет",
	"благоустройство дворовых территорий",
	"ремонт дорог",
	"противодействие коррупции",
	"конкурс проектов",
	"школа",
}

type benchCorpus struct {
	once    sync.Once
	d       *db.DB
	mun     int64
	err     error
	cleanup func()
}

var benchCorpora = map[db.Dialect]*benchCorpus{db.SQLite: {}, db.Postgres: {}}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, c := range benchCorpora {
		if c.cleanup != nil {
			c.cleanup()
		}
	}
	for _, c := range scaleCorpora {
		for _, f := range []func(){c.c1, c.c100} {
			if f != nil {
				f()
			}
		}
	}
	os.Exit(code)
}

// corpusDB returns the engine's database holding the generated corpus.
func corpusDB(b *testing.B, dialect db.Dialect) (*db.DB, int64) {
	b.Helper()
	base := os.Getenv("GLASNOST_TEST_POSTGRES_URL")
	if dialect == db.Postgres && base == "" {
		b.Skip("PostgreSQL not configured (set GLASNOST_TEST_POSTGRES_URL)")
	}
	c := benchCorpora[dialect]
	c.once.Do(func() {
		start := time.Now()
		c.d, c.cleanup, c.err = openBenchDB(dialect, base)
		if c.err == nil {
			c.mun, c.err = buildCorpus(c.d, benchDocs)
		}
		if c.err == nil {
			b.Logf("%s: indexed %d documents in %s", dialect, benchDocs, time.Since(start).Round(time.Millisecond))
		}
	})
	if c.err != nil {
		b.Fatal(c.err)
	}
	return c.d, c.mun
}

func openBenchDB(dialect db.Dialect, base string) (*db.DB, func(), error) {
	ctx := context.Background()
	var d *db.DB
	var cleanup func()
	if dialect == db.SQLite {
		dir, err := os.MkdirTemp("", "glasnost-search-bench-")
		if err != nil {
			return nil, nil, err
		}
		if d, err = db.Open(ctx, filepath.Join(dir, "bench.db")); err != nil {
			return nil, nil, err
		}
		cleanup = func() { d.Close(); os.RemoveAll(dir) }
	} else {
		admin, err := db.Open(ctx, base)
		if err != nil {
			return nil, nil, err
		}
		var rb [6]byte
		_, _ = rand.Read(rb[:])
		schema := "bench_" + hex.EncodeToString(rb[:])
		if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
			return nil, nil, err
		}
		u, err := url.Parse(base)
		if err != nil {
			return nil, nil, err
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		if d, err = db.Open(ctx, u.String()); err != nil {
			return nil, nil, err
		}
		cleanup = func() {
			d.Close()
			_, _ = admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			admin.Close()
		}
	}
	if _, err := d.Migrate(ctx); err != nil {
		cleanup()
		return nil, nil, err
	}
	return d, cleanup, nil
}

// buildCorpus indexes n generated documents in one transaction.
func buildCorpus(d *db.DB, n int) (int64, error) {
	ctx := context.Background()
	m := tenant.Municipality{Slug: "bench", Name: "Городской округ Верхняя Пышма", TimeZone: "Asia/Yekaterinburg"}
	if err := d.InTx(ctx, func(tx *db.Tx) error { return tenant.NewStore(d).Create(ctx, tx, &m) }); err != nil {
		return 0, err
	}
	g := newGenerator(1)
	err := d.InTx(ctx, func(tx *db.Tx) error {
		for i := range n {
			doc := g.doc(i)
			doc.MunicipalityID = m.ID
			if err := Put(ctx, tx, doc); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if d.Dialect == db.Postgres {
		_, err = d.Exec(ctx, "ANALYZE search_docs")
	} else {
		_, err = d.Exec(ctx, "INSERT INTO search_fts (search_fts) VALUES ('optimize')")
	}
	return m.ID, err
}

func BenchmarkSearch(b *testing.B) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			d, mun := corpusDB(b, dialect)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r, err := Search(ctx, d, Query{MunicipalityID: mun, Text: benchQueries[i%len(benchQueries)]})
				if err != nil {
					b.Fatal(err)
				}
				if len(r.Hits) == 0 {
					b.Fatalf("%q: nothing found", benchQueries[i%len(benchQueries)])
				}
			}
		})
	}
}

// BenchmarkBareFTS runs only the engine's ranked full-text query for the
// same words (first page of ids), the floor that BenchmarkSearch is
// compared with: the difference is the join, the filters, the total count,
// the page fetch and the snippets.
func BenchmarkBareFTS(b *testing.B) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			d, _ := corpusDB(b, dialect)
			ctx := context.Background()
			plans := make([]plan, len(benchQueries))
			for i, q := range benchQueries {
				plans[i] = plan{query: parseQuery(q), limit: DefaultPerPage}
			}
			e := engineFor(d)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				n, err := e.bare(ctx, d, plans[i%len(plans)])
				if err != nil {
					b.Fatal(err)
				}
				if n == 0 {
					b.Fatal("nothing found")
				}
			}
		})
	}
}

// BenchmarkPut measures indexing one document (stemming and writing) in
// its own transaction, as an area publishing an act does.
func BenchmarkPut(b *testing.B) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			d, mun := corpusDB(b, dialect)
			ctx := context.Background()
			g := newGenerator(2)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				doc := g.doc(i)
				doc.MunicipalityID, doc.Type, doc.ObjectID = mun, "bench_put", fmt.Sprint(i%1000)
				if err := d.InTx(ctx, func(tx *db.Tx) error { return Put(ctx, tx, doc) }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// generator writes plausible municipal documents: acts, news and pages
// about the matters a district administration publishes, with the words
// in their various grammatical forms.
type generator struct {
	r *mrand.Rand
}

func newGenerator(seed uint64) *generator { return &generator{r: mrand.New(mrand.NewPCG(seed, 2018))} }

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

var (
	genKinds = []struct{ typ, title string }{
		{"act", "Постановление администрации"}, {"act", "Распоряжение администрации"}, {"act", "Решение Думы городского округа"},
		{"news", "Новость"}, {"news", "Объявление"}, {"page", "Информация"}, {"explanation", "Пояснение простым языком"},
		{"consultation", "Общественное обсуждение"}, {"practice_review", "Обзор правоприменительной практики"},
	}
	// genTopics: the topic in the prepositional case (for titles «о …») and
	// in the accusative (for sentences «утвердила …»).
	genTopics = [][2]string{
		{"о порядке рассмотрения обращений граждан", "порядок рассмотрения обращений граждан"},
		{"о проведении публичных слушаний по проекту планировки", "публичные слушания по проекту планировки территории"},
		{"о бюджете городского округа на 2027 год", "проект бюджета городского округа на 2027 год"},
		{"о благоустройстве дворовых территорий", "программу благоустройства дворовых территорий"},
		{"о ремонте автомобильных дорог местного значения", "план ремонта автомобильных дорог"},
		{"о мерах по противодействию коррупции", "план мероприятий по противодействию коррупции"},
		{"о конкурсе проектов инициативного бюджетирования", "конкурс проектов инициативного бюджетирования"},
		{"о работе общеобразовательных школ", "график работы общеобразовательных школ"},
		{"о поддержке малого и среднего предпринимательства", "меры поддержки малого и среднего предпринимательства"},
		{"об организации летнего отдыха детей", "организацию летнего отдыха детей"},
		{"о тарифах на услуги водоснабжения", "тарифы на услуги водоснабжения"},
		{"о муниципальной программе «Развитие культуры»", "муниципальную программу «Развитие культуры»"},
		{"о санитарной очистке территории", "месячник по санитарной очистке территории"},
		{"о предоставлении субсидий социально ориентированным организациям", "порядок предоставления субсидий"},
		{"о капитальном ремонте многоквартирных домов", "краткосрочный план капитального ремонта многоквартирных домов"},
		{"о работе общественного совета", "план работы общественного совета"},
		{"о приёме граждан должностными лицами", "график приёма граждан должностными лицами"},
		{"об открытых данных администрации", "перечень наборов открытых данных"},
		{"о пожарной безопасности в весенне-летний период", "меры пожарной безопасности"},
		{"о развитии физической культуры и спорта", "календарный план спортивных мероприятий"},
	}
	genSubjects = []string{"Администрация городского округа", "Управление образования", "Комитет экономики и муниципального заказа",
		"Отдел по работе с обращениями граждан", "Управление жилищно-коммунального хозяйства", "Общественный совет",
		"Финансовое управление", "Глава городского округа", "Управление архитектуры и градостроительства", "Юридический отдел"}
	genVerbs = []string{"утвердила", "рассмотрел", "подготовило", "опубликовала", "продлевает", "объявляет", "обсуждает", "согласовал",
		"представило", "уточнила"}
	genTails = []string{"в соответствии с Федеральным законом № 131-ФЗ", "до 1 декабря текущего года", "с участием жителей микрорайона",
		"на официальном сайте администрации", "по итогам заседания комиссии", "по предложениям жителей", "в рамках дорожной карты",
		"после общественного обсуждения", "с учётом замечаний прокуратуры", "в здании администрации по адресу: ул. Ленина, 131"}
	genVocab = strings.Fields(`жители жителей жителям район района районе улица улицы улице дом дома домов двор дворы дворов
		школа школы школе детский сад садов больница поликлиника транспорт автобус автобусы маршрут маршрута остановка
		парк парка сквер сквера освещение освещения тротуар тротуары площадка площадки спортивная детская
		срок сроки сроков заявка заявки заявок документ документы документов справка справки решение решения решений
		комиссия комиссии заседание заседания протокол протокола депутат депутаты депутатов предприниматель предприниматели
		организация организации организаций учреждение учреждения учреждений договор договора контракт контракты
		отчёт отчёта отчёты показатель показатели показателей мероприятие мероприятия мероприятий вода воды отопление
		отопления мусор мусора контейнер контейнеры площадь площади строительство строительства проект проекта проекты
		ветераны ветеранов молодёжь молодёжи семья семьи семей пенсионеры пенсионеров льгота льготы льгот выплата выплаты
		безопасность безопасности пожар пожары экология экологии лес леса река реки озеро озера снег снега уборка уборки`)
)

// sentence is about the topic (in the accusative).
func (g *generator) sentence(topic string) string {
	return g.pick(genSubjects) + " " + g.pick(genVerbs) + " " + topic + " " + g.pick(genTails) + "."
}

// filler is a sentence of everyday municipal words, so that documents do
// not all share one vocabulary.
func (g *generator) filler() string {
	words := make([]string, 6+g.r.IntN(8))
	for k := range words {
		words[k] = g.pick(genVocab)
	}
	first, size := utf8.DecodeRuneInString(words[0])
	words[0] = string(unicode.ToUpper(first)) + words[0][size:]
	return strings.Join(words, " ") + "."
}

func (g *generator) doc(i int) Doc {
	kind := genKinds[g.r.IntN(len(genKinds))]
	topic := genTopics[g.r.IntN(len(genTopics))]
	title := kind.title + " " + topic[0]
	if kind.typ == "act" {
		title = fmt.Sprintf("%s от %02d.%02d.%d № %d %s", kind.title, 1+g.r.IntN(28), 1+g.r.IntN(12), 2015+g.r.IntN(12), 1+g.r.IntN(2000), topic[0])
	}
	// A document is about its topic; now and then it mentions another one,
	// as real acts and news refer to neighbouring matters.
	var body strings.Builder
	body.WriteString(g.sentence(topic[1]))
	for range 2 + g.r.IntN(4) {
		body.WriteByte(' ')
		switch n := g.r.IntN(10); {
		case n < 4:
			body.WriteString(g.filler())
		case n < 9:
			body.WriteString(g.sentence(topic[1]))
		default:
			body.WriteString(g.sentence(genTopics[g.r.IntN(len(genTopics))][1]))
		}
	}
	spheres := []string{"education", "housing", "transport", "economy", "urban", "budget", "social", "culture"}
	return Doc{
		Type: kind.typ, ObjectID: fmt.Sprint(i), Title: title, Body: body.String(),
		URL:         fmt.Sprintf("/%s/%d", kind.typ, i),
		Spheres:     []string{g.pick(spheres)},
		PublishedAt: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(g.r.IntN(11*365*24)) * time.Hour),
	}
}

// TestGeneratedCorpusIsSearchable checks the generator on a small corpus,
// so the benchmarks cannot silently measure an empty result.
func TestGeneratedCorpusIsSearchable(t *testing.T) {
	g := newGenerator(1)
	for i := range 50 {
		if err := g.doc(i).validateFor(1); err != nil {
			t.Fatal(err)
		}
	}
}

func (d Doc) validateFor(mun int64) error {
	d.MunicipalityID = mun
	return d.validate()
}
