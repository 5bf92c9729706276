package roadmap

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/fuzzcheck"
)

// Whatever file a person uploads as a plan, the import does not fail
// unexpectedly: it reads a plan whose measures all have text and distinct
// numbers, with warnings and a summary in Russian, or it refuses the file
// with a Russian message that passes no library's error on.
func FuzzImport(f *testing.F) {
	for _, p := range []string{seedPath, mergedFixture, headingsFixture} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"№\tМероприятие\tСрок\tОтветственный\n1\tОткрытость\n1.1\tПервое\t2019 год\tОтдел А, Отдел Б\n",
		"№\tМероприятие\tСрок\tОтветственный\n1.1\t\"незакрытая кавычка\t2019 год\tОтдел\n",
		"\tНомер\n\tСрок\n\n",
		"Просто текст\nбез таблицы\n",
		"\ufeff№\tМероприятие\tСрок\tОтветственный\r\n1.1\tПервое\tежеквартально\tОтдел\r\n1.1\tПовтор\tдо 01.13.2019\tОтдел\r\n",
		"№\tМероприятие\tСрок\tОтветственный\tОжидаемый результат\n9999999999999999999.1\tОгромный номер\t31.02.2019\t\tКоличество – -5 %\n",
		"\xcf\xeb\xe0\xed",
		"PK\x03\x04not a zip at all",
		"PK\x03\x04\x14\x00\x00\x00\x08\x00",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			t.Skip()
		}
		res, err := ParseFile(data)
		if err != nil {
			if bad := fuzzcheck.Russian(importError(err, 10<<20), string(data)); bad != nil {
				t.Fatalf("error %v: %v", err, bad)
			}
			return
		}
		// A plan is saved only when Duplicate finds no number twice: the
		// numbers are unique keys in the database.
		dup := res.Roadmap.Duplicate()
		mechs, measures := map[int]bool{}, map[string]bool{}
		unique := true
		for _, m := range res.Roadmap.Mechanisms {
			unique = unique && !mechs[m.Number]
			mechs[m.Number] = true
			for _, ms := range m.Measures {
				if ms.Text == "" {
					t.Fatalf("measure %q without text", ms.Number)
				}
				unique = unique && !measures[ms.Number]
				measures[ms.Number] = true
			}
		}
		if unique != (dup == "") {
			t.Fatalf("numbers unique %v, but Duplicate() = %q", unique, dup)
		}
		if dup != "" && len(res.Warnings) == 0 {
			t.Fatalf("%s twice without a warning in the preview", dup)
		}
		for _, w := range res.Warnings {
			if err := fuzzcheck.Russian(w, string(data)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := Summary(res); err != nil {
			t.Fatalf("Summary: %v", err)
		}
	})
}

// Whatever a plan writes in its deadline column, reading it gives a
// schedule whose window, when it has one, does not end before it starts.
func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{
		"2018 год", "2018-2019 годы", "Постоянно", "Ежегодно", "ежеквартально", "Еженедельно", "По мере необходимости",
		"до 01.06.2018", "до 31.02.2019", "I квартал 2019 года", "IV квартал 2018 г.", "в течение 2018 – 2019 гг.",
		"01.13.2019", "99.99.9999", "до 0.0.0", "2019-2018", "ежемесячно, до 5 числа", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s := ParseSchedule(text)
		if !s.From.IsZero() && !s.To.IsZero() && s.To.Before(s.From) {
			t.Fatalf("ParseSchedule(%q) = %+v: ends before it starts", text, s)
		}
		_ = ParseIndicator(text)
	})
}

// Found by FuzzImport: a plan that numbers a measure twice was shown with a
// warning and then failed to save with a 500 (the numbers are unique keys).
// Saving it now says what to fix in the file.
func TestImportRepeatedNumberRefusedOnSave(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, _ := newArea(t, d)
		admin := env.Client("affairs", auth.Administrator)
		tsv := "№\tМероприятие\tСроки исполнения\tОтветственный\n" +
			"1. Развитие сайта\n" +
			"1.1\tДоработка сайта\tВ течение 2026 года\tУправление делами\n" +
			"1.1\tОпрос жителей\tВ течение 2026 года\tПресс-секретарь\n"
		r := upload(t, admin, env, "plan.tsv", []byte(tsv))
		if r.Status != 200 || !strings.Contains(r.Body, "номер мероприятия 1.1 встречается повторно") {
			t.Fatalf("preview: %d\n%s", r.Status, r.Body)
		}
		form := previewForm(t, r.Body)
		form.Set("title", "План")
		s := admin.PostForm("/admin/roadmaps/import/save", form)
		if s.Status != http.StatusUnprocessableEntity || !strings.Contains(s.Body, "В плане дважды встречается мероприятие 1.1") {
			t.Fatalf("save: %d\n%s", s.Status, s.Body)
		}
	})
}
