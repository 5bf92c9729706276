package roadmap

import (
	"bytes"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"
)

// Run `go test ./internal/roadmap/ -run TestDOCXFixtures -update` to rewrite
// the DOCX fixtures and the summary golden file from the seed.
var update = flag.Bool("update", false, "rewrite testdata fixtures from the seed")

const (
	seedPath        = "testdata/roadmap-verkhnyaya-pyshma-2018.txt"
	mergedFixture   = "testdata/roadmap-2018.docx"
	headingsFixture = "testdata/roadmap-2018-headings.docx"
)

// seedSheet is the seed's table as cells, before it is understood: the
// fixtures are built from what the plan says, not from what the parser made of it.
func seedSheet(t *testing.T) sheet {
	t.Helper()
	data, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	sh := readCellLines(strings.Split(string(data), "\n"))
	if len(sh.rows) != 34 {
		t.Fatalf("seed has %d rows, want a header and 33 measures", len(sh.rows))
	}
	return sh
}

// seedGroups splits the seed's measure rows by mechanism: a row that names a
// mechanism starts a group.
func seedGroups(sh sheet) [][]row {
	var groups [][]row
	for _, r := range sh.rows[1:] {
		if strings.TrimSpace(r[1].text) != "" {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], r)
	}
	return groups
}

func addPreamble(d *wdoc, lines []string) {
	for _, l := range lines {
		d.para(strings.TrimSpace(reBookmark.ReplaceAllString(l, "")))
	}
}

// lines is a cell's text as paragraphs, one per line as Word keeps them.
func lines(text string) []string { return strings.Split(cleanCell(text), "\n") }

// buildMerged lays the seed out as it was distributed: the columns of the
// seed, and each mechanism's number and title in cells merged down across its
// measures (w:vMerge).
func buildMerged(sh sheet) *wdoc {
	d := &wdoc{}
	addPreamble(d, sh.preamble)
	var rows [][]wcell
	var head []wcell
	for _, c := range sh.rows[0] {
		head = append(head, wcell{paras: lines(c.text)})
	}
	rows = append(rows, head)
	for _, g := range seedGroups(sh) {
		for k, r := range g {
			var cells []wcell
			for j, c := range r {
				switch {
				case j < 2 && k == 0:
					wc := wcell{paras: lines(c.text)}
					if len(g) > 1 {
						wc.merge = "restart"
					}
					cells = append(cells, wc)
				case j < 2:
					cells = append(cells, wcell{merge: "continue"})
				default:
					cells = append(cells, wcell{paras: lines(c.text)})
				}
			}
			rows = append(rows, cells)
		}
	}
	d.table(rows)
	return d
}

// buildHeadings lays the seed out the other way plans are written: columns in
// another order and worded differently, a row numbering the columns, each
// mechanism as a heading row across the table (w:gridSpan), measures numbered
// «1.1» in their own column, and line breaks inside one paragraph (w:br).
func buildHeadings(sh sheet) *wdoc {
	d := &wdoc{}
	d.para("УТВЕРЖДЕН распоряжением администрации городского округа Верхняя Пышма от 07.03.2018 № 118")
	addPreamble(d, sh.preamble[len(sh.preamble)-3:]) // the title, no blank line before it
	// source column of the seed for each column of this table
	order := []int{5, 0, 2, 4, 3}
	headers := []string{"Ответственные исполнители", "№ п/п", "Наименование мероприятия", "Срок исполнения", "Ожидаемый результат (показатель)"}
	one := func(text string) wcell { return wcell{paras: []string{cleanCell(text)}} }
	var rows [][]wcell
	var head, numbers []wcell
	for j, h := range headers {
		head = append(head, one(h))
		numbers = append(numbers, one(string(rune('1'+j))))
	}
	rows = append(rows, head, numbers)
	for _, g := range seedGroups(sh) {
		mech := strings.TrimSuffix(strings.TrimSpace(g[0][0].text), ".")
		rows = append(rows, []wcell{{paras: []string{mech + ". " + cleanCell(g[0][1].text)}, span: len(headers)}})
		for _, r := range g {
			measure := cleanCell(r[2].text)
			m := reNumbered.FindStringSubmatch(measure)
			var cells []wcell
			for _, src := range order {
				switch src {
				case 0:
					cells = append(cells, one(mech+"."+m[1]))
				case 2:
					cells = append(cells, one(measure[len(m[0]):]))
				default:
					cells = append(cells, one(r[src].text))
				}
			}
			rows = append(rows, cells)
		}
	}
	d.table(rows)
	return d
}

func importDOCX(t *testing.T, data []byte) ImportResult {
	t.Helper()
	res, err := ParseDOCX(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func importSeed(t *testing.T) ImportResult {
	t.Helper()
	f, err := os.Open(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := ParseTSV(f)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestDOCXFixtures checks that both Word versions of the seed import to
// exactly the plan the seed's text imports to. The checked-in files are
// compared by what they import to, not byte for byte, so that a change of
// the writer that keeps the content does not make them stale.
func TestDOCXFixtures(t *testing.T) {
	sh := seedSheet(t)
	want := importSeed(t)
	for _, fx := range []struct {
		path  string
		build func(sheet) *wdoc
	}{
		{mergedFixture, buildMerged},
		{headingsFixture, buildHeadings},
	} {
		t.Run(fx.path, func(t *testing.T) {
			fresh := fx.build(sh).bytes(t)
			if *update {
				if err := os.WriteFile(fx.path, fresh, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			stored, err := os.ReadFile(fx.path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			got := importDOCX(t, stored)
			if !reflect.DeepEqual(importDOCX(t, fresh), got) {
				t.Errorf("%s is stale: run go test -run TestDOCXFixtures -update", fx.path)
			}
			if n, m := len(got.Roadmap.Mechanisms), got.Roadmap.MeasureCount(); n != 10 || m != 33 {
				t.Errorf("imported %d mechanisms and %d measures, want 10 and 33", n, m)
			}
			if len(got.Unparsed) != 0 || len(got.Warnings) != 0 {
				t.Errorf("unparsed %q, warnings %q", got.Unparsed, got.Warnings)
			}
			if got.Roadmap.Title != want.Roadmap.Title || got.Roadmap.ApprovingAct != want.Roadmap.ApprovingAct {
				t.Errorf("title %q, act %q; want %q, %q", got.Roadmap.Title, got.Roadmap.ApprovingAct,
					want.Roadmap.Title, want.Roadmap.ApprovingAct)
			}
			if !reflect.DeepEqual(got.Roadmap, want.Roadmap) {
				for i := range min(len(got.Roadmap.Mechanisms), len(want.Roadmap.Mechanisms)) {
					if g, w := got.Roadmap.Mechanisms[i], want.Roadmap.Mechanisms[i]; !reflect.DeepEqual(g, w) {
						t.Errorf("mechanism %d differs from the TSV import:\n got %+v\nwant %+v", i+1, g, w)
					}
				}
				t.Fatal("the DOCX imports to another roadmap than the TSV")
			}
		})
	}
}
