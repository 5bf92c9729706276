package acts

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// mindMapShape prints a tree as «Тема(Ветвь(Пункт),Ветвь)» for comparison.
func mindMapShape(n *MindMapNode) string {
	if n == nil {
		return "<nil>"
	}
	var b strings.Builder
	b.WriteString(n.Text)
	if len(n.Children) > 0 {
		b.WriteString("(")
		for i, c := range n.Children {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(mindMapShape(c))
		}
		b.WriteString(")")
	}
	return b.String()
}

func TestMindMapParseOutline(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{
			name: "title heading with two-space nesting",
			src: "# Субсидия малому бизнесу\n" +
				"- Кто получит\n" +
				"  - ИП\n" +
				"  - Малые предприятия\n" +
				"- Как подать\n" +
				"  - Лично\n" +
				"    - В МФЦ\n" +
				"  - На сайте\n",
			want: "Субсидия малому бизнесу(Кто получит(ИП,Малые предприятия),Как подать(Лично(В МФЦ),На сайте))",
		},
		{
			name: "first line without hash, four-space and star items",
			src: "\n\nБлагоустройство двора\n" +
				"* Что сделают\n" +
				"    * Детская площадка\n" +
				"    * Освещение\n" +
				"* Когда\n",
			want: "Благоустройство двора(Что сделают(Детская площадка,Освещение),Когда)",
		},
		{
			name: "tabs, numbered items, CRLF",
			src:  "# Сроки\r\n1. Приём заявок\r\n\t1) до 1 июня\r\n2. Решение\r\n",
			want: "Сроки(Приём заявок(до 1 июня),Решение)",
		},
		{
			name: "subheadings with lists under them",
			src: "# Порядок\n" +
				"## Заявитель\n" +
				"- подаёт заявку\n" +
				"### Документы\n" +
				"- паспорт\n" +
				"## Комиссия\n" +
				"- рассматривает\n",
			want: "Порядок(Заявитель(подаёт заявку,Документы(паспорт)),Комиссия(рассматривает))",
		},
		{
			name: "inline markup reduced to text, wrapped line continues the item",
			src: "# **Новый** порядок\n" +
				"- См. [постановление](https://example.ru/act/96)\n" +
				"  от 26.02.2010\n",
			want: "Новый порядок(См. постановление от 26.02.2010)",
		},
		{
			name: "dedent back past several levels",
			src:  "# A\n- b\n  - c\n    - d\n- e\n",
			want: "A(b(c(d)),e)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, err := ParseOutline(tt.src)
			if err != nil {
				t.Fatalf("ParseOutline: %v", err)
			}
			if got := mindMapShape(root); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestMindMapParseOutlineErrors(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		wantErr  error
		wantText string
	}{
		{name: "empty", src: "", wantErr: ErrEmptyOutline, wantText: "схема пуста"},
		{name: "only blanks", src: " \n\t\n", wantErr: ErrEmptyOutline, wantText: "схема пуста"},
		{name: "title without text", src: "#\n- ветвь", wantText: "строка 1: у схемы нет темы"},
		{name: "empty item", src: "# Тема\n- ветвь\n- \n", wantText: "строка 3: пустой пункт"},
		{name: "second topic", src: "# Тема\n- ветвь\n# Ещё тема\n", wantText: "строка 3: тема схемы уже задана в строке 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, err := ParseOutline(tt.src)
			if err == nil {
				t.Fatalf("want error, got tree %s", mindMapShape(root))
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v is not %v", err, tt.wantErr)
			}
			if !strings.Contains(strings.ToLower(err.Error()), tt.wantText) {
				t.Errorf("error %q does not mention %q", err, tt.wantText)
			}
		})
	}
}

// mindMapSVGDoc is what the test reads back from the rendered SVG.
type mindMapSVGDoc struct {
	rootAttrs map[string]string
	title     string
	titleID   string
	desc      string
	descID    string
	texts     []string // every <tspan>, in order
	elements  map[string]int
}

