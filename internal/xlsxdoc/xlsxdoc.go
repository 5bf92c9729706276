// Package xlsxdoc writes the portal's spreadsheets (excelize) in one style:
// a title, a bold header row that stays in view, columns wide enough to
// read, and values as typed cells. Areas describe their sheets; this
// package lays them out, as pdfdoc does for PDF.
package xlsxdoc

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Sheet is one table: an optional title line above a header row and rows
// of values (string, numbers, bool, time.Time).
type Sheet struct {
	// Name is the tab's name (at most 31 characters; excelize refuses more).
	Name   string
	Title  string
	Header []string
	Rows   [][]any
	// Widths are column widths in characters; missing ones are measured
	// from the content (at most 80).
	Widths []float64
}

// Write writes the sheets, in order, as one workbook.
func Write(w io.Writer, sheets ...Sheet) error {
	if len(sheets) == 0 {
		return fmt.Errorf("xlsx: no sheets")
	}
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("xlsx style: %w", err)
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("xlsx style: %w", err)
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
		if err := writeSheet(f, s, bold, wrap); err != nil {
			return fmt.Errorf("xlsx sheet %q: %w", s.Name, err)
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

func writeSheet(f *excelize.File, s Sheet, bold, wrap int) error {
	row := 1
	if s.Title != "" {
		if err := f.SetCellValue(s.Name, "A1", s.Title); err != nil {
			return err
		}
		if err := f.SetCellStyle(s.Name, "A1", "A1", bold); err != nil {
			return err
		}
		row = 3
	}
	headerRow := row
	widths := make([]float64, len(s.Header))
	for c, h := range s.Header {
		widths[c] = float64(utf8.RuneCountInString(h)) + 2
	}
	if len(s.Header) > 0 {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := f.SetSheetRow(s.Name, cell, &s.Header); err != nil {
			return err
		}
		last, _ := excelize.CoordinatesToCellName(len(s.Header), row)
		if err := f.SetCellStyle(s.Name, cell, last, bold); err != nil {
			return err
		}
		row++
	}
	for _, r := range s.Rows {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		vals := r
		if err := f.SetSheetRow(s.Name, cell, &vals); err != nil {
			return err
		}
		for c, v := range r {
			if c >= len(widths) {
				widths = append(widths, 0)
			}
			if str, ok := v.(string); ok {
				widths[c] = max(widths[c], float64(utf8.RuneCountInString(str))+2)
			}
		}
		row++
	}
	for c := range widths {
		wd := min(widths[c], 80)
		if c < len(s.Widths) && s.Widths[c] > 0 {
			wd = s.Widths[c]
		}
		col, _ := excelize.ColumnNumberToName(c + 1)
		if err := f.SetColWidth(s.Name, col, col, max(wd, 8)); err != nil {
			return err
		}
	}
	if len(s.Rows) > 0 && len(widths) > 0 {
		first, _ := excelize.CoordinatesToCellName(1, headerRow+1)
		last, _ := excelize.CoordinatesToCellName(len(widths), row-1)
		if err := f.SetCellStyle(s.Name, first, last, wrap); err != nil {
			return err
		}
	}
	if len(s.Header) > 0 {
		top, _ := excelize.CoordinatesToCellName(1, headerRow+1)
		if err := f.SetPanes(s.Name, &excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: top, ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	return nil
}
