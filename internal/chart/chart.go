// Package chart draws the portal's charts as accessible inline SVG: an
// image with a title and a description that lists every value, the value
// written beside each bar, so that nothing is told by colour or length
// alone. A page shows the same numbers in a table beside the chart.
package chart

import (
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"
)

// Bar is one labelled value.
type Bar struct {
	Label string
	Value int
}

// MaxBars is the most bars a chart draws; the table beside it lists all.
const MaxBars = 15

// Bars draws a horizontal bar chart. id must be unique on the page.
func Bars(id, title string, bars []Bar) template.HTML {
	const width, labelW, barMax, rowH = 720, 300, 330, 26
	n := min(len(bars), MaxBars)
	top := 0
	for _, b := range bars[:n] {
		top = max(top, b.Value)
	}
	desc := make([]string, n)
	for i, b := range bars[:n] {
		desc[i] = b.Label + ": " + strconv.Itoa(b.Value)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-title %s-desc">`, width, rowH*n+10, id, id)
	fmt.Fprintf(&sb, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, html.EscapeString(title), id, html.EscapeString(strings.Join(desc, "; ")))
	for i, b := range bars[:n] {
		y := 5 + i*rowH
		w := 0
		if top > 0 {
			w = max(b.Value, 0) * barMax / top
		}
		lbl := []rune(b.Label)
		if len(lbl) > 42 {
			lbl = append(lbl[:41], '…')
		}
		fmt.Fprintf(&sb, `<text x="0" y="%d" class="chart-label">%s</text>`, y+17, html.EscapeString(string(lbl)))
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="18" class="chart-bar"></rect>`, labelW, y+3, w)
		fmt.Fprintf(&sb, `<text x="%d" y="%d" class="chart-value">%d</text>`, labelW+w+6, y+17, b.Value)
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String()) // #nosec G203: every text inside is escaped above
}
