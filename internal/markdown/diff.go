package markdown

import (
	"html"
	"html/template"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Diff compares two texts line by line and marks what was removed with
// <del> and added with <ins>. Each change also carries visually hidden
// words, because screen readers do not announce ins and del, and colour
// alone must not carry the meaning (WCAG 1.4.1).
func Diff(before, after string) template.HTML {
	var sb strings.Builder
	for _, d := range lineDiff(before, after) {
		text := html.EscapeString(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			sb.WriteString(`<ins><span class="visually-hidden">[добавлено: </span>` + text + `<span class="visually-hidden">]</span></ins>`)
		case diffmatchpatch.DiffDelete:
			sb.WriteString(`<del><span class="visually-hidden">[удалено: </span>` + text + `<span class="visually-hidden">]</span></del>`)
		default:
			sb.WriteString(text)
		}
	}
	return template.HTML(sb.String()) // #nosec G203: every text part is escaped
}

// DiffStats counts the inserted and deleted lines between two texts.
func DiffStats(before, after string) (added, removed int) {
	for _, d := range lineDiff(before, after) {
		n := strings.Count(d.Text, "\n")
		if !strings.HasSuffix(d.Text, "\n") && d.Text != "" {
			n++
		}
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			added += n
		case diffmatchpatch.DiffDelete:
			removed += n
		}
	}
	return added, removed
}

func lineDiff(before, after string) []diffmatchpatch.Diff {
	dmp := diffmatchpatch.New()
	a, b, lines := dmp.DiffLinesToChars(before, after)
	return dmp.DiffCleanupSemantic(dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines))
}
