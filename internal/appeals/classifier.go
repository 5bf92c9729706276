package appeals

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Topic is an entry of the standard thematic classifier of appeals (ТОТКО):
// a section (SSSS, 0001–0005), a subject (SSSS.TTTT), a topic
// (SSSS.TTTT.TTTT), a question (SSSS.TTTT.TTTT.QQQQ) or, in the current
// editions, a subquestion (SSSS.TTTT.TTTT.QQQQ.PPPP).
type Topic struct {
	Code  string
	Level int
	Title string
}

// Section returns the section part of a code ("0003").
func Section(code string) string {
	if len(code) < 4 {
		return ""
	}
	return code[:4]
}

// TopicOf returns the topic part of a question's code (SSSS.TTTT.TTTT),
// which the report groups by.
func TopicOf(code string) string {
	if len(code) < 14 {
		return ""
	}
	return code[:14]
}

// CanonicalCode drops the zero-padded lower levels with which the
// published classifier writes a higher-level entry: "0005.0005.0056.0000"
// is the topic 0005.0005.0056, "0005.0000.0000.0000" the section 0005.
func CanonicalCode(code string) string {
	code = strings.TrimSpace(code)
	for strings.HasSuffix(code, ".0000") {
		code = strings.TrimSuffix(code, ".0000")
	}
	return code
}

// CheckCode validates a classifier code (canonical, see CanonicalCode) and
// returns its level (1–5).
func CheckCode(code string) (int, error) {
	parts := strings.Split(code, ".")
	if len(parts) > 5 {
		return 0, fmt.Errorf("код %q: больше пяти частей", code)
	}
	for _, p := range parts {
		if len(p) != 4 || strings.Trim(p, "0123456789") != "" {
			return 0, fmt.Errorf("код %q: каждая часть — четыре цифры (SSSS.TTTT.TTTT.QQQQ[.PPPP])", code)
		}
	}
	if s := parts[0]; s < "0001" || s > "0005" {
		return 0, fmt.Errorf("код %q: раздел должен быть от 0001 до 0005", code)
	}
	return len(parts), nil
}

// ParseClassifier reads the classifier from CSV or XLSX. CSV: a code and a
// title per row, separated by a semicolon (as spreadsheets in Russian
// locales save CSV) or a comma; an optional header row; UTF-8 with or
// without a BOM. XLSX (recognised by its ZIP signature): the first sheet, as
// the federal publisher distributes it — title rows above the table are
// skipped, and the columns are found by the header ("Код", "Наименование");
// without a header, the first column holds the code and the second the
// title. Both go through the same validation: every entry's parent must be
// in the file, so that a re-import is a whole edition. Errors name the line
// (the sheet's row for XLSX).
func ParseClassifier(r io.Reader) ([]Topic, error) {
	data, err := io.ReadAll(io.LimitReader(r, 8<<20))
	if err != nil {
		return nil, fmt.Errorf("read classifier: %w", err)
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		rows, err := xlsxClassifierRows(data)
		if err != nil {
			return nil, err
		}
		return classifierRows(rows)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, errors.New("файл классификатора должен быть в кодировке UTF-8")
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = ','
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var rows []classifierRow
	line := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line++
		if err != nil {
			// encoding/csv says what is wrong in English; the person needs
			// the line and what to do.
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, fmt.Errorf("строка %d: кавычка не на месте — значение с кавычками заключите в кавычки целиком, а кавычки внутри него удвойте", line)
		}
		if len(rec) == 0 || (len(rec) == 1 && strings.TrimSpace(rec[0]) == "") {
			continue
		}
		code := CanonicalCode(rec[0])
		if line == 1 && !strings.ContainsAny(code, "0123456789") {
			continue // header
		}
		row := classifierRow{line: line, code: code}
		if len(rec) >= 2 {
			row.title = rec[1]
		}
		rows = append(rows, row)
	}
	return classifierRows(rows)
}

// classifierRow is one entry as read from a file, before validation.
type classifierRow struct {
	line        int
	code, title string
}

// xlsxClassifierRows reads the first sheet of an XLSX classifier.
func xlsxClassifierRows(data []byte) ([]classifierRow, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, errors.New("файл XLSX не читается: сохраните классификатор заново в формате XLSX или CSV")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("в файле XLSX нет листов")
	}
	recs, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, errors.New("первый лист файла XLSX не читается: сохраните классификатор заново в формате XLSX или CSV")
	}
	codeCol, titleCol := 0, 1
	started := false
	var rows []classifierRow
	for i, rec := range recs {
		cell := func(c int) string {
			if c < len(rec) {
				return strings.TrimSpace(rec[c])
			}
			return ""
		}
		if !started {
			// A header row names the columns; title rows above it and
			// the header itself are skipped.
			hc, ht := -1, -1
			for c := range rec {
				h := strings.ToLower(cell(c))
				switch {
				case hc < 0 && strings.HasPrefix(h, "код"):
					hc = c
				case ht < 0 && (strings.HasPrefix(h, "наименование") || strings.HasPrefix(h, "название") || strings.HasPrefix(h, "тематика")):
					ht = c
				}
			}
			if hc >= 0 && ht >= 0 {
				codeCol, titleCol, started = hc, ht, true
				continue
			}
			if !strings.ContainsAny(cell(codeCol), "0123456789") {
				continue
			}
			started = true
		}
		code := CanonicalCode(cell(codeCol))
		if code == "" && cell(titleCol) == "" {
			continue
		}
		rows = append(rows, classifierRow{line: i + 1, code: code, title: cell(titleCol)})
	}
	return rows, nil
}

// classifierRows validates the entries read from a file.
func classifierRows(rows []classifierRow) ([]Topic, error) {
	var out []Topic
	seen := map[string]bool{}
	var errs []error
	for _, row := range rows {
		line, code := row.line, row.code
		if strings.TrimSpace(row.title) == "" {
			errs = append(errs, fmt.Errorf("строка %d: нет наименования", line))
			continue
		}
		level, err := CheckCode(code)
		if err != nil {
			errs = append(errs, fmt.Errorf("строка %d: %w", line, err))
			continue
		}
		if seen[code] {
			errs = append(errs, fmt.Errorf("строка %d: код %s повторяется", line, code))
			continue
		}
		if level > 1 {
			parent := code[:strings.LastIndexByte(code, '.')]
			if !seen[parent] {
				errs = append(errs, fmt.Errorf("строка %d: для кода %s нет вышестоящей записи %s выше в файле", line, code, parent))
				continue
			}
		}
		seen[code] = true
		title := strings.Join(strings.Fields(row.title), " ")
		if utf8.RuneCountInString(title) > 500 {
			errs = append(errs, fmt.Errorf("строка %d: наименование длиннее 500 символов", line))
			continue
		}
		out = append(out, Topic{Code: code, Level: level, Title: title})
	}
	if len(errs) > 0 {
		if len(errs) > 20 {
			errs = append(errs[:20], fmt.Errorf("и ещё ошибок: %d", len(errs)-20))
		}
		return nil, errors.Join(errs...)
	}
	if len(out) == 0 {
		return nil, errors.New("в файле нет ни одной записи классификатора")
	}
	return out, nil
}
