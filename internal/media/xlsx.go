package media

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/xlsxdoc"
)

// importHeader is the header row of the plan template, in column order.
var importHeader = []string{"Тема", "Канал", "Неделя (номер)", "Дата (ДД.ММ.ГГГГ)", "Ответственное подразделение", "Планируемый материал"}

// maxImportRows bounds an imported plan.
const maxImportRows = 2000

// WriteTemplate writes the XLSX template of a plan of year y: the header,
// two example rows and the lists of channels and departments.
func WriteTemplate(w io.Writer, y int, depts []tenant.Department) error {
	dept := ""
	if len(depts) > 0 {
		dept = depts[0].Name
	}
	ref := make([][]any, 0, len(Channels)+len(depts))
	for _, c := range Channels {
		ref = append(ref, []any{"Канал", c.Label})
	}
	for _, d := range depts {
		ref = append(ref, []any{"Подразделение", d.Name})
	}
	return xlsxdoc.Write(w, xlsxdoc.Meta{Title: fmt.Sprintf("Медиаплан на %d год", y)},
		xlsxdoc.Sheet{Name: "Медиаплан", Title: fmt.Sprintf("Медиаплан на %d год", y),
			Subtitle: "Заполните строки под заголовком. Укажите номер недели или дату. Канал и подразделение — из листа «Справочник».",
			Header:   importHeader,
			Rows: [][]any{
				{"Итоги работы администрации за год", "Пресс-конференция", "", fmt.Sprintf("25.01.%d", y), dept, "Пресс-релиз и фоторепортаж"},
				{"Приём документов в первые классы", "Официальный сайт", "13", "", dept, "Новость с памяткой для родителей"},
			}},
		xlsxdoc.Sheet{Name: "Справочник", Header: []string{"Список", "Значение"}, Rows: ref})
}

// ImportError is a problem of one row of an imported plan.
type ImportError struct {
	Row int
	Msg string
}

func (e ImportError) String() string {
	if e.Row == 0 {
		return e.Msg
	}
	return fmt.Sprintf("Строка %d: %s", e.Row, e.Msg)
}

// ParseImport reads the items of a plan of year y from an XLSX workbook
// made from the template. It returns every row's errors; the items are
// meant to be saved only when there are none.
func ParseImport(r io.Reader, y int, depts []tenant.Department) ([]Item, []ImportError) {
	f, err := excelize.OpenReader(io.LimitReader(r, 10<<20))
	if err != nil {
		return nil, []ImportError{{Msg: "Файл не читается как книга Excel (XLSX). Скачайте шаблон и заполните его."}}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, []ImportError{{Msg: "В книге нет листов."}}
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, []ImportError{{Msg: "Первый лист книги не читается."}}
	}
	head := importHeaderRow(rows)
	if head < 0 {
		return nil, []ImportError{{Msg: "На первом листе нет строки заголовка «Тема | Канал | …». Скачайте шаблон и заполните его."}}
	}
	byName := map[string]int64{}
	for _, d := range depts {
		byName[strings.ToLower(d.Name)] = d.ID
		byName[strings.ToLower(d.Slug)] = d.ID
	}
	var items []Item
	var errs []ImportError
	for i := head + 1; i < len(rows); i++ {
		cells, empty := importCells(rows[i])
		if empty {
			continue
		}
		if len(items) >= maxImportRows {
			errs = append(errs, ImportError{Row: i + 1, Msg: fmt.Sprintf("в медиаплане больше %d строк.", maxImportRows)})
			break
		}
		it, rowErrs := parseImportRow(i+1, cells, y, byName)
		errs = append(errs, rowErrs...)
		items = append(items, it)
	}
	if len(items) == 0 && len(errs) == 0 {
		errs = append(errs, ImportError{Msg: "В файле нет ни одной строки медиаплана под заголовком."})
	}
	return items, errs
}

// importHeaderRow is the index of the template's header row, -1 when there
// is none; rows above it (a title, a hint) are not part of the plan.
func importHeaderRow(rows [][]string) int {
	for i, row := range rows {
		if len(row) > 0 && strings.EqualFold(strings.TrimSpace(row[0]), importHeader[0]) {
			return i
		}
	}
	return -1
}

// importCells is a row trimmed and padded to the template's columns, and
// whether all of them are blank.
func importCells(row []string) (cells []string, empty bool) {
	cells = make([]string, len(importHeader))
	empty = true
	for c := range cells {
		if c < len(row) {
			cells[c] = strings.TrimSpace(row[c])
		}
		empty = empty && cells[c] == ""
	}
	return cells, empty
}

// parseImportRow reads the item of row n, with every problem of the row.
func parseImportRow(n int, cells []string, y int, deptByName map[string]int64) (Item, []ImportError) {
	var errs []ImportError
	it := Item{Topic: cells[0], Material: cells[5]}
	ch, ok := ParseChannel(cells[1])
	if ok {
		it.Channel = ch
	} else {
		it.Channel = cells[1]
	}
	for _, k := range []string{"topic", "channel", "material"} {
		if msg, bad := ValidateItem(it)[k]; bad {
			if k == "channel" && cells[1] != "" {
				msg = fmt.Sprintf("канал «%s» не из списка (см. лист «Справочник»).", cells[1])
			}
			errs = append(errs, ImportError{Row: n, Msg: lowerFirst(msg)})
		}
	}
	monday, day, _, msg := ResolveWhen(y, cells[2], importDateText(cells[3]))
	if msg != "" {
		errs = append(errs, ImportError{Row: n, Msg: lowerFirst(msg)})
	}
	it.WeekStart, it.PlannedDate = monday, day
	if cells[4] != "" {
		id, ok := deptByName[strings.ToLower(cells[4])]
		if !ok {
			errs = append(errs, ImportError{Row: n, Msg: fmt.Sprintf("подразделение «%s» не найдено (см. лист «Справочник»).", cells[4])})
		}
		it.DepartmentID = id
	}
	return it, errs
}

// importDateText is the date cell as text: a date that Excel stored as a
// serial number becomes «ГГГГ-ММ-ДД», anything else is left as typed.
func importDateText(cell string) string {
	if serial, err := strconv.ParseFloat(cell, 64); err == nil && serial > 1000 {
		if t, err := excelize.ExcelDateToTime(serial, false); err == nil {
			return t.Format(time.DateOnly)
		}
	}
	return cell
}

func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}
