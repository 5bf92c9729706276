package roadmap

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
)

const summaryGolden = "testdata/roadmap-2018-summary.json"

// The summary of the seed is kept as a golden file: it is what
// `glasnost roadmap import --dry-run` prints, and a change to it is a change
// to the command's output. Rewrite it with -update.
func TestSummarySeedGolden(t *testing.T) {
	got, err := Summary(importSeed(t))
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(summaryGolden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(summaryGolden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("summary differs from %s; run go test -run TestSummary -update and review the diff", summaryGolden)
	}
}

func TestSummaryShape(t *testing.T) {
	out, err := Summary(importSeed(t))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Mechanisms int               `json:"mechanisms"`
		Measures   int               `json:"measures"`
		Unparsed   []string          `json:"unparsed"`
		Items      []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(out, &s); err != nil {
		t.Fatal(err)
	}
	if s.Mechanisms != 10 || s.Measures != 33 || len(s.Items) != 33 || s.Unparsed == nil || len(s.Unparsed) != 0 {
		t.Errorf("mechanisms %d, measures %d, items %d, unparsed %v", s.Mechanisms, s.Measures, len(s.Items), s.Unparsed)
	}
	if bytes.Contains(out, []byte(`"warnings"`)) {
		t.Error("warnings present although there are none")
	}
	// Items are compared as JSON text, so that a field left out or null is seen.
	for i, want := range map[int]string{
		0:  `{"number":"1.1","mechanism":1,"responsible":["Управление делами"],"indicator":null,"schedule":{"kind":"deadline","to":"2018-11-01","text":"До 01.11.2018 года"}}`,
		6:  `{"number":"4.2","mechanism":4,"responsible":["Управление делами"],"indicator":{"kind":"публикации","target":1},"schedule":{"kind":"period","from":"2018-01-01","to":"2018-12-31","text":"В течение 2018 года"}}`,
		16: `{"number":"6.1","mechanism":6,"responsible":["Комитет экономики и муниципального заказа"],"indicator":{"kind":"референтные группы","target":8,"limit":true},"schedule":{"kind":"period","from":"2018-04-01","to":"2018-06-30","text":"2 квартал 2018 года"}}`,
		28: `{"number":"9.2","mechanism":9,"responsible":["Управление делами"],"indicator":null,"schedule":{"kind":"recurring","from":"2018-01-01","to":"2019-12-31","every":"quarter","text":"Ежеквартально"}}`,
		32: `{"number":"10.4","mechanism":10,"responsible":["Пресс-секретарь"],"indicator":null,"schedule":{"kind":"recurring","from":"2018-01-01","to":"2019-12-31","every":"on-demand","text":"По мере поступления"}}`,
	} {
		var got bytes.Buffer
		if err := json.Compact(&got, s.Items[i]); err != nil {
			t.Fatal(err)
		}
		if got.String() != want {
			t.Errorf("item %d\n got %s\nwant %s", i, got.String(), want)
		}
	}
}

func TestSummaryUnparsedAndEmpty(t *testing.T) {
	res := ImportResult{
		Roadmap: Roadmap{Mechanisms: []Mechanism{{Number: 1, Measures: []Measure{
			{Number: "1.1", Schedule: ParseSchedule("По согласованию & по плану")},
		}}}},
		Unparsed: []string{"По согласованию & по плану"},
		Warnings: []string{"мероприятие 1.1: срок не указан"},
	}
	out, err := Summary(res)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	item := got["items"].([]any)[0].(map[string]any)
	sched := item["schedule"].(map[string]any)
	if len(sched) != 2 || sched["kind"] != "unparsed" || sched["text"] != "По согласованию & по плану" {
		t.Errorf("schedule %v, want only kind and text", sched)
	}
	if r, ok := item["responsible"].([]any); !ok || len(r) != 0 {
		t.Errorf("responsible %v, want []", item["responsible"])
	}
	if _, ok := item["indicator"]; !ok || item["indicator"] != nil {
		t.Errorf("indicator %v, want null", item["indicator"])
	}
	if !bytes.Contains(out, []byte("По согласованию & по плану")) {
		t.Error("& escaped")
	}
	if w := got["warnings"].([]any); len(w) != 1 {
		t.Errorf("warnings %v", w)
	}

	out, err = Summary(ImportResult{})
	if err != nil {
		t.Fatal(err)
	}
	var empty map[string]any
	if err := json.Unmarshal(out, &empty); err != nil {
		t.Fatal(err)
	}
	if u, ok := empty["unparsed"].([]any); !ok || len(u) != 0 {
		t.Errorf("unparsed %v, want []", empty["unparsed"])
	}
	if it, ok := empty["items"].([]any); !ok || len(it) != 0 {
		t.Errorf("items %v, want []", empty["items"])
	}
}
