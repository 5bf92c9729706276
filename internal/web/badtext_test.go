package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A NUL byte made PostgreSQL answer 500 on sixteen endpoints, some of them
// anonymous; such input is refused with a clear 400 before any handler, and
// good input reaches the handler whole.
func TestRejectBadText(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, method, target, ctype, body string
		want                              int
	}{
		{"plain page", "GET", "/acts?q=%D0%B0%D0%BA%D1%82", "", "", 200},
		{"NUL in path", "GET", "/sections/a%00b", "", "", 400},
		{"NUL in query", "GET", "/search?q=a%00", "", "", 400},
		{"invalid UTF-8 in query", "GET", "/search?q=%C0%AF", "", "", 400},
		{"good form", "POST", "/login", "application/x-www-form-urlencoded", "email=a%40b.ru&password=x", 200},
		{"NUL in form", "POST", "/login", "application/x-www-form-urlencoded", "email=a%00%40b.ru", 400},
		{"Windows-1251 bytes in form", "POST", "/login", "application/x-www-form-urlencoded; charset=utf-8", "name=%CF%F0%E8", 400},
		{"escaped backslash then u0000 is text", "POST", "/api/v1/appeals", "application/json", `{"text":"Добрый день \\u0000","n":"\\\\u0000"}`, 200},
		{"JSON with escaped backslash before u0000", "POST", "/api/v1/appeals", "application/json", `{"text":"C:\\\\u0000dir"}`, 200},
		{"JSON with NUL escape", "POST", "/api/v1/appeals", "application/json", `{"text":"a\u0000b"}`, 400},
		{"JSON with raw invalid UTF-8", "POST", "/api/v1/appeals", "application/json", "{\"text\":\"\xff\"}", 400},
		{"ordinary JSON", "POST", "/api/v1/appeals", "application/json", `{"text":"Прошу отремонтировать дорогу","year":2026}`, 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got string
			h := RejectBadText(&Errors{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				got = string(b)
			}))
			r := httptest.NewRequest(c.method, c.target, strings.NewReader(c.body))
			if c.ctype != "" {
				r.Header.Set("Content-Type", c.ctype)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != c.want {
				t.Fatalf("status %d, want %d", w.Code, c.want)
			}
			if c.want == 200 && got != c.body {
				t.Fatalf("the handler read %q, want the body whole %q", got, c.body)
			}
		})
	}
}
