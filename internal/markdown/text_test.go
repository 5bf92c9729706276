package markdown

import (
	"strings"
	"testing"
)

// The final-version page compares what the texts say: a resident must see
// «Цель 1.», not «# Цель 1.», and points keep the numbers they are cited by.
func TestTextKeepsHeadingsAndPointNumbersWithoutMarkers(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string // lines that must be present, in this order
		never     []string
	}{
		{"heading", "# Цель 1.\n\nОбеспечить **доступность**.", []string{"Цель 1.", "Обеспечить доступность."}, []string{"#", "**"}},
		{"section 2 starts at point 3", "## Раздел 1\n\n1. Первый\n2. Второй\n\n## Раздел 2\n\n3. Третий\n4. Четвёртый",
			[]string{"Раздел 1", "1. Первый", "2. Второй", "Раздел 2", "3. Третий", "4. Четвёртый"}, []string{"#"}},
		{"nested bullets keep the outer count", "5. Пятый\n   - вложенный\n6. Шестой", []string{"5. Пятый", "– вложенный", "6. Шестой"}, nil},
		{"bullets", "- один\n- два", []string{"– один", "– два"}, []string{"- "}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Text(c.src)
			var lines []string
			for _, l := range strings.Split(got, "\n") {
				if l != "" {
					lines = append(lines, l)
				}
			}
			if strings.Join(lines, "|") != strings.Join(c.want, "|") {
				t.Errorf("Text(%q) lines = %q, want %q", c.src, lines, c.want)
			}
			for _, n := range c.never {
				if strings.Contains(got, n) {
					t.Errorf("Text(%q) = %q still has %q", c.src, got, n)
				}
			}
		})
	}
}

func TestTextPartsDiffTheTextNotTheMarkup(t *testing.T) {
	cases := []struct {
		name, before, after string
		ins, del, same      string
	}{
		{"renamed goal", "# Цель 1.\n\nТекст.", "# Цель 2.\n\nТекст.", "2", "1", "Цель "},
		{"point added keeps numbers", "3. Третий\n4. Четвёртый", "3. Третий\n4. Новый\n5. Четвёртый", "Новый", "", "3. Третий"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ins, del, same strings.Builder
			for _, p := range TextParts(c.before, c.after) {
				if strings.Contains(p.Text, "#") {
					t.Errorf("part %+v shows a Markdown marker", p)
				}
				switch p.Op {
				case "ins":
					ins.WriteString(p.Text)
				case "del":
					del.WriteString(p.Text)
				default:
					same.WriteString(p.Text)
				}
			}
			if !strings.Contains(ins.String(), c.ins) || !strings.Contains(del.String(), c.del) || !strings.Contains(same.String(), c.same) {
				t.Errorf("ins %q del %q same %q; want ins ⊇ %q, del ⊇ %q, same ⊇ %q", ins.String(), del.String(), same.String(), c.ins, c.del, c.same)
			}
		})
	}
}
