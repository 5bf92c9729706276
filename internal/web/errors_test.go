package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestValidationErrorReadsAsItsSentence: a rule's web.Invalid reaches a
// person as its Russian sentence, with the prefix a parser adds, and as a
// 422 with the code "invalid" for the API, however deeply it is wrapped.
func TestValidationErrorReadsAsItsSentence(t *testing.T) {
	rule := Invalid("Пароль слишком длинный (не более 72 байт).")
	cases := []struct {
		name string
		err  error
		text string
	}{
		{"as returned", rule, "Пароль слишком длинный (не более 72 байт)."},
		{"with a row prefix", fmt.Errorf("Строка 3: %w", rule), "Строка 3: Пароль слишком длинный (не более 72 байт)."},
		{"wrapped twice", fmt.Errorf("save: %w", fmt.Errorf("Строка 3: %w", rule)), "save: Строка 3: Пароль слишком длинный (не более 72 байт)."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.err.Error() != c.text {
				t.Errorf("text %q, want %q", c.err.Error(), c.text)
			}
			if !errors.Is(c.err, rule) {
				t.Error("the sentinel is not found through the wrapping")
			}
			we := Classify(c.err)
			if we.Status != http.StatusUnprocessableEntity || we.Code != "invalid" || we.Message != rule.Message {
				t.Errorf("classified as %d %q %q", we.Status, we.Code, we.Message)
			}
			rec := httptest.NewRecorder()
			(&Errors{}).Render(rec, httptest.NewRequest("POST", "/api/v1/x", nil), c.err)
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `"code": "invalid"`) || !strings.Contains(rec.Body.String(), "72 байт") {
				t.Errorf("API answer %d %s", rec.Code, rec.Body.String())
			}
		})
	}
	if Classify(errors.New("disk full")).Status != http.StatusInternalServerError {
		t.Error("a plain error is not a 500")
	}
}
