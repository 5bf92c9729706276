// Package markdown renders the Markdown that staff and residents write into
// HTML that is safe to show, with one sanitiser policy for the whole portal,
// and compares texts for the revision and final-version views.
//
// The text is converted by goldmark (tables, strikethrough, autolinks; raw
// HTML is never rendered) and then sanitised by bluemonday's UGC policy: an
// editor's account can be stolen, and the page is served to every resident.
package markdown

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Renderer converts Markdown; it is safe for concurrent use. Build one per
// heading level at start.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
	strict *bluemonday.Policy
}

// policy is the portal's one policy for user HTML.
func policy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	// Links leaving the site must not hand it the window.opener nor pass
	// on reputation.
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	p.RequireNoReferrerOnFullyQualifiedLinks(true)
	// Numbered points of acts keep their numbers: people cite acts by point.
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^[0-9]{1,6}$`)).OnElements("ol")
	return p
}

// New builds a renderer whose headings start at level first (2–6): the
// text's top level, whatever number of «#» its author used, becomes first,
// and deeper levels follow, so that headings fit under the page's own and
// never skip a level. first 0 keeps the author's levels.
func New(first int) *Renderer {
	opts := []goldmark.Option{goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify)}
	if first > 0 {
		opts = append(opts, goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(headingShift{first: first}, 100))))
	}
	return &Renderer{md: goldmark.New(opts...), policy: policy(), strict: bluemonday.StrictPolicy()}
}

type headingShift struct{ first int }

func (h headingShift) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	top := 7
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if hd, ok := n.(*ast.Heading); ok && entering {
			top = min(top, hd.Level)
		}
		return ast.WalkContinue, nil
	})
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if hd, ok := n.(*ast.Heading); ok && entering {
			hd.Level = min(hd.Level-top+h.first, 6)
		}
		return ast.WalkContinue, nil
	})
}

var headerCell = regexp.MustCompile(`<th(\s|>)`)

// HTML renders and sanitises src.
func (m *Renderer) HTML(src string) (string, error) {
	var buf bytes.Buffer
	if err := m.md.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	// Goldmark's header cells are column headers; saying so lets screen
	// readers announce them with each cell.
	return headerCell.ReplaceAllString(m.policy.Sanitize(buf.String()), `<th scope="col"$1`), nil
}

// Safe renders src for a template; text that cannot be rendered is shown
// escaped rather than lost.
func (m *Renderer) Safe(src string) template.HTML {
	h, err := m.HTML(src)
	if err != nil {
		return template.HTML(html.EscapeString(src))
	}
	return template.HTML(h) // #nosec G203: sanitised by bluemonday
}

var (
	spaces     = regexp.MustCompile(`[ \t]+`)
	blankLines = regexp.MustCompile(`\n{3,}`)
)

// Plain is the text of src without markup: what the speech synthesiser
// reads aloud, the search index stores and feeds summarise. Paragraphs stay
// on their own lines.
func (m *Renderer) Plain(src string) string {
	h, err := m.HTML(src)
	if err != nil {
		return src
	}
	return m.PlainHTML(h)
}

// PlainHTML is the text of already rendered HTML.
func (m *Renderer) PlainHTML(h string) string {
	// Block ends become line breaks before the tags go.
	h = strings.NewReplacer("</p>", "</p>\n", "</li>", "</li>\n", "</h1>", "</h1>\n", "</h2>", "</h2>\n", "</h3>", "</h3>\n",
		"</h4>", "</h4>\n", "</h5>", "</h5>\n", "</h6>", "</h6>\n", "</tr>", "</tr>\n", "</td>", "</td> ", "</th>", "</th> ", "<br>", "\n", "<br/>", "\n").Replace(h)
	s := html.UnescapeString(m.strict.Sanitize(h))
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(spaces.ReplaceAllString(l, " "))
	}
	s = blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n")
	return strings.TrimSpace(s)
}

// OneLine is the text of rendered HTML on one line, for summaries.
func OneLine(h string) string {
	s := bluemonday.StrictPolicy().Sanitize(h)
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}
