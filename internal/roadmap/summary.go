package roadmap

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// The JSON shapes of `glasnost roadmap import`. They are separate from the
// domain types so that the output is a contract the types can change under.
type summaryJSON struct {
	Mechanisms int           `json:"mechanisms"`
	Measures   int           `json:"measures"`
	Unparsed   []string      `json:"unparsed"`
	Warnings   []string      `json:"warnings,omitempty"`
	Items      []summaryItem `json:"items"`
}

type summaryItem struct {
	Number      string            `json:"number"`
	Mechanism   int               `json:"mechanism"`
	Responsible []string          `json:"responsible"`
	Indicator   *summaryIndicator `json:"indicator"`
	Schedule    summarySchedule   `json:"schedule"`
}

type summaryIndicator struct {
	Kind   string `json:"kind"`
	Target int    `json:"target"`
	Limit  bool   `json:"limit,omitempty"`
}

type summarySchedule struct {
	Kind  ScheduleKind `json:"kind"`
	From  string       `json:"from,omitempty"`
	To    string       `json:"to,omitempty"`
	Every Frequency    `json:"every,omitempty"`
	Text  string       `json:"text"`
}

// Summary is the JSON the import command prints: the counts, the wordings not
// understood, and per measure its number, mechanism, responsible units,
// indicator (null when none) and schedule. Fields that do not apply, such as
// the start of a deadline, are left out; lists are [] rather than null. The
// JSON is indented and ends with a newline, ready to print.
func Summary(r ImportResult) ([]byte, error) {
	out := summaryJSON{
		Mechanisms: len(r.Roadmap.Mechanisms),
		Measures:   r.Roadmap.MeasureCount(),
		Unparsed:   nonNil(r.Unparsed),
		Warnings:   r.Warnings,
		Items:      []summaryItem{},
	}
	for _, m := range r.Roadmap.Mechanisms {
		for _, ms := range m.Measures {
			item := summaryItem{
				Number:      ms.Number,
				Mechanism:   m.Number,
				Responsible: nonNil(ms.Responsible),
				Schedule: summarySchedule{
					Kind:  ms.Schedule.Kind,
					From:  day(ms.Schedule.From),
					To:    day(ms.Schedule.To),
					Every: ms.Schedule.Every,
					Text:  ms.Schedule.Text,
				},
			}
			if ind := ms.Indicator; ind != nil {
				item.Indicator = &summaryIndicator{Kind: ind.Kind, Target: ind.Target, Limit: ind.Limit}
			}
			out.Items = append(out.Items, item)
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // texts are shown to people, «&» should stay «&»
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("roadmap: encode summary: %w", err)
	}
	return buf.Bytes(), nil
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
