package chart

import (
	"encoding/xml"
	"strings"
	"testing"
)

func TestBarsIsAccessibleEscapedAndWellFormed(t *testing.T) {
	svg := string(Bars("c1", "По темам <x>", []Bar{{Label: "Дороги & <b>", Value: 10}, {Label: "ЖКХ", Value: 0}}))
	if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, svg)
	}
	for _, want := range []string{`role="img"`, `aria-labelledby="c1-title c1-desc"`, "По темам &lt;x&gt;", "Дороги &amp; &lt;b&gt;: 10; ЖКХ: 0", `class="chart-value">10<`} {
		if !strings.Contains(svg, want) {
			t.Errorf("lacks %q:\n%s", want, svg)
		}
	}
	many := make([]Bar, 40)
	if got := strings.Count(string(Bars("c2", "t", many)), "<rect"); got != MaxBars {
		t.Errorf("%d bars drawn, want %d", got, MaxBars)
	}
}
