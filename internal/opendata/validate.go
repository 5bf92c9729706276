package opendata

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/web"
	"github.com/xuri/excelize/v2"
)

// RowError is one problem of an uploaded file: its line (1 is the header)
// and column (1-based; 0 when the whole row is wrong), in Russian.
type RowError struct {
	Row, Column int
	Field       string
	Message     string
}

func (e RowError) String() string {
	if e.Column == 0 {
		return fmt.Sprintf("Строка %d: %s", e.Row, e.Message)
	}
	return fmt.Sprintf("Строка %d, столбец %d («%s»): %s", e.Row, e.Column, e.Field, e.Message)
}

// maxErrors caps the errors reported for one file.
const maxErrors = 200

var (
	reInteger = regexp.MustCompile(`^[+-]?\d+$`)
	reDecimal = regexp.MustCompile(`^[+-]?\d+([.,]\d+)?$`)
)

// booleans are the accepted spellings of a boolean value.
var booleans = map[string]bool{"true": true, "false": true, "1": true, "0": true, "да": true, "нет": true}

// CheckValue checks one value against a field and returns the problem in
// Russian, or "". Empty values are allowed (the data may lack them).
// Decimals take a comma or a point; dates are YYYY-MM-DD or DD.MM.YYYY.
func CheckValue(f Field, v string) string {
	if !utf8.ValidString(v) {
		return "значение не в кодировке UTF-8."
	}
	if strings.TrimSpace(v) == "" {
		return ""
	}
	v = strings.TrimSpace(v)
	switch f.Format {
	case FormatInteger:
		if !reInteger.MatchString(v) {
			return fmt.Sprintf("«%s» — не целое число.", short(v))
		}
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return fmt.Sprintf("число «%s» слишком велико.", short(v))
		}
	case FormatDecimal:
		if !reDecimal.MatchString(v) {
			return fmt.Sprintf("«%s» — не десятичное число (дробная часть отделяется запятой или точкой, без пробелов).", short(v))
		}
	case FormatDate:
		if _, err := time.Parse("2006-01-02", v); err != nil {
			if _, err := time.Parse("02.01.2006", v); err != nil {
				return fmt.Sprintf("«%s» — не дата; нужна дата вида 2026-12-31 или 31.12.2026.", short(v))
			}
		}
	case FormatBoolean:
		if !booleans[strings.ToLower(v)] {
			return fmt.Sprintf("«%s» — не логическое значение; допустимы true/false, 1/0, да/нет.", short(v))
		}
	default:
		limit := f.MaxLen
		if limit <= 0 {
			limit = DefaultMaxLen
		}
		if n := utf8.RuneCountInString(v); n > limit {
			return fmt.Sprintf("текст длиннее %d знаков (%d).", limit, n)
		}
	}
	return ""
}

func short(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		return string([]rune(s)[:40]) + "…"
	}
	return s
}

// ErrNoRows means a file has a header but no data.
var ErrNoRows = web.Invalid("В файле нет строк с данными.")

// ReadTable reads an uploaded CSV (UTF-8, comma or semicolon) or XLSX file
// into a header and rows.
func ReadTable(name string, b []byte) ([][]string, []RowError) {
	if strings.HasSuffix(strings.ToLower(name), ".xlsx") || bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		return readXLSX(b)
	}
	return readCSV(b)
}

func readCSV(b []byte) ([][]string, []RowError) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(b) {
		// Find the first bad line for the message.
		line := 1 + bytes.Count(b[:firstInvalid(b)], []byte("\n"))
		return nil, []RowError{{Row: line, Message: "файл не в кодировке UTF-8 (сохраните его как «CSV UTF-8»)."}}
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	first, _, _ := bytes.Cut(b, []byte("\n"))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	var out [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := len(out) + 1
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, []RowError{{Row: line, Message: "файл не читается как CSV: проверьте кавычки."}}
		}
		out = append(out, rec)
	}
	return out, nil
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func readXLSX(b []byte) ([][]string, []RowError) {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		return nil, []RowError{{Row: 1, Message: "файл не читается как таблица XLSX."}}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, []RowError{{Row: 1, Message: "в книге нет листов."}}
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, []RowError{{Row: 1, Message: "первый лист книги не читается."}}
	}
	// A spreadsheet drops a row's trailing empty cells: pad the rows to the
	// header's width, so that an empty last value is not a missing column.
	if len(rows) > 0 {
		w := len(rows[0])
		for i := 1; i < len(rows); i++ {
			for len(rows[i]) < w && !isBlank(rows[i]) {
				rows[i] = append(rows[i], "")
			}
		}
	}
	return rows, nil
}

// Validate checks a table (header first) against a structure: the header
// names the fields in order, every row has as many values, every value
// fits its field's format. It returns the data rows, or every problem.
func Validate(fields []Field, table [][]string) ([][]string, []RowError) {
	var errs []RowError
	add := func(e RowError) bool {
		errs = append(errs, e)
		return len(errs) < maxErrors
	}
	if len(table) == 0 {
		return nil, []RowError{{Row: 1, Message: "файл пуст: нужна строка заголовков с именами полей."}}
	}
	header := table[0]
	if len(header) != len(fields) {
		add(RowError{Row: 1, Message: fmt.Sprintf("в заголовке %d столбцов, а в структуре набора %d полей (%s).", len(header), len(fields), fieldNames(fields))})
	} else {
		for i, f := range fields {
			if h := strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff")); !strings.EqualFold(h, f.Name) {
				add(RowError{Row: 1, Column: i + 1, Field: f.Name, Message: fmt.Sprintf("в заголовке «%s», а по структуре должно быть «%s».", short(h), f.Name)})
			}
		}
	}
	var rows [][]string
	for i, rec := range table[1:] {
		line := i + 2
		if isBlank(rec) {
			continue
		}
		if len(rec) != len(fields) {
			if !add(RowError{Row: line, Message: fmt.Sprintf("%d значений, а полей в структуре %d.", len(rec), len(fields))}) {
				return nil, errs
			}
			continue
		}
		for j, f := range fields {
			if msg := CheckValue(f, rec[j]); msg != "" {
				if !add(RowError{Row: line, Column: j + 1, Field: f.Name, Message: msg}) {
					return nil, errs
				}
			}
		}
		row := make([]string, len(rec))
		for j := range rec {
			row[j] = strings.TrimSpace(rec[j])
		}
		rows = append(rows, row)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(rows) == 0 {
		return nil, []RowError{{Row: 2, Message: ErrNoRows.Error()}}
	}
	return rows, nil
}

func isBlank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func fieldNames(fs []Field) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}
