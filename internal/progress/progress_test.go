package progress

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestPlainLinesWhenNotATerminal(t *testing.T) {
	var out bytes.Buffer
	p := NewWriter(&out, false)
	clock := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	p.now = func() time.Time { return clock }
	ctx := With(context.Background(), p)
	r := From(ctx)
	r.Start("Обращения", 10000)
	for range 10 {
		clock = clock.Add(time.Second)
		r.Add(1000)
	}
	r.Done()
	want := "Обращения: начато, всего 10\u00a0000\n" +
		"Обращения: 5\u00a0000 из 10\u00a0000 (50%)\n" +
		"Обращения: 10\u00a0000 из 10\u00a0000 (100%)\n" +
		"Обращения: готово, 10\u00a0000 за 10,0 с\n"
	if out.String() != want {
		t.Errorf("output:\n%q\nwant\n%q", out.String(), want)
	}
	if strings.Contains(out.String(), "\r") {
		t.Error("carriage returns in non-terminal output")
	}
	if st := p.Steps(); len(st) != 1 || st[0].Done != 10000 {
		t.Errorf("steps %+v", st)
	}
}

func TestTerminalRedrawsOneLine(t *testing.T) {
	var out bytes.Buffer
	p := NewWriter(&out, true)
	p.Start("Акты", 4)
	p.Add(2)
	if !strings.Contains(out.String(), "\rАкты") && !strings.Contains(out.String(), "Акты: [") {
		t.Errorf("no bar: %q", out.String())
	}
}

func TestFromWithoutReporterIsSilent(t *testing.T) {
	if _, ok := From(context.Background()).(nop); !ok {
		t.Fatal("work without a reporter must report nothing")
	}
}

func TestNumber(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1\u00a0000", 1000320: "1\u00a0000\u00a0320", -12345: "-12\u00a0345"} {
		if got := Number(n); got != want {
			t.Errorf("Number(%d) = %q, want %q", n, got, want)
		}
	}
}
