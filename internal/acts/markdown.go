package acts

import (
	"bytes"
	"html"
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

// Markdown renders the Markdown that lawyers and editors write into the
// HTML that pages show. It is rendered once, at save, and stored.
type Markdown struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
	strict *bluemonday.Policy
}

// headingShift fits the text's headings under the page's own: the text's
// top level, whatever number of «#» the author used, becomes level first
// (<h3> below the page's <h1> and the section's <h2>), and deeper levels
// follow, so that headings never skip a level.
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

// NewMarkdown builds a renderer whose headings start at level first.
func NewMarkdown(first int) *Markdown {
	md := goldmark.New(
		// Tables and strikethrough are common in acts (schedules of fees,
		// struck-out wording); raw HTML is not rendered (goldmark's default).
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(headingShift{first: first}, 100))),
	)
	// bluemonday is the second line of defence: whatever goldmark emits, only
	// the elements of ordinary documents survive.
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	strict := bluemonday.StrictPolicy()
	strict.AddSpaceWhenStrippingTag(true)
	return &Markdown{md: md, policy: p, strict: strict}
}

// HTML renders and sanitises src.
func (m *Markdown) HTML(src string) (string, error) {
	var buf bytes.Buffer
	if err := m.md.Convert([]byte(src), &buf); err != nil {
		return "", err
	}
	// Goldmark's header cells are column headers; saying so lets screen
	// readers announce them with each cell.
	return headerCell.ReplaceAllString(m.policy.Sanitize(buf.String()), `<th scope="col"$1`), nil
}

var headerCell = regexp.MustCompile(`<th(\s|>)`)

var spaces = regexp.MustCompile(`[ \t]+`)
var blankLines = regexp.MustCompile(`\n{3,}`)

// Plain is the text of src without markup: what the speech synthesiser
// reads aloud and the search index stores. Paragraphs stay on their own lines
// so that the synthesiser pauses between them.
func (m *Markdown) Plain(src string) string {
	h, err := m.HTML(src)
	if err != nil {
		return src
	}
	// Block ends become line breaks before the tags go.
	h = strings.NewReplacer("</p>", "</p>\n", "</li>", "</li>\n", "</h1>", "</h1>\n", "</h2>", "</h2>\n", "</h3>", "</h3>\n",
		"</h4>", "</h4>\n", "</h5>", "</h5>\n", "</h6>", "</h6>\n", "</tr>", "</tr>\n", "<br>", "\n", "<br/>", "\n").Replace(h)
	s := html.UnescapeString(m.strict.Sanitize(h))
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(spaces.ReplaceAllString(l, " "))
	}
	s = blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n")
	return strings.TrimSpace(s)
}
