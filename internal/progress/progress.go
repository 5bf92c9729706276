// Package progress tells a person at a terminal how long work is going:
// generating load-test data, importing a large plan, backing up. On a
// terminal it redraws one line; elsewhere (a log, CI) it prints a plain
// line every few seconds and one at the end of each step, so that output
// read by a program stays readable. Work reports through the context, so
// that areas need no new parameters.
package progress

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Reporter receives progress. Start begins a named step of total units (0
// when unknown); Add counts units done; Done ends the step.
type Reporter interface {
	Start(step string, total int)
	Add(n int)
	Done()
}

type ctxKey struct{}

// With returns a context that carries r.
func With(ctx context.Context, r Reporter) context.Context {
	return context.WithValue(ctx, ctxKey{}, r)
}

// From returns the reporter of ctx, or one that reports nothing.
func From(ctx context.Context) Reporter {
	if r, ok := ctx.Value(ctxKey{}).(Reporter); ok {
		return r
	}
	return nop{}
}

type nop struct{}

func (nop) Start(string, int) {}
func (nop) Add(int)           {}
func (nop) Done()             {}

// IsTerminal reports whether w is a character device (a terminal).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Writer reports to w: a redrawn line on a terminal, periodic lines
// otherwise. It keeps the steps for Summary.
type Writer struct {
	w        io.Writer
	terminal bool
	every    time.Duration
	now      func() time.Time

	mu      sync.Mutex
	step    string
	total   int
	done    int
	started time.Time
	last    time.Time
	steps   []Step
}

// Step is a finished step.
type Step struct {
	Name  string
	Done  int
	Spent time.Duration
}

// NewWriter reports to w; terminal selects the redrawn line.
func NewWriter(w io.Writer, terminal bool) *Writer {
	return &Writer{w: w, terminal: terminal, every: 5 * time.Second, now: time.Now}
}

// Start begins a step.
func (p *Writer) Start(step string, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.step, p.total, p.done = step, total, 0
	p.started = p.now()
	p.last = p.started
	if !p.terminal {
		fmt.Fprintf(p.w, "%s: начато%s\n", step, ofTotal(total))
	}
	p.draw()
}

// Add counts units done.
func (p *Writer) Add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	now := p.now()
	if p.terminal {
		if now.Sub(p.last) >= 100*time.Millisecond {
			p.last = now
			p.draw()
		}
		return
	}
	if now.Sub(p.last) >= p.every {
		p.last = now
		fmt.Fprintf(p.w, "%s: %s\n", p.step, p.count())
	}
}

// Done ends the step with a line that says what it did and how long it took.
func (p *Writer) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	spent := p.now().Sub(p.started)
	p.steps = append(p.steps, Step{Name: p.step, Done: p.done, Spent: spent})
	if p.terminal {
		fmt.Fprint(p.w, "\r\033[K")
	}
	if p.done == 0 {
		fmt.Fprintf(p.w, "%s: готово за %s\n", p.step, seconds(spent))
		return
	}
	fmt.Fprintf(p.w, "%s: готово, %s за %s\n", p.step, Number(p.done), seconds(spent))
}

// Steps are the finished steps, in order.
func (p *Writer) Steps() []Step {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Step(nil), p.steps...)
}

func (p *Writer) draw() {
	if !p.terminal {
		return
	}
	const width = 30
	bar := ""
	if p.total > 0 {
		filled := min(p.done*width/p.total, width)
		bar = "[" + strings.Repeat("#", filled) + strings.Repeat(".", width-filled) + "] "
	}
	fmt.Fprintf(p.w, "\r\033[K%s: %s%s", p.step, bar, p.count())
}

func (p *Writer) count() string {
	if p.total > 0 {
		return fmt.Sprintf("%s из %s (%d%%)", Number(p.done), Number(p.total), p.done*100/p.total)
	}
	return Number(p.done)
}

func ofTotal(total int) string {
	if total > 0 {
		return ", всего " + Number(total)
	}
	return ""
}

func seconds(d time.Duration) string {
	return strings.Replace(fmt.Sprintf("%.1f с", d.Seconds()), ".", ",", 1)
}

// Number writes n as Russians do: 1 000 320 (thin groups by a no-break space).
func Number(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
