package consult

import (
	"html/template"
	"regexp"
	"strings"

	"github.com/glasnost/glasnost/internal/markdown"
)

// Block is one addressable part of a draft: a heading (section, chapter,
// article) or a numbered point, with the text up to the next block. Readers
// comment on a block by its Anchor, which is built from its number so that
// the same point keeps its address from one version to the next.
type Block struct {
	Anchor  string
	Kind    string // "heading", "point" or "text"
	Level   int    // heading level, or depth of the point number
	Number  string // "1.2", "а)", "" for unnumbered text
	Heading string // heading text, for headings
	Text    string // Markdown text of the block
}

// Label is how the block is named in a summary: «п. 1.2», «раздел …».
func (b Block) Label() string {
	switch {
	case b.Kind == "point" && b.Number != "":
		return "п. " + strings.TrimSuffix(b.Number, ".")
	case b.Kind == "heading":
		return b.Heading
	}
	return "преамбула"
}

var (
	headingRe = regexp.MustCompile(`^(#{1,6})\s+(.+?)\s*#*\s*$`)
	// A numbered point: «1.», «1.2.», «1.2.3», «12)», «а)» at the start of a line.
	pointRe = regexp.MustCompile(`^\s{0,3}((?:\d{1,3}\.)+\d{0,3}|\d{1,3}\)|[а-яё]\))\s+(\S.*)$`)
	// A heading's own number: «Статья 5», «Глава 2», «Раздел III», «1.».
	headingNumberRe = regexp.MustCompile(`^(?:(?:Статья|Глава|Раздел|Часть)\s+)?([0-9IVXLC]+(?:\.[0-9]+)*)\.?(?:\s|$)`)
	anchorCleanRe   = regexp.MustCompile(`[^0-9a-zа-яё]+`)
)

// ParseDraft splits a Markdown draft into blocks: each heading and each
// numbered point starts a block; the text before the first is the preamble.
// Sub-points «а)», «1)» take their parent point's number as a prefix so
// that their anchors are unique (п. 2.1 а)).
func ParseDraft(src string) []Block {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	var blocks []Block
	var cur *Block
	var buf []string
	parent := ""
	flush := func() {
		text := strings.TrimSpace(strings.Join(buf, "\n"))
		buf = buf[:0]
		if cur == nil {
			if text != "" {
				blocks = append(blocks, Block{Anchor: "preamble", Kind: "text", Text: text})
			}
			return
		}
		cur.Text = text
		blocks = append(blocks, *cur)
	}
	inFence := false
	for _, line := range strings.Split(src, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inFence = !inFence
		}
		if inFence {
			buf = append(buf, line)
			continue
		}
		if m := headingRe.FindStringSubmatch(line); m != nil {
			flush()
			h := strings.TrimSpace(m[2])
			b := Block{Kind: "heading", Level: len(m[1]), Heading: h}
			if n := headingNumberRe.FindStringSubmatch(h); n != nil {
				b.Number = n[1]
			}
			cur = &b
			parent = ""
			continue
		}
		if m := pointRe.FindStringSubmatch(line); m != nil {
			flush()
			num := m[1]
			b := Block{Kind: "point", Number: num}
			if strings.HasSuffix(num, ")") {
				b.Level = strings.Count(parent, ".") + 2
				if parent != "" {
					b.Number = strings.TrimSuffix(parent, ".") + " " + num
				}
			} else {
				b.Level = strings.Count(strings.TrimSuffix(num, "."), ".") + 1
				parent = num
			}
			buf = append(buf, m[2])
			cur = &b
			continue
		}
		buf = append(buf, line)
	}
	flush()
	assignAnchors(blocks)
	return blocks
}

// assignAnchors names blocks by their number (or heading text) and keeps
// anchors unique within the draft.
func assignAnchors(blocks []Block) {
	seen := map[string]int{}
	for i := range blocks {
		b := &blocks[i]
		var base string
		switch {
		case b.Anchor != "":
			base = b.Anchor
		case b.Kind == "point":
			base = "p-" + slug(b.Number)
		case b.Number != "":
			base = "s-" + slug(b.Number)
		default:
			base = "s-" + slug(b.Heading)
			if r := []rune(base); len(r) > 40 {
				base = strings.TrimRight(string(r[:40]), "-")
			}
		}
		seen[base]++
		if n := seen[base]; n > 1 {
			base += "-" + itoa(n)
		}
		b.Anchor = base
	}
}

func slug(s string) string {
	s = strings.ToLower(s)
	s = anchorCleanRe.ReplaceAllString(s, "-")
	return strings.Trim(s, "-")
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// FindBlock returns the block with the anchor.
func FindBlock(blocks []Block, anchor string) (Block, bool) {
	for _, b := range blocks {
		if b.Anchor == anchor {
			return b, true
		}
	}
	return Block{}, false
}

// PlainText is the draft's text without Markdown marks, for search and
// quotes.
func PlainText(blocks []Block) string {
	var b strings.Builder
	for _, bl := range blocks {
		if bl.Kind == "heading" {
			b.WriteString(bl.Heading)
			b.WriteString("\n")
		}
		if bl.Kind == "point" {
			b.WriteString(bl.Number + " ")
		}
		b.WriteString(bl.Text)
		b.WriteString("\n")
	}
	return b.String()
}

// blockText renders blocks' Markdown: authored heading levels, the
// portal's one sanitiser policy.
var blockText = markdown.New(0)

// RenderMarkdown renders a block's Markdown as sanitised HTML.
func RenderMarkdown(src string) template.HTML { return blockText.Safe(src) }
