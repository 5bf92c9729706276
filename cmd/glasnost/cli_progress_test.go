package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// TestDemoScaleReportsProgress runs `glasnost demo --scale 1` with its
// output going to a buffer, not a terminal: it must print plain lines (no
// carriage returns) that name each step and end with what it made.
func TestDemoScaleReportsProgress(t *testing.T) {
	if testing.Short() {
		t.Skip("generates load-test data")
	}
	out, err := runCLI(t, dbtest.URL(t, db.SQLite), "", "demo", "--scale", "1")
	if err != nil {
		t.Fatalf("demo --scale 1: %v\n%s", err, out)
	}
	if strings.Contains(out, "\r") {
		t.Errorf("a redrawn line in non-terminal output:\n%q", out)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^Демонстрационное наполнение: Правовые акты: готово за \d+,\d с$`),
		regexp.MustCompile(`(?m)^Правовые акты: начато, всего 100$`),
		regexp.MustCompile(`(?m)^Правовые акты: готово, 100 за \d+,\d с$`),
		regexp.MustCompile(`(?m)^Замечания к проектам: готово, 1\x{a0}000 за \d+,\d с$`),
		regexp.MustCompile(`(?m)^Обращения граждан: готово, 10\x{a0}000 за \d+,\d с$`),
		regexp.MustCompile(`(?m)^Демонстрационные данные загружены за \d+ с\.$`),
	} {
		if !want.MatchString(out) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
}
