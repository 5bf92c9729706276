package site

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/sergi/go-diff/diffmatchpatch"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Markdown renders editors' Markdown to HTML that is safe to show: goldmark
// with the GitHub extensions (tables, strikethrough, autolinks), then
// bluemonday's UGC policy, because an editor's account can be stolen and the
// page is served to every resident. It runs when a page is saved, not when
// it is viewed.
type Markdown struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// NewMarkdown builds the renderer; it is safe for concurrent use.
func NewMarkdown() *Markdown {
	p := bluemonday.UGCPolicy()
	// Links leaving the site must not hand it the window.opener.
	p.AddTargetBlankToFullyQualifiedLinks(false)
	p.RequireNoReferrerOnFullyQualifiedLinks(true)
	return &Markdown{md: goldmark.New(goldmark.WithExtensions(extension.GFM)), policy: p}
}

// Render converts Markdown to sanitised HTML.
func (m *Markdown) Render(src string) (string, error) {
	var b bytes.Buffer
	if err := m.md.Convert([]byte(src), &b); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return m.policy.Sanitize(b.String()), nil
}

// PlainText strips tags from stored HTML for the search index and feeds'
// summaries.
func PlainText(h string) string {
	s := bluemonday.StrictPolicy().Sanitize(h)
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

// DiffHTML compares two texts line by line and marks what was removed with
// <del> and added with <ins>. Each change also carries visually hidden words,
// because screen readers do not announce ins and del, and colour alone must
// not carry the meaning (WCAG 1.4.1).
func DiffHTML(before, after string) template.HTML {
	dmp := diffmatchpatch.New()
	a, b, lines := dmp.DiffLinesToChars(before, after)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines)
	diffs = dmp.DiffCleanupSemantic(diffs)
	var sb strings.Builder
	for _, d := range diffs {
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
	return template.HTML(sb.String())
}

// DiffStats counts the inserted and deleted lines between two texts.
func DiffStats(before, after string) (added, removed int) {
	dmp := diffmatchpatch.New()
	a, b, lines := dmp.DiffLinesToChars(before, after)
	for _, d := range dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines) {
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

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
