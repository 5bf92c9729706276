package acts

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"unicode/utf8"
)

// MindMapNode is one idea of a mind map (интеллект-карта) that explains an
// act: the root is the topic, its children the branches.
type MindMapNode struct {
	Text     string
	Children []*MindMapNode
}

// ErrEmptyOutline is returned by ParseOutline when the source has no text.
var ErrEmptyOutline = errors.New("схема пуста: напишите тему в первой строке, например «# Тема», а ветви — пунктами списка «- »")

// ParseOutline reads a mind map written as a Markdown outline, the form an
// editor can type without a drawing tool:
//
//	# Тема
//	- Ветвь
//	  - Подпункт
//	- Другая ветвь
//
// The first non-blank line is the topic, with or without «#». Branches are
// list items («-», «*», «+», «1.», «1)») nested by indentation of any
// consistent width (two or four spaces, a tab counts as four), or headings
// «##», «###» with lists under them. A line that is neither continues the
// previous item. Inline Markdown (emphasis, links) is reduced to its text.
func ParseOutline(src string) (*MindMapNode, error) {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	src = strings.ReplaceAll(src, "\r", "\n")

	var o outlineReader
	for i, raw := range strings.Split(src, "\n") {
		lineNo := i + 1
		line := strings.ReplaceAll(raw, "\t", "    ")
		body := strings.TrimLeft(line, " ")
		if strings.TrimSpace(body) == "" {
			continue
		}
		indent := len(line) - len(body)
		body = strings.TrimSpace(body)

		var err error
		if o.root == nil {
			err = o.addTopic(lineNo, body)
		} else if level, text, ok := mindMapHeading(body); ok {
			err = o.addHeading(lineNo, level, text)
		} else if text, ok := mindMapListItem(body); ok {
			err = o.addListItem(lineNo, indent, text)
		} else if text := readabilityPlainInline(body); text != "" {
			// A wrapped line continues the item above it.
			o.last.Text += " " + text
		}
		if err != nil {
			return nil, err
		}
	}
	if o.root == nil {
		return nil, ErrEmptyOutline
	}
	return o.root, nil
}

// outlineReader is the state of ParseOutline between lines: the open
// headings and the open list items, each a possible parent of the next line.
type outlineReader struct {
	root     *MindMapNode
	rootLine int
	headings []outlineHeading
	items    []outlineItem
	// last is the node a wrapped line continues.
	last *MindMapNode
}

type outlineHeading struct {
	level int
	node  *MindMapNode
}

type outlineItem struct {
	indent int
	node   *MindMapNode
}

// addTopic reads the first line, the topic, whether written as a heading,
// a list item or plain text.
func (o *outlineReader) addTopic(lineNo int, body string) error {
	text := body
	if _, t, ok := mindMapHeading(body); ok {
		text = t
	} else if t, ok := mindMapListItem(body); ok {
		text = t
	}
	text = readabilityPlainInline(text)
	if text == "" {
		return fmt.Errorf("строка %d: у схемы нет темы — напишите её после «#»", lineNo)
	}
	o.root = &MindMapNode{Text: text}
	o.rootLine = lineNo
	o.headings = []outlineHeading{{level: 1, node: o.root}}
	o.last = o.root
	return nil
}

// addHeading adds a branch under the nearest heading of a higher level; the
// list items above it are closed.
func (o *outlineReader) addHeading(lineNo, level int, text string) error {
	if level == 1 {
		return fmt.Errorf("строка %d: тема схемы уже задана в строке %d; ветви пишите пунктами списка «- » или заголовками «##»", lineNo, o.rootLine)
	}
	text = readabilityPlainInline(text)
	if text == "" {
		return fmt.Errorf("строка %d: пустой заголовок", lineNo)
	}
	for len(o.headings) > 1 && o.headings[len(o.headings)-1].level >= level {
		o.headings = o.headings[:len(o.headings)-1]
	}
	node := &MindMapNode{Text: text}
	parent := o.headings[len(o.headings)-1].node
	parent.Children = append(parent.Children, node)
	o.headings = append(o.headings, outlineHeading{level: level, node: node})
	o.items = o.items[:0]
	o.last = node
	return nil
}

