package xlsxdoc

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestWriteReadsBackAsTyped(t *testing.T) {
	var buf bytes.Buffer
	err := Write(&buf, Meta{Title: "Отчёт", Author: "Округ"},
		Sheet{Name: "Итоги", Title: "Отчёт за I квартал 2026 года", Header: []string{"Показатель", "Значение"}, Rows: [][]any{{"Поступило", 12}, {"Дан ответ", 10}}},
		Sheet{Name: "Темы", Header: []string{"Тема"}, Each: func(emit func([]any) error) error {
			for _, t := range []string{"ЖКХ", "Дороги"} {
				if err := emit([]any{t}); err != nil {
					return err
				}
			}
			return nil
		}},
	)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Итоги" || got[1] != "Темы" {
		t.Fatalf("sheets %q", got)
	}
	rows, err := f.GetRows("Итоги")
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "Отчёт за I квартал 2026 года" || rows[2][0] != "Показатель" || rows[3][1] != "12" || rows[4][0] != "Дан ответ" {
		t.Errorf("rows %q", rows)
	}
	if typ, _ := f.GetCellType("Итоги", "B4"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("number stored as %v", typ)
	}
	if streamed, _ := f.GetRows("Темы"); len(streamed) != 3 || streamed[2][0] != "Дороги" {
		t.Errorf("streamed rows %q", streamed)
	}
	if p, _ := f.GetDocProps(); p.Title != "Отчёт" || p.Language != "ru-RU" {
		t.Errorf("properties %+v", p)
	}
}

func TestWriteRefusesNoSheets(t *testing.T) {
	if err := Write(&bytes.Buffer{}, Meta{}); err == nil {
		t.Error("an empty workbook was written")
	}
}
