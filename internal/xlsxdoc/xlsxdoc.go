// Package xlsxdoc writes the portal's spreadsheets (excelize) in one style:
// a title and subtitle, a bold header row that stays in view, wrapped cells
// in columns wide enough to read, and values as typed cells. Rows may be
// streamed, so that a register of a hundred thousand rows is written in
// constant memory. Areas describe their sheets; this package lays them
// out, as pdfdoc does for PDF.
package xlsxdoc

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Sheet is one table.
type Sheet struct {
	// Name is the tab's name (at most 31 characters).
	Name string
	// Title (bold) and Subtitle are lines above the table.
	Title, Subtitle string
	Header          []string
	// Rows are the values (string, numbers, bool, time.Time); or Each
	// streams them by calling emit once per row.
	Rows [][]any
	Each func(emit func(row []any) error) error
	// Widths are column widths in characters; missing ones are measured
	// from Header and Rows (at most 80). Streamed rows are not measured.
	Widths []float64
}

// Meta describes the workbook in its properties.
type Meta struct {
	Title  string
	Author string
}

// Write writes the sheets, in order, as one workbook.
func Write(w io.Writer, m Meta, sheets ...Sheet) error {
	if len(sheets) == 0 {
		return errors.New("xlsx: no sheets")
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	for i, s := range sheets {
		if i == 0 {
			err = f.SetSheetName("Sheet1", s.Name)
		} else {
			_, err = f.NewSheet(s.Name)
		}
		if err != nil {
			return fmt.Errorf("xlsx sheet %q: %w", s.Name, err)
		}
		if err := writeSheet(f, s, st); err != nil {
			return fmt.Errorf("xlsx sheet %q: %w", s.Name, err)
		}
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: m.Title, Creator: m.Author, Language: "ru-RU"}); err != nil {
		return fmt.Errorf("xlsx properties: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

type styles struct{ bold, wrap int }

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	if s.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return s, fmt.Errorf("xlsx style: %w", err)
	}
	if s.wrap, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return s, fmt.Errorf("xlsx style: %w", err)
	}
	return s, nil
}

func writeSheet(f *excelize.File, s Sheet, st styles) error {
	sw, err := f.NewStreamWriter(s.Name)
	if err != nil {
		return err
	}
	for c, wd := range widths(s) {
		if err := sw.SetColWidth(c+1, c+1, wd); err != nil {
			return err
		}
	}
	headRow := 1
	if s.Title != "" {
		headRow++
	}
	if s.Subtitle != "" {
		headRow++
	}
	if headRow > 1 {
		headRow++ // a blank line before the table
	}
	if len(s.Header) > 0 {
		top, _ := excelize.CoordinatesToCellName(1, headRow+1)
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headRow, TopLeftCell: top, ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	row := 1
	put := func(vals []any, style int) error {
		cells := make([]any, len(vals))
		for i, v := range vals {
			cells[i] = excelize.Cell{StyleID: style, Value: v}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, cells)
	}
	if s.Title != "" {
		if err := put([]any{s.Title}, st.bold); err != nil {
			return err
		}
	}
	if s.Subtitle != "" {
		if err := put([]any{s.Subtitle}, 0); err != nil {
			return err
		}
	}
	row = headRow
	if len(s.Header) > 0 {
		head := make([]any, len(s.Header))
		for i, h := range s.Header {
			head[i] = h
		}
		if err := put(head, st.bold); err != nil {
			return err
		}
	}
	for _, r := range s.Rows {
		if err := put(r, st.wrap); err != nil {
			return err
		}
	}
	if s.Each != nil {
		if err := s.Each(func(r []any) error { return put(r, st.wrap) }); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// widths are the sheet's column widths: given ones, else measured.
func widths(s Sheet) []float64 {
	n := len(s.Header)
	for _, r := range s.Rows {
		n = max(n, len(r))
	}
	n = max(n, len(s.Widths))
	out := make([]float64, n)
	measure := func(c int, v any) {
		if str, ok := v.(string); ok {
			out[c] = max(out[c], min(float64(utf8.RuneCountInString(str))+2, 80))
		}
	}
	for c, h := range s.Header {
		measure(c, h)
	}
	for _, r := range s.Rows {
		for c, v := range r {
			measure(c, v)
		}
	}
	for c := range out {
		if c < len(s.Widths) && s.Widths[c] > 0 {
			out[c] = s.Widths[c]
		}
		out[c] = max(out[c], 8)
	}
	return out
}
