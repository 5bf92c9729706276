package roadmap

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// readDOCX reads the table of measures out of a Word document into a sheet:
// the paragraphs above the plan's table become the preamble, the table's rows
// its rows. A later table as wide as the plan continues it (a long plan
// pasted in parts).
//
// The reader walks word/document.xml with encoding/xml. It keeps the text of
// tracked insertions (w:ins), content controls (w:sdt), smart tags, field
// results and hyperlinks, and drops tracked deletions (w:delText), field codes
// (w:instrText) and the fallback copy of text boxes. Numbering that Word draws
// itself (w:numPr) is not text in the file: a plan whose «1.», «2.» are
// automatic list numbers imports with its measures numbered in order instead.
func readDOCX(r io.ReaderAt, size int64) (sheet, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return sheet{}, fmt.Errorf("%w: %w", ErrNotDOCX, err)
	}
	var part *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			part = f
			break
		}
	}
	if part == nil {
		return sheet{}, fmt.Errorf("%w: no word/document.xml", ErrNotDOCX)
	}
	if part.UncompressedSize64 > maxDocumentXML {
		return sheet{}, fmt.Errorf("%w: word/document.xml is larger than %d MB", ErrNotDOCX, maxDocumentXML>>20)
	}
	rc, err := part.Open()
	if err != nil {
		return sheet{}, fmt.Errorf("%w: %w", ErrNotDOCX, err)
	}
	defer rc.Close()
	body, err := parseBody(xml.NewDecoder(io.LimitReader(rc, maxDocumentXML)))
	if err != nil {
		return sheet{}, fmt.Errorf("%w: word/document.xml: %w", ErrNotDOCX, err)
	}
	var sh sheet
	var paragraphs []string
	found, width := false, 0
	for _, b := range body {
		switch {
		case b.table == nil:
			paragraphs = append(paragraphs, b.text)
		case !found && hasHeader(b.table):
			found, width = true, gridWidth(b.table)
			sh.preamble, sh.rows = paragraphs, b.table
		case found && gridWidth(b.table) == width:
			sh.rows = append(sh.rows, b.table...)
		}
	}
	if !found {
		return sheet{}, ErrNoTable
	}
	return sh, nil
}

// maxDocumentXML bounds the main part read from an upload: a plan is tens of
// kilobytes, and a zip bomb must not fill the memory.
const maxDocumentXML = 32 << 20

// wml is the WordprocessingML namespace of the elements the reader knows.
const wml = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

// block is one top-level item of the body: a paragraph's text or a table.
type block struct {
	text  string
	table []row
}

// parseBody reads the top-level paragraphs and tables of w:body.
func parseBody(dec *xml.Decoder) ([]block, error) {
	var blocks []block
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return blocks, nil
		}
		if err != nil {
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Space != wml {
			continue
		}
		switch se.Name.Local {
		case "p":
			text, err := paragraph(dec)
			if err != nil {
				return nil, err
			}
			blocks = append(blocks, block{text: text})
		case "tbl":
			rows, err := table(dec)
			if err != nil {
				return nil, err
			}
			blocks = append(blocks, block{table: rows})
		}
	}
}

// table reads a w:tbl up to its end and lays its cells on the grid. A cell
// that continues a vertical merge (w:vMerge without "restart") is empty in
// the file; it takes the text of the cell that started the merge, since the
// merged cell belongs to every row it spans: a mechanism to each of its
// measures, a responsible unit to each measure it was written once for.
func table(dec *xml.Decoder) ([]row, error) {
	var rows []row
	above := map[int]string{} // grid column → text of the cell last seen there
	var cur row
	col := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, unexpected(err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if t.Name.Space != wml {
				continue
			}
			switch t.Name.Local {
			case "tbl":
				return rows, nil
			case "tr":
				rows = append(rows, cur)
				cur, col = nil, 0
			}
		case xml.StartElement:
			if t.Name.Space != wml || t.Name.Local != "tc" {
				continue
			}
			c, continued, err := tableCell(dec)
			if err != nil {
				return nil, err
			}
			if continued {
				c.text = above[col]
			} else {
				above[col] = c.text
			}
			cur = append(cur, c)
			col += c.span
		}
	}
}

// tableCell reads a w:tc: its span, whether it continues a vertical merge,
// and its paragraphs joined with line breaks, as the text layout of the seed
// has them. A table nested in the cell adds its cells' text as lines.
func tableCell(dec *xml.Decoder) (c cell, continued bool, err error) {
	c.span = 1
	var lines []string
	for {
		tok, err := dec.Token()
		if err != nil {
			return c, false, unexpected(err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if t.Name.Space == wml && t.Name.Local == "tc" {
				c.text = strings.Join(lines, "\n")
				return c, continued, nil
			}
		case xml.StartElement:
			if t.Name.Space != wml {
				continue
			}
			switch t.Name.Local {
			case "gridSpan":
				if n, err := strconv.Atoi(attr(t, "val")); err == nil && n > 1 {
					c.span = n
				}
			case "vMerge":
				continued = attr(t, "val") != "restart"
			case "p":
				text, err := paragraph(dec)
				if err != nil {
					return c, false, err
				}
				lines = append(lines, text)
			case "tbl":
				rows, err := table(dec)
				if err != nil {
					return c, false, err
				}
				for _, r := range rows {
					for _, nc := range r {
						if nc.text != "" {
							lines = append(lines, nc.text)
						}
					}
				}
			}
		}
	}
}

// paragraph reads a w:p up to its end and returns its plain text.
func paragraph(dec *xml.Decoder) (string, error) {
	var sb strings.Builder
	depth := 0 // of nested w:p, in text boxes
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", unexpected(err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if t.Name.Space == wml && t.Name.Local == "p" {
				if depth == 0 {
					return sb.String(), nil
				}
				depth--
			}
		case xml.StartElement:
			switch {
			case t.Name.Local == "Fallback":
				// mc:Fallback repeats mc:Choice (a text box drawn twice).
				if err := dec.Skip(); err != nil {
					return "", unexpected(err)
				}
			case t.Name.Space != wml:
			case t.Name.Local == "pPr" || t.Name.Local == "rPr":
				// Properties: w:tabs/w:tab there is a tab stop, not a tab.
				if err := dec.Skip(); err != nil {
					return "", unexpected(err)
				}
			case t.Name.Local == "p":
				depth++
			case t.Name.Local == "t":
				var s string
				if err := dec.DecodeElement(&s, &t); err != nil {
					return "", unexpected(err)
				}
				sb.WriteString(s)
			case t.Name.Local == "tab":
				sb.WriteByte(' ')
			case t.Name.Local == "br" || t.Name.Local == "cr":
				sb.WriteByte('\n')
			case t.Name.Local == "noBreakHyphen":
				sb.WriteByte('-')
			}
		}
	}
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// unexpected turns an end of file inside an element into an error.
func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
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