// addListItem adds a branch under the nearest less indented item, or under
// the current heading when there is none.
func (o *outlineReader) addListItem(lineNo, indent int, text string) error {
	text = readabilityPlainInline(text)
	if text == "" {
		return fmt.Errorf("строка %d: пустой пункт списка", lineNo)
	}
	for len(o.items) > 0 && o.items[len(o.items)-1].indent >= indent {
		o.items = o.items[:len(o.items)-1]
	}
	parent := o.headings[len(o.headings)-1].node
	if len(o.items) > 0 {
		parent = o.items[len(o.items)-1].node
	}
	node := &MindMapNode{Text: text}
	parent.Children = append(parent.Children, node)
	o.items = append(o.items, outlineItem{indent: indent, node: node})
	o.last = node
	return nil
}

// mindMapHeading recognises an ATX heading «## Текст» and returns its level.
func mindMapHeading(line string) (level int, text string, ok bool) {
	for level < len(line) && line[level] == '#' {
		level++
	}
	if level == 0 || level > 6 {
		return 0, "", false
	}
	return level, readabilityHeadingText(line[level:]), true
}

// mindMapListItem recognises a bullet or numbered list item.
func mindMapListItem(line string) (text string, ok bool) {
	m := readabilityListPattern.FindString(line)
	if m == "" {
		return "", false
	}
	return strings.TrimSpace(line[len(m):]), true
}

// Layout of the rendered map, in SVG user units (pixels at 100 %).
const (
	mindMapFontSize   = 14
	mindMapLineHeight = 18
	mindMapCharWidth  = 8.4 // average Cyrillic glyph of a 14 px sans-serif, with a margin
	mindMapBoldWidth  = 1.1 // the topic is bold, and bold glyphs are wider
	mindMapPadX       = 12
	mindMapPadY       = 8
	mindMapMaxLine    = 24 // characters per line before a label wraps
	mindMapColumnGap  = 48
	mindMapRowGap     = 12
	mindMapMargin     = 16
	mindMapRadius     = 8
)

// mindMapColours is one colour scheme of the map. Text is on Fill; Stroke
// (box border and connecting line) is on the white background.
type mindMapColours struct {
	Stroke, Fill, Text string
}

// mindMapBackground is painted under the map so that the contrast below holds
// on any page, including dark colour schemes.
const mindMapBackground = "#ffffff"

// mindMapRootColours and mindMapBranchColours keep WCAG 2.1 AA: text on fill
// at least 4.5:1 (1.4.3), borders and lines on the background at least 3:1
// (1.4.11). The test checks both. Each first-level branch takes the next
// scheme so that a branch can be followed by colour as well as by position.
func mindMapRootColours() mindMapColours {
	return mindMapColours{Stroke: "#1d4e89", Fill: "#1d4e89", Text: "#ffffff"}
}

func mindMapBranchColours() []mindMapColours {
	return []mindMapColours{
		{Stroke: "#1d4e89", Fill: "#e8f0fb", Text: "#1a1a1a"}, // blue
		{Stroke: "#1e6b3a", Fill: "#e6f4ea", Text: "#1a1a1a"}, // green
		{Stroke: "#5b2a86", Fill: "#f1e8fa", Text: "#1a1a1a"}, // purple
		{Stroke: "#8a4b08", Fill: "#fbeedd", Text: "#1a1a1a"}, // brown
		{Stroke: "#0b6470", Fill: "#e0f3f5", Text: "#1a1a1a"}, // teal
		{Stroke: "#a3262a", Fill: "#fbe9e9", Text: "#1a1a1a"}, // red
	}
}

// mindMapBox is a node with its computed place.
type mindMapBox struct {
	node     *MindMapNode
	depth    int
	colours  mindMapColours
	lines    []string
	w, h     float64
	x, y     float64
	subtreeH float64
	children []*mindMapBox
}

