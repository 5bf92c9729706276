package roadmap

import (
	"bytes"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/fumiama/go-docx"
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

// borders are black; the library's default «#000000» is not a valid OOXML colour.
func borders() *docx.APITableBorderColors {
	const black = "000000"
	return &docx.APITableBorderColors{Top: black, Left: black, Bottom: black, Right: black, InsideH: black, InsideV: black}
}

func addPreamble(d *docx.Docx, lines []string) {
	for _, l := range lines {
		p := d.AddParagraph()
		if l = reBookmark.ReplaceAllString(l, ""); strings.TrimSpace(l) != "" {
			p.AddText(strings.TrimSpace(l))
		}
	}
}

// fillCell writes text into a cell, one paragraph per line as Word keeps them;
// an empty cell still needs its paragraph to be valid OOXML.
func fillCell(c *docx.WTableCell, text string) {
	lines := strings.Split(cleanCell(text), "\n")
	for _, l := range lines {
		p := c.AddParagraph()
		if l != "" {
			p.AddText(l)
		}
	}
}

// buildMerged lays the seed out as it was distributed: the columns of the
// seed, and each mechanism's number and title in cells merged down across its
// measures (w:vMerge).
func buildMerged(sh sheet) *docx.Docx {
	d := docx.New().WithDefaultTheme()
	addPreamble(d, sh.preamble)
	widths := []int64{600, 2600, 4200, 3000, 1700, 2400}
	groups := seedGroups(sh)
	tbl := d.AddTableTwips(make([]int64, len(sh.rows)), widths, 0, borders())
	for j, c := range sh.rows[0] {
		fillCell(tbl.TableRows[0].TableCells[j], c.text)
	}
	i := 1
	for _, g := range groups {
		for k, r := range g {
			cells := tbl.TableRows[i].TableCells
			for j, c := range r {
				switch {
				case j < 2 && k == 0:
					fillCell(cells[j], c.text)
					if len(g) > 1 {
						cells[j].TableCellProperties.VMerge = &docx.WvMerge{Val: "restart"}
					}
				case j < 2:
					fillCell(cells[j], "")
					cells[j].TableCellProperties.VMerge = &docx.WvMerge{}
				default:
					fillCell(cells[j], c.text)
				}
			}
			i++
		}
	}
	return d
}

// buildHeadings lays the seed out the other way plans are written: columns in
// another order and worded differently, a row numbering the columns, each
// mechanism as a heading row across the table (w:gridSpan), measures numbered
// «1.1» in their own column, and line breaks inside one paragraph (w:br).
func buildHeadings(sh sheet) *docx.Docx {
	d := docx.New().WithDefaultTheme()
	d.AddParagraph().AddText("УТВЕРЖДЕН распоряжением администрации городского округа Верхняя Пышма от 07.03.2018 № 118")
	addPreamble(d, sh.preamble[len(sh.preamble)-3:]) // the title, no blank line before it
	// source column of the seed for each column of this table
	order := []int{5, 0, 2, 4, 3}
	headers := []string{"Ответственные исполнители", "№ п/п", "Наименование мероприятия", "Срок исполнения", "Ожидаемый результат (показатель)"}
	widths := []int64{2400, 700, 4200, 1800, 3000}
	groups := seedGroups(sh)
	rowCount := 2 + len(groups) + len(sh.rows) - 1
	tbl := d.AddTableTwips(make([]int64, rowCount), widths, 0, borders())
	put := func(c *docx.WTableCell, text string) {
		c.AddParagraph().AddText(cleanCell(text))
	}
	for j, h := range headers {
		put(tbl.TableRows[0].TableCells[j], h)
		put(tbl.TableRows[1].TableCells[j], string(rune('1'+j)))
	}
	i := 2
	for _, g := range groups {
		mech := strings.TrimSuffix(strings.TrimSpace(g[0][0].text), ".")
		heading := tbl.TableRows[i].TableCells[0]
		heading.TableCellProperties.TableCellWidth.W = 2400 + 700 + 4200 + 1800 + 3000
		heading.TableCellProperties.GridSpan = &docx.WGridSpan{Val: len(headers)}
		put(heading, mech+". "+cleanCell(g[0][1].text))
		tbl.TableRows[i].TableCells = tbl.TableRows[i].TableCells[:1]
		i++
		for _, r := range g {
			measure := cleanCell(r[2].text)
			m := reNumbered.FindStringSubmatch(measure)
			for j, src := range order {
				switch src {
				case 0:
					put(tbl.TableRows[i].TableCells[j], mech+"."+m[1])
				case 2:
					put(tbl.TableRows[i].TableCells[j], measure[len(m[0]):])
				default:
					put(tbl.TableRows[i].TableCells[j], r[src].text)
				}
			}
			i++
		}
	}
	return d
}

func docxBytes(t *testing.T, d *docx.Docx) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := d.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
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
// compared by what they import to, not byte for byte: the library writes the
// parts of the zip in map order.
func TestDOCXFixtures(t *testing.T) {
	sh := seedSheet(t)
	want := importSeed(t)
	for _, fx := range []struct {
		path  string
		build func(sheet) *docx.Docx
	}{
		{mergedFixture, buildMerged},
		{headingsFixture, buildHeadings},
	} {
		t.Run(fx.path, func(t *testing.T) {
			fresh := docxBytes(t, fx.build(sh))
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
