package markdown

import (
	"html"
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Part is a run of text that is the same in both versions, added or removed.
type Part struct {
	Op   string // "same", "ins", "del"
	Text string
}

// Parts compares two texts line by line, then refines each changed run of
// lines word by word with the semantic cleanup, so that a changed word is
// shown as that word, not as the whole paragraph twice.
func Parts(before, after string) []Part {
	dmp := diffmatchpatch.New()
	a, b, lines := dmp.DiffLinesToRunes(before, after)
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(a, b, false), lines)
	var out []Part
	for i := 0; i < len(diffs); i++ {
		d := diffs[i]
		if d.Type == diffmatchpatch.DiffDelete && i+1 < len(diffs) && diffs[i+1].Type == diffmatchpatch.DiffInsert {
			out = append(out, wordParts(dmp, d.Text, diffs[i+1].Text)...)
			i++
			continue
		}
		out = append(out, Part{Op: opName(d.Type), Text: d.Text})
	}
	return out
}

// wordParts compares two runs of text word by word: each word and each run
// of other characters is one symbol, so that a changed word is shown whole
// («понедельникам» → «вторникам»), never as a few changed letters.
func wordParts(dmp *diffmatchpatch.DiffMatchPatch, before, after string) []Part {
	index := map[string]rune{}
	var tokens []string
	encode := func(s string) []rune {
		var out []rune
		for _, tok := range words(s) {
			r, ok := index[tok]
			if !ok {
				r = rune(len(tokens))
				index[tok] = r
				tokens = append(tokens, tok)
			}
			out = append(out, r)
		}
		return out
	}
	a, b := encode(before), encode(after)
	if len(tokens) >= 0xD800 {
		// The symbols would reach the surrogate range, which a string cannot
		// hold: compare such a long run character by character.
		var out []Part
		for _, x := range dmp.DiffCleanupSemantic(dmp.DiffMain(before, after, false)) {
			out = append(out, Part{Op: opName(x.Type), Text: x.Text})
		}
		return out
	}
	var out []Part
	for _, d := range dmp.DiffMainRunes(a, b, false) {
		var sb strings.Builder
		for _, r := range d.Text {
			sb.WriteString(tokens[r])
		}
		op := opName(d.Type)
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += sb.String()
			continue
		}
		out = append(out, Part{Op: op, Text: sb.String()})
	}
	return out
}

// words splits s into words (letters and digits) and the runs between them.
func words(s string) []string {
	var out []string
	start := 0
	inWord := false
	for i, r := range s {
		w := unicode.IsLetter(r) || unicode.IsDigit(r)
		if i > start && w != inWord {
			out = append(out, s[start:i])
			start = i
		}
		inWord = w
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func opName(t diffmatchpatch.Operation) string {
	switch t {
	case diffmatchpatch.DiffInsert:
		return "ins"
	case diffmatchpatch.DiffDelete:
		return "del"
	}
	return "same"
}

// Diff renders Parts as HTML: removed text in <del>, added in <ins>. Each
// change also carries visually hidden words, because screen readers do not
// announce ins and del, and colour alone must not carry the meaning
// (WCAG 1.4.1).
func Diff(before, after string) template.HTML {
	var sb strings.Builder
	for _, p := range Parts(before, after) {
		text := html.EscapeString(p.Text)
		switch p.Op {
		case "ins":
			sb.WriteString(`<ins><span class="visually-hidden">[добавлено: </span>` + text + `<span class="visually-hidden">]</span></ins>`)
		case "del":
			sb.WriteString(`<del><span class="visually-hidden">[удалено: </span>` + text + `<span class="visually-hidden">]</span></del>`)
		default:
			sb.WriteString(text)
		}
	}
	return template.HTML(sb.String()) // #nosec G203: every text part is escaped
}

// ChangedRunes counts the inserted and deleted characters of a comparison.
func ChangedRunes(parts []Part) (inserted, deleted int) {
	for _, p := range parts {
		switch p.Op {
		case "ins":
			inserted += len([]rune(p.Text))
		case "del":
			deleted += len([]rune(p.Text))
		}
	}
	return inserted, deleted
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

// listTag finds the tags that decide how a list item is numbered.
var listTag = regexp.MustCompile(`<(/?)(ol|ul|li)(\s[^>]*)?>`)

var olStart = regexp.MustCompile(`\sstart="([0-9]+)"`)

// textRenderer renders texts for comparison; headings keep their levels.
var textRenderer = New(0)

// Text is the text of Markdown src as a reader sees it: no «#» or «**»
// markers, each heading and paragraph on its own line, and every numbered
// point with its number as written («3. Третий» stays 3 even when the list
// starts there), because people cite acts and drafts by point.
func Text(src string) string {
	h, err := textRenderer.HTML(src)
	if err != nil {
		return src
	}
	type list struct {
		ordered bool
		next    int
	}
	var stack []list
	h = listTag.ReplaceAllStringFunc(h, func(tag string) string {
		m := listTag.FindStringSubmatch(tag)
		closing, name := m[1] == "/", m[2]
		switch {
		case name == "li" && !closing && len(stack) > 0:
			top := &stack[len(stack)-1]
			if !top.ordered {
				return tag + "– "
			}
			n := top.next
			top.next++
			return tag + strconv.Itoa(n) + ". "
		case name == "li":
			return tag
		case closing:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			// A nested list ends its own line.
			return tag + "\n"
		default:
			l := list{ordered: name == "ol", next: 1}
			if s := olStart.FindStringSubmatch(tag); s != nil {
				l.next, _ = strconv.Atoi(s[1])
			}
			stack = append(stack, l)
			return "\n" + tag
		}
	})
	return textRenderer.PlainHTML(h)
}

// TextParts compares what two Markdown texts say, not their markup: see
// Text. This is what a resident reads on a final-version page.
func TextParts(before, after string) []Part {
	return Parts(Text(before), Text(after))
}