// RenderMindMapSVG draws the map as a left-to-right tree: the topic on the
// left, each level in its own column, rounded boxes joined by curves. The SVG
// is self-contained and safe to inline: no script, all text escaped, a
// <title> and a <desc> that carries the whole outline as text for screen
// readers (role="img" hides the drawing itself from them), and a viewBox so
// that it scales to the width of the page.
func RenderMindMapSVG(root *MindMapNode) []byte {
	if root == nil {
		root = &MindMapNode{Text: "Схема пуста"}
	}
	tree := mindMapLayoutBoxes(root, 0, mindMapRootColours())

	// Columns: every level is as wide as its widest box.
	var colW []float64
	var measure func(b *mindMapBox)
	measure = func(b *mindMapBox) {
		for len(colW) <= b.depth {
			colW = append(colW, 0)
		}
		colW[b.depth] = max(colW[b.depth], b.w)
		for _, c := range b.children {
			measure(c)
		}
	}
	measure(tree)
	colX := make([]float64, len(colW))
	x := float64(mindMapMargin)
	for d, w := range colW {
		colX[d] = x
		x += w + mindMapColumnGap
	}
	width := x - mindMapColumnGap + mindMapMargin

	mindMapMeasureHeight(tree)
	mindMapPlace(tree, mindMapMargin, colX)
	height := tree.subtreeH + 2*mindMapMargin

	id := mindMapID(root)
	var buf bytes.Buffer
	fmt.Fprintf(&buf, `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="%s-title %s-desc" font-family="sans-serif" font-size="%d" style="max-width:100%%;height:auto">`,
		mindMapNum(width), mindMapNum(height), mindMapNum(width), mindMapNum(height), id, id, mindMapFontSize)
	buf.WriteString("\n")
	fmt.Fprintf(&buf, `<title id="%s-title">%s</title>`+"\n", id, mindMapEscape("Интеллект-карта: "+root.Text))
	fmt.Fprintf(&buf, `<desc id="%s-desc">%s</desc>`+"\n", id, mindMapEscape(MindMapText(root)))
	fmt.Fprintf(&buf, `<rect x="0" y="0" width="%s" height="%s" fill="%s"/>`+"\n", mindMapNum(width), mindMapNum(height), mindMapBackground)

	buf.WriteString(`<g fill="none" stroke-width="2" stroke-linecap="round">` + "\n")
	mindMapWriteEdges(&buf, tree)
	buf.WriteString("</g>\n")

	buf.WriteString(`<g text-anchor="middle">` + "\n")
	mindMapWriteBoxes(&buf, tree)
	buf.WriteString("</g>\n</svg>\n")
	return buf.Bytes()
}

// MindMapText flattens the map into one line of text: the text alternative
// of the drawing, «Тема: ветвь (подпункт; подпункт); ветвь.»
func MindMapText(root *MindMapNode) string {
	if root == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(root.Text)
	if len(root.Children) > 0 {
		b.WriteString(": ")
		for i, c := range root.Children {
			if i > 0 {
				b.WriteString("; ")
			}
			mindMapWriteText(&b, c)
		}
	}
	b.WriteString(".")
	return b.String()
}

func mindMapWriteText(b *strings.Builder, n *MindMapNode) {
	b.WriteString(n.Text)
	if len(n.Children) == 0 {
		return
	}
	b.WriteString(" (")
	for i, c := range n.Children {
		if i > 0 {
			b.WriteString("; ")
		}
		mindMapWriteText(b, c)
	}
	b.WriteString(")")
}

// mindMapLayoutBoxes builds the box tree with wrapped labels and box sizes.
// Each first-level branch takes the next colour scheme; its descendants keep it.
func mindMapLayoutBoxes(n *MindMapNode, depth int, colours mindMapColours) *mindMapBox {
	b := &mindMapBox{node: n, depth: depth, colours: colours}
	b.lines = mindMapWrap(n.Text, mindMapMaxLine)
	longest := 0
	for _, l := range b.lines {
		longest = max(longest, utf8.RuneCountInString(l))
	}
	charWidth := mindMapCharWidth
	if depth == 0 {
		charWidth *= mindMapBoldWidth
	}
	b.w = float64(longest)*charWidth + 2*mindMapPadX
	b.h = float64(len(b.lines))*mindMapLineHeight + 2*mindMapPadY
	palette := mindMapBranchColours()
	for i, c := range n.Children {
		cc := colours
		if depth == 0 {
			cc = palette[i%len(palette)]
		}
		b.children = append(b.children, mindMapLayoutBoxes(c, depth+1, cc))
	}
	return b
}

