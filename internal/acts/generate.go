package acts

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/progress"
	"github.com/glasnost/glasnost/internal/tenant"
)

// generateBatch is how many generated acts share a transaction: large
// enough that commits do not dominate, small enough that a reader is never
// kept waiting on a huge WAL.
const generateBatch = 1000

// generateSubjects are the subjects of generated resolutions; with the
// objects below they make titles that read like a real register and give
// search a realistic spread of words.
var generateSubjects = []struct{ title, dept, sphere string }{
	{"О внесении изменений в муниципальную программу «Развитие системы образования» в части %s", "education", "education"},
	{"Об утверждении порядка предоставления субсидий на %s", "economy", "economy"},
	{"Об установлении тарифов на услуги муниципального предприятия по %s", "housing", "housing"},
	{"Об организации работ по %s на территории городского округа Верхняя Пышма", "deputy-general", "urban"},
	{"Об утверждении административного регламента предоставления муниципальной услуги по %s", "legal", "social"},
	{"О проведении открытого конкурса на право %s", "economy", "transport"},
	{"О мерах по обеспечению %s в городском округе Верхняя Пышма", "deputy-general", "safety"},
	{"Об утверждении плана мероприятий по %s", "affairs", "culture"},
}

var generateObjects = []string{
	"благоустройству дворовых территорий", "содержанию автомобильных дорог местного значения", "организации регулярных перевозок пассажиров",
	"поддержке малого и среднего предпринимательства", "ремонту образовательных организаций", "вывозу твёрдых коммунальных отходов",
	"обеспечению пожарной безопасности", "развитию физической культуры и спорта", "озеленению улиц и скверов",
	"переселению граждан из аварийного жилищного фонда", "выдаче разрешений на строительство", "организации летнего отдыха детей",
	"капитальному ремонту общего имущества многоквартирных домов", "уличному освещению в посёлках", "профилактике терроризма и экстремизма",
}

// Generate adds n published acts of the municipality, dated over the
// years since 2018 and indexed for search, for `glasnost demo --scale`. It
// writes through SaveAct, as an editor would, so that search documents,
// events and the audit log are what real acts make, in transactions of a
// thousand acts. It is not idempotent: each run adds n more, numbered after
// the acts that exist.
func (a *Area) Generate(ctx context.Context, m tenant.Municipality, n int, seed uint64) error {
	ac := Actor{MunicipalityID: m.ID, Name: "сгенерированные данные"}
	depts, err := a.Tenants.Departments(ctx, m.ID)
	if err != nil {
		return err
	}
	deptID := map[string]int64{}
	for _, d := range depts {
		deptID[d.Slug] = d.ID
	}
	spheres, err := a.Store.SphereIDs(ctx, a.DB, m.ID)
	if err != nil {
		return err
	}
	// Numbers continue after the largest id, so that a second run does not
	// collide with the first.
	var start int64
	if err := a.DB.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM acts`).Scan(&start); err != nil {
		return fmt.Errorf("generated acts: last id: %w", err)
	}
	rng := rand.New(rand.NewPCG(seed, 3))
	first := time.Date(2018, time.January, 9, 0, 0, 0, 0, time.UTC)
	days := int(a.DB.Now().Sub(first).Hours()/24) - 3
	report := progress.From(ctx)
	report.Start("Правовые акты", n)
	defer report.Done()
	for done := 0; done < n; {
		k := min(generateBatch, n-done)
		err := a.DB.InTx(ctx, func(tx *db.Tx) error {
			for i := done; i < done+k; i++ {
				s := generateSubjects[rng.IntN(len(generateSubjects))]
				obj := generateObjects[rng.IntN(len(generateObjects))]
				date := first.AddDate(0, 0, rng.IntN(days))
				var sp []string
				if _, ok := spheres[s.sphere]; ok {
					sp = []string{s.sphere}
				}
				text := "В соответствии с Федеральным законом от 6 октября 2003 года № 131-ФЗ «Об общих принципах организации местного самоуправления в Российской Федерации», руководствуясь Уставом городского округа Верхняя Пышма,\n\n## ПОСТАНОВЛЯЕТ:\n\n" +
					fmt.Sprintf("1. Утвердить порядок работ по %s (прилагается).\n", obj) +
					"2. Руководителям структурных подразделений администрации обеспечить исполнение настоящего постановления в установленные сроки.\n" +
					"3. Опубликовать настоящее постановление на официальном интернет-портале правовой информации городского округа Верхняя Пышма.\n" +
					"4. Контроль за исполнением настоящего постановления возложить на заместителя главы администрации по общим вопросам."
				act := Act{Kind: "resolution", Number: fmt.Sprintf("%d-ПА", start+int64(i)+1), Date: date.Format(time.DateOnly),
					Title: fmt.Sprintf(s.title, obj), Status: StatusInForce, DepartmentID: deptID[s.dept], Text: text, Spheres: sp,
					Published: true, PublishedAt: date.Add(2*24*time.Hour + 9*time.Hour)}
				if err := a.SaveAct(ctx, tx, ac, nil, &act); err != nil {
					return fmt.Errorf("act %s: %w", act.Number, err)
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("generated acts: %w", err)
		}
		done += k
		report.Add(k)
	}
	return nil
}
