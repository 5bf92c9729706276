package appeals

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/fuzzcheck"
)

// Whatever file is uploaded as the ТОТКО, it is refused with Russian
// messages that pass no library's error on, or it gives a whole edition:
// valid codes, each once, each under a parent met before it, each with a
// title of at most 500 characters.
func FuzzParseClassifier(f *testing.F) {
	f.Add(demoClassifier)
	f.Add([]byte("\xef\xbb\xbfКод,Наименование\n0001,Раздел\n0001.0001,Тематика\n"))
	f.Add([]byte("0001;Раздел\n0001.0001.0001;Без родителя\n0001;Повтор\n0006;Не тот раздел\n1.2;Коротко\n0001.0001.0001.0001.0001.0001;Длинно\n"))
	f.Add([]byte("Код;Наименование\n0001;\"незакрытая кавычка\n"))
	f.Add([]byte("0001;a\"b\n"))
	f.Add([]byte("\xcf\xeb\xe0\xed;\xcf\n"))
	f.Add([]byte("PK\x03\x04 not a workbook"))
	f.Add(xlsxOf(f, [][]string{{"Типовой общероссийский тематический классификатор"}, {}, {"№", "Код", "Наименование"},
		{"1", "0001.0000.0000.0000", "Государство, общество, политика"}, {"2", "0001.0001.0000.0000", "Конституционный строй"}}))
	f.Add(xlsxOf(f, [][]string{{"0002", "Социальная сфера"}, {"0002.0007", ""}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		topics, err := ParseClassifier(bytes.NewReader(data))
		if err != nil {
			if bad := fuzzcheck.Russian(err.Error(), string(data)); bad != nil {
				t.Fatal(bad)
			}
			return
		}
		seen := map[string]bool{}
		for _, tp := range topics {
			level, err := CheckCode(tp.Code)
			if err != nil || level != tp.Level {
				t.Fatalf("topic %+v: level %d, %v", tp, level, err)
			}
			if seen[tp.Code] {
				t.Fatalf("code %s twice", tp.Code)
			}
			if tp.Level > 1 && !seen[tp.Code[:strings.LastIndexByte(tp.Code, '.')]] {
				t.Fatalf("code %s before its parent", tp.Code)
			}
			seen[tp.Code] = true
			if strings.TrimSpace(tp.Title) == "" || utf8.RuneCountInString(tp.Title) > 500 || !utf8.ValidString(tp.Title) {
				t.Fatalf("topic %s title %q", tp.Code, tp.Title)
			}
		}
	})
}

// Whatever the operator types into the console's one box, it is read as one
// kind of lookup, and a phone is kept as its last five to ten digits.
func FuzzLookupKind(f *testing.F) {
	for _, s := range []string{"ВП-2026-000123", "+7 (343) 555-01-02", "8 343 5550102", "ivanov@mail.ru", "Иванов", "123", "ВП-", "-1", "", "  ", "٣٤٣٥٥٥٠١٠٢"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		switch k := LookupKind(q); k {
		case "", "email", "number", "phone", "name":
		default:
			t.Fatalf("LookupKind(%q) = %q", q, k)
		}
		p := NormalizePhone(q)
		if p != "" && (len(p) < 5 || len(p) > 10 || strings.Trim(p, "0123456789") != "") {
			t.Fatalf("NormalizePhone(%q) = %q", q, p)
		}
	})
}

// A number format that the settings accept makes, for any year and
// sequence, a number that can stand in a URL path and a query as it is.
func FuzzNumberFormat(f *testing.F) {
	f.Add(string(DefaultNumberFormat), 2026, 123)
	f.Add("{seq}", 1, 0)
	f.Add("ВП/{year}-{seq:06}", 2026, 1)
	f.Add("{seq:13}", 2026, 1)
	f.Add("{seq:-1}{seq:", 2026, 1)
	f.Add("{year}{seq:3}", -5, -7)
	f.Fuzz(func(t *testing.T, pattern string, year, seq int) {
		nf := NumberFormat(pattern)
		if nf.Validate() != nil {
			return
		}
		n, err := nf.Format(year, seq)
		if err != nil {
			t.Fatalf("%q accepted, but Format(%d, %d): %v", pattern, year, seq, err)
		}
		if strings.ContainsAny(n, "/?#% \t") {
			t.Fatalf("%q makes %q", pattern, n)
		}
	})
}