// mindMapMeasureHeight computes how much vertical room each subtree needs.
func mindMapMeasureHeight(b *mindMapBox) float64 {
	var children float64
	for i, c := range b.children {
		if i > 0 {
			children += mindMapRowGap
		}
		children += mindMapMeasureHeight(c)
	}
	b.subtreeH = max(b.h, children)
	return b.subtreeH
}

// mindMapPlace puts a subtree at top: children stacked in the middle of the
// room, the node itself centred against them.
func mindMapPlace(b *mindMapBox, top float64, colX []float64) {
	b.x = colX[b.depth]
	b.y = top + (b.subtreeH-b.h)/2
	var children float64
	for i, c := range b.children {
		if i > 0 {
			children += mindMapRowGap
		}
		children += c.subtreeH
	}
	y := top + (b.subtreeH-children)/2
	for _, c := range b.children {
		mindMapPlace(c, y, colX)
		y += c.subtreeH + mindMapRowGap
	}
}

func mindMapWriteEdges(buf *bytes.Buffer, b *mindMapBox) {
	x1, y1 := b.x+b.w, b.y+b.h/2
	for _, c := range b.children {
		x2, y2 := c.x, c.y+c.h/2
		mid := (x1 + x2) / 2
		fmt.Fprintf(buf, `<path d="M%s %s C%s %s %s %s %s %s" stroke="%s"/>`+"\n",
			mindMapNum(x1), mindMapNum(y1), mindMapNum(mid), mindMapNum(y1),
			mindMapNum(mid), mindMapNum(y2), mindMapNum(x2), mindMapNum(y2), c.colours.Stroke)
		mindMapWriteEdges(buf, c)
	}
}

func mindMapWriteBoxes(buf *bytes.Buffer, b *mindMapBox) {
	weight := ""
	if b.depth == 0 {
		weight = ` font-weight="bold"`
	}
	fmt.Fprintf(buf, `<g><rect x="%s" y="%s" width="%s" height="%s" rx="%d" ry="%d" fill="%s" stroke="%s" stroke-width="1.5"/>`,
		mindMapNum(b.x), mindMapNum(b.y), mindMapNum(b.w), mindMapNum(b.h), mindMapRadius, mindMapRadius, b.colours.Fill, b.colours.Stroke)
	cx := b.x + b.w/2
	fmt.Fprintf(buf, `<text fill="%s"%s>`, b.colours.Text, weight)
	for i, l := range b.lines {
		// The baseline sits about 0.8 em below the top of a line box.
		baseline := b.y + mindMapPadY + float64(i)*mindMapLineHeight + mindMapLineHeight*0.75
		fmt.Fprintf(buf, `<tspan x="%s" y="%s">%s</tspan>`, mindMapNum(cx), mindMapNum(baseline), mindMapEscape(l))
	}
	buf.WriteString("</text></g>\n")
	for _, c := range b.children {
		mindMapWriteBoxes(buf, c)
	}
}

// mindMapWrap breaks a label into lines of at most limit characters at
// spaces; a word longer than the limit is cut.
func mindMapWrap(text string, limit int) []string {
	var lines []string
	var cur []rune
	for _, word := range strings.Fields(text) {
		w := []rune(word)
		for len(w) > limit {
			if len(cur) > 0 {
				lines = append(lines, string(cur))
				cur = nil
			}
			lines = append(lines, string(w[:limit]))
			w = w[limit:]
		}
		switch {
		case len(w) == 0:
		case len(cur) == 0:
			cur = w
		case len(cur)+1+len(w) <= limit:
			cur = append(append(cur, ' '), w...)
		default:
			lines = append(lines, string(cur))
			cur = w
		}
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, string(cur))
	}
	return lines
}

// mindMapID derives the ids of <title> and <desc> from the map's text, so
// that two different maps inlined on one page do not share ids.
func mindMapID(root *MindMapNode) string {
	h := fnv.New32a()
	h.Write([]byte(MindMapText(root)))
	return fmt.Sprintf("mindmap-%08x", h.Sum32())
}

// mindMapEscape escapes text for XML character data and attribute values;
// characters that XML forbids become U+FFFD.
func mindMapEscape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s)) // writes to a bytes.Buffer never fail
	return b.String()
}

// mindMapNum prints a coordinate with at most one decimal.
func mindMapNum(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	return strings.TrimSuffix(s, ".0")
}