func mindMapDecodeSVG(t *testing.T, svg []byte) mindMapSVGDoc {
	t.Helper()
	doc := mindMapSVGDoc{rootAttrs: map[string]string{}, elements: map[string]int{}}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var stack []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			doc.elements[tok.Name.Local]++
			if len(stack) == 0 {
				if tok.Name.Local != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg" {
					t.Fatalf("root element is %v, want svg in the SVG namespace", tok.Name)
				}
				for _, a := range tok.Attr {
					doc.rootAttrs[a.Name.Local] = a.Value
				}
			}
			for _, a := range tok.Attr {
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
					t.Errorf("event handler attribute %s on <%s>", a.Name.Local, tok.Name.Local)
				}
				if a.Name.Local == "id" && tok.Name.Local == "title" {
					doc.titleID = a.Value
				}
				if a.Name.Local == "id" && tok.Name.Local == "desc" {
					doc.descID = a.Value
				}
			}
			stack = append(stack, tok.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			switch stack[len(stack)-1] {
			case "title":
				doc.title += string(tok)
			case "desc":
				doc.desc += string(tok)
			case "tspan":
				doc.texts = append(doc.texts, string(tok))
			}
		}
	}
	return doc
}

func TestMindMapRenderAccessibleSVG(t *testing.T) {
	root, err := ParseOutline("# Субсидия малому бизнесу\n- Кто получит\n  - ИП\n- Как подать\n  - Лично в МФЦ\n")
	if err != nil {
		t.Fatal(err)
	}
	svg := RenderMindMapSVG(root)
	doc := mindMapDecodeSVG(t, svg)

	for attr, want := range map[string]string{
		"role":        "img",
		"font-family": "sans-serif",
	} {
		if got := doc.rootAttrs[attr]; got != want {
			t.Errorf("svg %s = %q, want %q", attr, got, want)
		}
	}
	if want := doc.titleID + " " + doc.descID; doc.titleID == "" || doc.rootAttrs["aria-labelledby"] != want {
		t.Errorf("aria-labelledby = %q, want %q", doc.rootAttrs["aria-labelledby"], want)
	}
	if doc.title != "Интеллект-карта: Субсидия малому бизнесу" {
		t.Errorf("title = %q", doc.title)
	}
	if want := "Субсидия малому бизнесу: Кто получит (ИП); Как подать (Лично в МФЦ)."; doc.desc != want {
		t.Errorf("desc = %q\nwant   %q", doc.desc, want)
	}
	vb := strings.Fields(doc.rootAttrs["viewBox"])
	if len(vb) != 4 {
		t.Fatalf("viewBox = %q", doc.rootAttrs["viewBox"])
	}
	for _, v := range vb {
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			t.Errorf("viewBox value %q: %v", v, err)
		}
	}
	if doc.elements["script"] != 0 || doc.elements["foreignObject"] != 0 {
		t.Errorf("SVG must not carry script or foreignObject: %v", doc.elements)
	}
	if doc.elements["rect"] != 1+5 { // background and five boxes
		t.Errorf("rect count = %d, want 6", doc.elements["rect"])
	}
	if doc.elements["path"] != 4 { // one line per parent-child pair
		t.Errorf("path count = %d, want 4", doc.elements["path"])
	}
	if got := strings.Join(doc.texts, "|"); !strings.Contains(got, "Кто получит") || !strings.Contains(got, "Лично в МФЦ") {
		t.Errorf("labels = %q", got)
	}
}

func TestMindMapRenderEscapesText(t *testing.T) {
	evil := `<script>alert("x")</script> & 'кавычки' "двойные" ]]> <!-- `
	root := &MindMapNode{
		Text:     evil,
		Children: []*MindMapNode{{Text: "A & B <b>"}, {Text: "ok\x00\x1b"}},
	}
	svg := RenderMindMapSVG(root)
	for _, bad := range []string{"<script", "<b>", "<!--", "]]>", "\x00", "\x1b"} {
		if bytes.Contains(svg, []byte(bad)) {
			t.Errorf("raw %q reached the SVG:\n%s", bad, svg)
		}
	}
	doc := mindMapDecodeSVG(t, svg)
	if doc.elements["script"] != 0 || doc.elements["b"] != 0 {
		t.Errorf("markup from the text became elements: %v", doc.elements)
	}
	if !strings.Contains(doc.title, `<script>alert("x")</script> & 'кавычки'`) {
		t.Errorf("title lost the text: %q", doc.title)
	}
	if !strings.Contains(doc.desc, "A & B <b>") {
		t.Errorf("desc lost the text: %q", doc.desc)
	}
	if got := strings.Join(doc.texts, " "); !strings.Contains(got, "A & B <b>") {
		t.Errorf("labels lost the text: %q", got)
	}
}

