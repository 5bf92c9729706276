package roadmap

import (
	"bytes"
	"encoding/csv"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// The seed must import whole: 10 mechanisms, 33 measures, every schedule understood.
func TestParseTSVSeed(t *testing.T) {
	res := importSeed(t)
	r := res.Roadmap
	if len(res.Unparsed) != 0 || len(res.Warnings) != 0 {
		t.Errorf("unparsed %q, warnings %q", res.Unparsed, res.Warnings)
	}
	if want := "План мероприятий («дорожная карта») по реализации принципов и механизмов (инструментов) открытости деятельности администрации городского округа Верхняя Пышма"; r.Title != want {
		t.Errorf("Title = %q", r.Title)
	}
	if want := "распоряжением администрации городского округа Верхняя Пышма от 07.03.2018 № 118"; r.ApprovingAct != want {
		t.Errorf("ApprovingAct = %q", r.ApprovingAct)
	}
	if !r.PeriodFrom.Equal(Date(2018, 1, 1)) || !r.PeriodTo.Equal(Date(2019, 12, 31)) {
		t.Errorf("period %v – %v, want 2018-01-01 – 2019-12-31", r.PeriodFrom, r.PeriodTo)
	}
	wantCounts := []int{2, 2, 1, 4, 7, 3, 5, 3, 2, 4}
	if len(r.Mechanisms) != 10 || r.MeasureCount() != 33 {
		t.Fatalf("%d mechanisms, %d measures; want 10 and 33", len(r.Mechanisms), r.MeasureCount())
	}
	byNumber := map[string]Measure{}
	for i, m := range r.Mechanisms {
		if m.Number != i+1 || m.Title == "" || len(m.Measures) != wantCounts[i] {
			t.Errorf("mechanism %d: number %d, title %q, %d measures; want %d measures", i+1, m.Number, m.Title, len(m.Measures), wantCounts[i])
		}
		for j, ms := range m.Measures {
			if want := strconv.Itoa(i+1) + "." + strconv.Itoa(j+1); ms.Number != want {
				t.Errorf("measure %s numbered %q", want, ms.Number)
			}
			if ms.Schedule.Kind == ScheduleUnparsed {
				t.Errorf("measure %s: schedule %q not recognised", ms.Number, ms.Schedule.Text)
			}
			if ms.Text == "" || len(ms.Responsible) == 0 {
				t.Errorf("measure %s: text %q, responsible %q", ms.Number, ms.Text, ms.Responsible)
			}
			byNumber[ms.Number] = ms
		}
	}
	if got := r.Mechanisms[9].Title; got != "Организация работы со средствами массовой информации, социальными сетями и форумами в сети «Интернет»" {
		t.Errorf("mechanism 10 title %q", got)
	}

	m := byNumber["4.1"]
	if m.Text != "Разработка и принятие порядка проведения общественных обсуждений" ||
		m.ExpectedResult != "Количество правовых актов – 1 ед." ||
		!reflect.DeepEqual(m.Responsible, []string{"Юридический отдел"}) {
		t.Errorf("4.1 = %+v", m)
	}
	// The list inside 3.1 keeps its lines.
	if m := byNumber["3.1"]; !strings.Contains(m.Text, "интеллектуальных карт) в отношении социально-значимой информации, официальных документов:\n- муниципальных правовых актов;\n- стратегических документов;") {
		t.Errorf("3.1 text %q", m.Text)
	}
	// 1.2 has no expected result of its own.
	if m := byNumber["1.2"]; m.ExpectedResult != "" || m.Indicator != nil || m.Text != "Доработка официального сайта:\nвнесение изменений в структуру и состав информационного ресурса" {
		t.Errorf("1.2 = %+v", m)
	}
	// 10.3 has a blank line inside its row; its responsible unit is still its own.
	if m := byNumber["10.3"]; m.Schedule.Every != Weekly || !reflect.DeepEqual(m.Responsible, []string{"Пресс-секретарь"}) {
		t.Errorf("10.3 = %+v", m)
	}
	if m := byNumber["10.4"]; m.Schedule.Every != OnDemand || m.Indicator != nil {
		t.Errorf("10.4 = %+v", m)
	}
	// Two units on a line without a comma are two units.
	if got := byNumber["2.1"].Responsible; !reflect.DeepEqual(got, []string{"Пресс-секретарь", "Руководители структурных подразделений", "Управление делами"}) {
		t.Errorf("2.1 responsible %q", got)
	}
	if got := byNumber["5.7"].Responsible; !reflect.DeepEqual(got, []string{"Общественный совет", "Заместитель главы администрации по общим вопросам", "Пресс-секретарь"}) {
		t.Errorf("5.7 responsible %q", got)
	}
	if got := byNumber["6.1"].Indicator; got == nil || *got != (Indicator{Kind: IndicatorReferenceGroups, Target: 8, Limit: true}) {
		t.Errorf("6.1 indicator %+v", got)
	}
	// A recurring measure recurs within the plan's period.
	if s := byNumber["9.2"].Schedule; s.Every != Quarterly || !s.From.Equal(r.PeriodFrom) || !s.To.Equal(r.PeriodTo) || len(s.Periods(r.PeriodTo)) != 8 {
		t.Errorf("9.2 schedule %+v", s)
	}
}

// A spreadsheet export of the same plan — one row per line, columns in
// another order, mechanisms as heading rows, cells with line breaks quoted —
// imports to the same mechanisms and measures.
func TestParseTSVRowPerLine(t *testing.T) {
	sh := seedSheet(t)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = '\t'
	write := func(rec ...string) {
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	write("План мероприятий («дорожная карта»)")
	write("Срок", "Мероприятие", "Ответственный исполнитель", "Ожидаемый результат", "№")
	for _, g := range seedGroups(sh) {
		write(strings.TrimSpace(g[0][0].text)+" "+strings.TrimSpace(g[0][1].text), "", "", "", "")
		for _, r := range g {
			write(r[4].text, r[2].text, r[5].text, r[3].text, "")
		}
	}
	w.Flush()

	res, err := ParseTSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 0 || len(res.Unparsed) != 0 {
		t.Errorf("unparsed %q, warnings %q", res.Unparsed, res.Warnings)
	}
	if res.Roadmap.Title != "План мероприятий («дорожная карта»)" {
		t.Errorf("Title = %q", res.Roadmap.Title)
	}
	if want := importSeed(t).Roadmap.Mechanisms; !reflect.DeepEqual(res.Roadmap.Mechanisms, want) {
		t.Errorf("spreadsheet layout imports differently:\n got %+v\nwant %+v", res.Roadmap.Mechanisms, want)
	}
}

// Wording not understood, rows without a measure and clashing numbers are
// reported, and the rest of the plan still imports.
func TestParseTSVKeepsGoing(t *testing.T) {
	in := strings.Join([]string{
		"№\tМероприятие\tСрок\tОтветственный",
		"Механизм 1. Сайт",
		"1.1\tСоздать раздел\tПо согласованию\tОтдел А; Отдел Б",
		"1.2\tНаполнить раздел\t\tОтдел А",
		"\t\tДо 01.11.2018 года\tОтдел В",
		"1.1\tЕщё раз\tПо согласованию\tОтдел А, отдел а",
		"2.1\tОпубликовать отчёт\tЕжеквартально в 2019 году\tОтдел Г",
		"2.2\tПровести опрос\t1 квартал 2019 года\t",
	}, "\n")
	res, err := ParseTSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	r := res.Roadmap
	if len(r.Mechanisms) != 2 || r.MeasureCount() != 5 {
		t.Fatalf("%d mechanisms, %d measures: %+v", len(r.Mechanisms), r.MeasureCount(), r.Mechanisms)
	}
	if m := r.Mechanisms[0]; m.Number != 1 || m.Title != "Сайт" {
		t.Errorf("mechanism 1 = %d %q", m.Number, m.Title)
	}
	if m := r.Mechanisms[1]; m.Number != 2 || m.Title != "" {
		t.Errorf("mechanism 2 = %d %q", m.Number, m.Title)
	}
	if want := []string{"По согласованию"}; !reflect.DeepEqual(res.Unparsed, want) {
		t.Errorf("Unparsed = %q, want %q", res.Unparsed, want)
	}
	wantWarnings := []string{
		"строка 5 пропущена: нет текста мероприятия",
		"строка 6: номер мероприятия 1.1 встречается повторно",
		"строка 7: у механизма 2 нет названия",
		"мероприятие 1.2: срок не указан",
	}
	if !reflect.DeepEqual(res.Warnings, wantWarnings) {
		t.Errorf("Warnings =\n%q\nwant\n%q", res.Warnings, wantWarnings)
	}
	if got := r.Mechanisms[0].Measures[0].Responsible; !reflect.DeepEqual(got, []string{"Отдел А", "Отдел Б"}) {
		t.Errorf("responsible %q", got)
	}
	if s := r.Mechanisms[1].Measures[0].Schedule; s.Kind != ScheduleRecurring || !s.From.Equal(Date(2019, 1, 1)) {
		t.Errorf("a recurring schedule with its own year keeps it: %+v", s)
	}
}

func TestParseErrors(t *testing.T) {
	if _, err := ParseTSV(strings.NewReader("Просто текст\nбез таблицы\n")); !errors.Is(err, ErrNoTable) {
		t.Errorf("text without a table: err = %v, want ErrNoTable", err)
	}
	if _, err := ParseTSV(strings.NewReader("\tНомер\n\tСрок\n\n")); !errors.Is(err, ErrNoTable) {
		t.Errorf("table without a measure column: err = %v, want ErrNoTable", err)
	}
	if _, err := ParseTSV(bytes.NewReader([]byte{0xcf, 0xeb, 0xe0, 0xed})); err == nil { // «План» in Windows-1251
		t.Error("Windows-1251 text: no error")
	}
	notZip := []byte("not a zip")
	if _, err := ParseDOCX(bytes.NewReader(notZip), int64(len(notZip))); err == nil {
		t.Error("not a DOCX: no error")
	}
	d := &wdoc{}
	d.para("Документ без таблицы")
	data := d.bytes(t)
	if _, err := ParseDOCX(bytes.NewReader(data), int64(len(data))); !errors.Is(err, ErrNoTable) {
		t.Errorf("DOCX without a table: err = %v, want ErrNoTable", err)
	}
}

// A cell merged down across rows belongs to each of them: here one
// responsible unit is written once for two measures.
func TestParseDOCXMergedCells(t *testing.T) {
	d := &wdoc{}
	d.table([][]wcell{
		{{paras: []string{"№"}}, {paras: []string{"Мероприятие"}}, {paras: []string{"Срок"}}, {paras: []string{"Ответственный"}}},
		{{paras: []string{"1.1"}}, {paras: []string{"Первое"}}, {paras: []string{"2019 год"}}, {paras: []string{"Отдел А,", "Отдел Б"}, merge: "restart"}},
		{{paras: []string{"1.2"}}, {paras: []string{"Второе"}}, {paras: []string{"Постоянно"}}, {merge: "continue"}},
		{{paras: []string{"2.1"}}, {paras: []string{"Третье"}}, {paras: []string{"Ежегодно"}}, {paras: []string{"Отдел В"}}},
	})
	res := importDOCX(t, d.bytes(t))
	r := res.Roadmap
	if len(r.Mechanisms) != 2 || r.MeasureCount() != 3 {
		t.Fatalf("%+v", r.Mechanisms)
	}
	for _, ms := range r.Mechanisms[0].Measures {
		if !reflect.DeepEqual(ms.Responsible, []string{"Отдел А", "Отдел Б"}) {
			t.Errorf("%s responsible %q", ms.Number, ms.Responsible)
		}
	}
	if got := r.Mechanisms[1].Measures[0].Responsible; !reflect.DeepEqual(got, []string{"Отдел В"}) {
		t.Errorf("2.1 responsible %q", got)
	}
}

func TestFieldOf(t *testing.T) {
	for header, want := range map[string]field{
		"№":     fieldNumber,
		"№ п/п": fieldNumber,
		"Номер": fieldNumber,
		"Механизмы (инструменты) открытости деятельности органа местного самоуправления": fieldMechanism,
		"Мероприятие ":              fieldMeasure,
		"Наименование мероприятия":  fieldMeasure,
		"Ожидаемый результат":       fieldResult,
		"Результат":                 fieldResult,
		"Показатель (индикатор)":    fieldResult,
		"Сроки исполнения":          fieldSchedule,
		"Срок":                      fieldSchedule,
		"Ответственный ":            fieldResponsible,
		"Ответственные исполнители": fieldResponsible,
		"Исполнитель":               fieldResponsible,
		"Отметка об исполнении":     fieldNone,
		"": fieldNone,
	} {
		if got := fieldOf(header); got != want {
			t.Errorf("fieldOf(%q) = %v, want %v", header, got, want)
		}
	}
}

func TestSplitResponsible(t *testing.T) {
	tests := []struct {
		cell string
		want []string
	}{
		{"Управление делами", []string{"Управление делами"}},
		{"Пресс-секретарь,\nУправление делами", []string{"Пресс-секретарь", "Управление делами"}},
		{"Пресс-секретарь,\nруководители структурных подразделений Управление делами",
			[]string{"Пресс-секретарь", "Руководители структурных подразделений", "Управление делами"}},
		{"Общественный совет\nЗаместитель главы администрации по общим вопросам Пресс-секретарь",
			[]string{"Общественный совет", "Заместитель главы администрации по общим вопросам", "Пресс-секретарь"}},
		{"Комитет экономики и муниципального заказа", []string{"Комитет экономики и муниципального заказа"}},
		// Proper names inside a unit's name are not new units.
		{"Управление образования городского округа Верхняя Пышма", []string{"Управление образования городского округа Верхняя Пышма"}},
		{" Отдел А ;  Отдел Б ; Отдел А ", []string{"Отдел А", "Отдел Б"}},
		{"", nil},
		{" , ;\n", nil},
	}
	for _, tt := range tests {
		if got := SplitResponsible(tt.cell); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitResponsible(%q) = %q, want %q", tt.cell, got, tt.want)
		}
	}
}
