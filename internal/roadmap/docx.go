package roadmap

import (
	"fmt"
	"io"
	"strings"

	"github.com/fumiama/go-docx"
)

// readDOCX reads the table of measures out of a Word document into a sheet.
//
// go-docx parses the body, tables, rows and cells with their w:gridSpan and
// w:vMerge, which is all the structure a plan needs. What it drops silently is
// text inside w:ins (tracked insertions), w:sdt (content controls), w:smartTag
// and field results, and numbering that Word draws itself (w:numPr): a plan
// whose «1.», «2.» are automatic list numbers imports with its mechanisms and
// measures numbered in order instead, which comes to the same for most plans.
//
// go-docx is licensed under the AGPL-3.0; this file is the only non-test code
// that imports it, so that it can be replaced by a reader of its own.
func readDOCX(r io.ReaderAt, size int64) (sheet, error) {
	doc, err := docx.Parse(r, size)
	if err != nil {
		return sheet{}, fmt.Errorf("roadmap: open DOCX: %w", err)
	}
	var sh sheet
	var paragraphs []string
	var plan *docx.Table
	width := 0
	for _, it := range doc.Document.Body.Items {
		switch v := it.(type) {
		case *docx.Paragraph:
			paragraphs = append(paragraphs, paragraphText(v))
		case *docx.Table:
			rows := tableRows(v)
			switch {
			case plan == nil && hasHeader(rows):
				plan, width = v, gridWidth(rows)
				sh.preamble = paragraphs
				sh.rows = rows
			case plan != nil && gridWidth(rows) == width:
				// A long plan pasted in parts: a table as wide as the plan continues it.
				sh.rows = append(sh.rows, rows...)
			}
		}
	}
	if plan == nil {
		return sheet{}, ErrNoTable
	}
	return sh, nil
}

func hasHeader(rows []row) bool {
	for _, r := range rows {
		if _, ok := header(r); ok {
			return true
		}
	}
	return false
}

func gridWidth(rows []row) int {
	w := 0
	for _, r := range rows {
		n := 0
		for _, c := range r {
			n += c.span
		}
		w = max(w, n)
	}
	return w
}

// tableRows lays the cells of a table on its grid. A cell that continues a
// vertical merge (w:vMerge without "restart") is empty in the file; it takes
// the text of the cell that started the merge, since the merged cell belongs
// to every row it spans: a mechanism to each of its measures, a responsible
// unit to each measure it was written once for.
func tableRows(t *docx.Table) []row {
	var rows []row
	above := map[int]string{} // grid column → text of the cell last seen there
	for _, tr := range t.TableRows {
		var rw row
		col := 0
		for _, tc := range tr.TableCells {
			span := 1
			var merge *docx.WvMerge
			if p := tc.TableCellProperties; p != nil {
				if p.GridSpan != nil && p.GridSpan.Val > 1 {
					span = p.GridSpan.Val
				}
				merge = p.VMerge
			}
			text := cellText(tc)
			if merge != nil && merge.Val != "restart" {
				text = above[col]
			} else {
				above[col] = text
			}
			rw = append(rw, cell{text: text, span: span})
			col += span
		}
		rows = append(rows, rw)
	}
	return rows
}

// cellText joins the paragraphs of a cell with line breaks, as the text layout
// of the seed has them.
func cellText(tc *docx.WTableCell) string {
	var lines []string
	for _, p := range tc.Paragraphs {
		lines = append(lines, paragraphText(p))
	}
	return strings.Join(lines, "\n")
}

// paragraphText is the plain text of a paragraph. The library's own String
// writes links as Markdown and indents list items, neither of which is text.
func paragraphText(p *docx.Paragraph) string {
	var sb strings.Builder
	for _, c := range p.Children {
		switch v := c.(type) {
		case *docx.Run:
			runText(&sb, v)
		case *docx.Hyperlink:
			runText(&sb, &v.Run)
		}
	}
	return sb.String()
}

func runText(sb *strings.Builder, r *docx.Run) {
	for _, c := range r.Children {
		switch v := c.(type) {
		case *docx.Text:
			sb.WriteString(v.Text)
		case *docx.Tab:
			sb.WriteByte(' ')
		case *docx.BarterRabbet: // w:br
			sb.WriteByte('\n')
		}
	}
}