func TestMindMapRenderWrapsLongLabels(t *testing.T) {
	long := "Порядок предоставления субсидий субъектам малого и среднего предпринимательства"
	svg := RenderMindMapSVG(&MindMapNode{Text: "Тема", Children: []*MindMapNode{{Text: long}}})
	doc := mindMapDecodeSVG(t, svg)
	// One line for the topic, several for the long label.
	if len(doc.texts) < 4 {
		t.Fatalf("long label not wrapped: %q", doc.texts)
	}
	if got := strings.Join(doc.texts[1:], " "); got != long {
		t.Errorf("wrapped lines join to %q, want %q", got, long)
	}
	for _, l := range doc.texts {
		if n := len([]rune(l)); n > mindMapMaxLine {
			t.Errorf("line %q has %d characters, limit %d", l, n, mindMapMaxLine)
		}
	}
}

func TestMindMapWrap(t *testing.T) {
	tests := []struct {
		text  string
		limit int
		want  []string
	}{
		{"", 10, []string{""}},
		{"коротко", 10, []string{"коротко"}},
		{"раз два три четыре", 8, []string{"раз два", "три", "четыре"}},
		{"сверхдлинноеслово да", 5, []string{"сверх", "длинн", "оесло", "во да"}},
	}
	for _, tt := range tests {
		got := mindMapWrap(tt.text, tt.limit)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("mindMapWrap(%q, %d) = %q, want %q", tt.text, tt.limit, got, tt.want)
		}
	}
}

func TestMindMapRenderNilAndDistinctIDs(t *testing.T) {
	doc := mindMapDecodeSVG(t, RenderMindMapSVG(nil))
	if doc.title == "" || doc.desc == "" {
		t.Errorf("empty map needs a title and desc too: %+v", doc)
	}
	a := mindMapDecodeSVG(t, RenderMindMapSVG(&MindMapNode{Text: "Первая"}))
	b := mindMapDecodeSVG(t, RenderMindMapSVG(&MindMapNode{Text: "Вторая"}))
	if a.titleID == b.titleID {
		t.Errorf("two maps share the id %q; inlined on one page they would clash", a.titleID)
	}
}

// mindMapContrast is the WCAG 2.1 contrast ratio of two #rrggbb colours.
func mindMapContrast(t *testing.T, c1, c2 string) float64 {
	t.Helper()
	lum := func(hex string) float64 {
		v, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
		if err != nil || len(hex) != 7 {
			t.Fatalf("bad colour %q", hex)
		}
		ch := func(shift uint) float64 {
			c := float64((v>>shift)&0xff) / 255
			if c <= 0.03928 {
				return c / 12.92
			}
			return math.Pow((c+0.055)/1.055, 2.4)
		}
		return 0.2126*ch(16) + 0.7152*ch(8) + 0.0722*ch(0)
	}
	l1, l2 := lum(c1), lum(c2)
	if l1 < l2 {
		l1, l2 = l2, l1
	}
	return (l1 + 0.05) / (l2 + 0.05)
}

func TestMindMapColoursMeetWCAGAA(t *testing.T) {
	schemes := append([]mindMapColours{mindMapRootColours()}, mindMapBranchColours()...)
	for _, c := range schemes {
		if r := mindMapContrast(t, c.Text, c.Fill); r < 4.5 {
			t.Errorf("text %s on %s: contrast %.2f < 4.5", c.Text, c.Fill, r)
		}
		if r := mindMapContrast(t, c.Stroke, mindMapBackground); r < 3 {
			t.Errorf("line %s on %s: contrast %.2f < 3", c.Stroke, mindMapBackground, r)
		}
	}
}
