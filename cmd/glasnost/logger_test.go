package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// Log shippers read one JSON object per line; an administrator asks for it
// with GLASNOST_LOG_FORMAT=json and may lower the level for a diagnosis.
func TestLoggerFormatAndLevel(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, format, level string
		json, debugShown    bool
	}{
		{"default is text at info", "", "", false, false},
		{"json on request", "json", "", true, false},
		{"JSON in any case", "JSON", "", true, false},
		{"debug level", "", "debug", false, true},
		{"unknown level keeps info", "json", "chatty", true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			env := map[string]string{"GLASNOST_LOG_FORMAT": c.format, "GLASNOST_LOG_LEVEL": c.level}
			log := loggerFor(&buf, func(k string) string { return env[k] })
			log.Debug("подробность")
			log.Info("запуск", "addr", "127.0.0.1:8080")
			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			if got := strings.Contains(buf.String(), "подробность"); got != c.debugShown {
				t.Fatalf("debug line shown = %v, want %v:\n%s", got, c.debugShown, buf.String())
			}
			last := lines[len(lines)-1]
			var obj map[string]any
			isJSON := json.Unmarshal([]byte(last), &obj) == nil
			if isJSON != c.json {
				t.Fatalf("line %q: JSON = %v, want %v", last, isJSON, c.json)
			}
			if isJSON && (obj["msg"] != "запуск" || obj["addr"] != "127.0.0.1:8080") {
				t.Fatalf("JSON line lost fields: %v", obj)
			}
		})
	}
}
