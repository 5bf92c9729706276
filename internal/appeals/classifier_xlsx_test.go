package appeals

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/webtest"
)

// xlsxOf builds a one-sheet workbook from rows of text cells.
func xlsxOf(t testing.TB, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	for i, row := range rows {
		for j, v := range row {
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseClassifierXLSX(t *testing.T) {
	tests := []struct {
		name  string
		rows  [][]string
		codes []string
		error string
	}{
		{"publisher layout: title rows, numbered column, header", [][]string{
			{"Типовой общероссийский тематический классификатор обращений граждан"},
			{},
			{"№ п/п", "Код", "Наименование"},
			{"1", "0001.0000.0000.0000", "Государство, общество, политика"},
			{"2", "0001.0001.0000.0000", "Конституционный строй"},
			{"3", "0001.0001.0003.0000", "Общие положения"},
			{"4", "0001.0001.0003.0027", "Государственные  символы"},
			{"5", "0001.0001.0003.0027.0001", "Подвопрос"},
		}, []string{"0001", "0001.0001", "0001.0001.0003", "0001.0001.0003.0027", "0001.0001.0003.0027.0001"}, ""},
		{"no header: code and title in the first columns", [][]string{
			{"0005", "Жилищно-коммунальная сфера"},
			{"0005.0005", "Жилище"},
		}, []string{"0005", "0005.0005"}, ""},
		{"title column before code", [][]string{
			{"Наименование", "Код"},
			{"Жилищно-коммунальная сфера", "0005"},
		}, []string{"0005"}, ""},
		{"orphan names the sheet row", [][]string{
			{"Код", "Наименование"},
			{"0001", "А"},
			{"0001.0001.0001", "Б"},
		}, nil, "строка 3: для кода 0001.0001.0001 нет вышестоящей записи"},
		{"no title", [][]string{{"Код", "Наименование"}, {"0001", ""}}, nil, "строка 2: нет наименования"},
		{"section out of range", [][]string{{"0006", "Что-то"}}, nil, "от 0001 до 0005"},
		{"empty sheet", [][]string{{"Код", "Наименование"}}, nil, "нет ни одной записи"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseClassifier(bytes.NewReader(xlsxOf(t, tt.rows)))
			if tt.error != "" {
				if err == nil || !strings.Contains(err.Error(), tt.error) {
					t.Fatalf("error %v, want one containing %q", err, tt.error)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, tp := range got {
				codes = append(codes, tp.Code)
			}
			if strings.Join(codes, " ") != strings.Join(tt.codes, " ") {
				t.Fatalf("codes %v, want %v", codes, tt.codes)
			}
			if tt.name == "publisher layout: title rows, numbered column, header" && got[3].Title != "Государственные символы" {
				t.Errorf("title %q", got[3].Title)
			}
		})
	}
	// A ZIP that is not a workbook is refused in Russian.
	if _, err := ParseClassifier(strings.NewReader("PK\x03\x04 not a workbook")); err == nil || !strings.Contains(err.Error(), "XLSX") {
		t.Errorf("broken XLSX: %v", err)
	}
}

func TestClassifierImportXLSXPage(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server()
		head := env.Client("affairs", auth.Administrator)
		post := func(name string, data []byte) webtest.Response {
			body, ct := multipartBody(t, nil, "file", name, data)
			req, _ := http.NewRequest("POST", env.URL()+"/admin/appeals/classifier", body)
			req.Header.Set("Content-Type", ct)
			return head.Do(req)
		}
		good := xlsxOf(t, [][]string{
			{"Типовой общероссийский тематический классификатор обращений"},
			{"Код", "Наименование"},
			{"0002.0000.0000.0000", "Социальная сфера"},
			{"0002.0007.0000.0000", "Образование"},
		})
		if r := post("totko.xlsx", good); r.Status != 200 || !strings.Contains(r.Body, "Образование") {
			t.Fatalf("xlsx import: %d %s", r.Status, r.Body)
		}
		topics, err := a.store.Topics(context.Background(), env.Municipality.ID)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, tp := range topics {
			found = found || (tp.Code == "0002.0007" && tp.Title == "Образование")
		}
		if !found {
			t.Errorf("imported topics lack 0002.0007: %v", topics)
		}
		bad := xlsxOf(t, [][]string{{"Код", "Наименование"}, {"0009", "Нет такого раздела"}})
		if r := post("bad.xlsx", bad); r.Status != 422 || !strings.Contains(r.Body, "строка 2") {
			t.Errorf("bad xlsx: %d", r.Status)
		}
	})
}
