package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// Whatever the return= or next= parameter holds, the redirect stays on the
// portal: read as a browser reads a Location (tabs and line breaks dropped,
// a backslash taken for a slash) against the portal's address, it keeps the
// portal's scheme and host, and it is a path from the root.
func FuzzSafeReturn(f *testing.F) {
	for _, s := range []string{
		"", "/", "/acts/1", "/acts?kind=decree&page=2#list", "acts", "//evil.example", "https://evil.example",
		"/\\evil.example", "/\t/evil.example", "/\n/evil.example", "\\\\evil.example", "/%2F%2Fevil.example",
		"///evil.example", "/.//evil.example", "http:/evil.example", "javascript:alert(1)", "/ /evil.example",
		"\x00//evil.example", "/\u3000/evil.example", "//@evil.example", "/acts/../../evil", "/?next=//evil.example",
	} {
		f.Add(s)
	}
	base, _ := url.Parse("https://portal.example/settings")
	f.Fuzz(func(t *testing.T, p string) {
		got := SafeReturn(p)
		if got != "/" && got != p {
			t.Fatalf("SafeReturn(%q) = %q: neither the path itself nor /", p, got)
		}
		if !strings.HasPrefix(got, "/") {
			t.Fatalf("SafeReturn(%q) = %q: not a path from the root", p, got)
		}
		browser := strings.ReplaceAll(strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, strings.Trim(got, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")), `\`, "/")
		if strings.HasPrefix(browser, "//") {
			t.Fatalf("SafeReturn(%q) = %q: a browser reads another host", p, got)
		}
		u, err := url.Parse(browser)
		if err != nil {
			t.Fatalf("SafeReturn(%q) = %q does not parse: %v", p, got, err)
		}
		if to := base.ResolveReference(u); to.Scheme != "https" || to.Host != "portal.example" || to.User != nil {
			t.Fatalf("SafeReturn(%q) = %q leads to %s", p, got, to)
		}
	})
}

// formTypes are the content types the guard is fuzzed with, by number.
var formTypes = []string{
	"application/x-www-form-urlencoded",
	"application/json",
	"multipart/form-data; boundary=XyZ",
	"application/x-www-form-urlencoded; charset=utf-8",
	"text/plain",
}

// multipartBody is a form with a text field and a file, as the appeal form sends it.
func multipartBody(text string) string {
	return "--XyZ\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n" + text +
		"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nфайл\x00\xff\r\n--XyZ--\r\n"
}

// clean is text a field of the portal can hold.
func clean(s string) bool { return !badString(s) }

// Whatever a request carries in its query and body, what reaches a handler
// as text — the path, query values, form values of every encoding and JSON
// strings — holds no NUL byte and is UTF-8, so no handler can pass such a
// value to PostgreSQL; the body reaches the handler whole; and a refusal is
// a 400 with the Russian message.
func FuzzRejectBadText(f *testing.F) {
	f.Add("q=%D0%B0%D0%BA%D1%82", uint8(0), "email=a%40b.ru&password=x")
	f.Add("q=a%00", uint8(0), "")
	f.Add("q=%C0%AF", uint8(0), "")
	f.Add("q=%00&x=%zz", uint8(0), "")
	f.Add("", uint8(0), "email=a%00%40b.ru")
	f.Add("", uint8(0), "a=%zz&email=a%00")
	f.Add("", uint8(3), "name=%CF%F0%E8")
	f.Add("", uint8(1), `{"text":"Добрый день \\u0000","n":"\\\\u0000"}`)
	f.Add("", uint8(1), `{"text":"a\u0000b"}`)
	f.Add("", uint8(1), "{\"text\":\"\xff\"}")
	f.Add("", uint8(2), multipartBody("Прошу отремонтировать дорогу"))
	f.Add("", uint8(2), multipartBody("a\x00b"))
	f.Add("", uint8(4), "a\x00b")
	f.Fuzz(func(t *testing.T, query string, kind uint8, body string) {
		ctype := formTypes[int(kind)%len(formTypes)]
		var reached bool
		var got []byte
		h := RejectBadText(&Errors{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			reached = true
			got, _ = io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(got))
			if !clean(r.URL.Path) {
				t.Fatalf("path %q reached the handler", r.URL.Path)
			}
			switch {
			case strings.HasPrefix(ctype, "multipart/"):
				if err := r.ParseMultipartForm(1 << 20); err != nil {
					return // the handler refuses a malformed form itself
				}
			case ctype == "application/json":
				var v any
				if json.Unmarshal(got, &v) == nil && strings.ContainsRune(jsonText(v), 0) {
					t.Fatalf("JSON %q with a NUL reached the handler", got)
				}
				_ = r.ParseForm()
			default:
				_ = r.ParseForm() // handlers that ignore the error still read r.Form
			}
			for k, vs := range r.Form {
				for _, v := range append(vs, k) {
					if !clean(v) {
						t.Fatalf("form value %q reached the handler (query %q, %s body %q)", v, query, ctype, body)
					}
				}
			}
		}))
		r := httptest.NewRequest("POST", "/form", strings.NewReader(body))
		r.URL.RawQuery = query
		r.Header.Set("Content-Type", ctype)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if !reached {
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "недопустимые символы") {
				t.Fatalf("refused with %d %q", w.Code, w.Body.String())
			}
			return
		}
		if string(got) != body {
			t.Fatalf("the handler read %q, want the body whole %q", got, body)
		}
		if !utf8.ValidString(ctype) {
			t.Fatal("content type")
		}
	})
}

// jsonText is every string of a decoded JSON value, keys included, joined.
func jsonText(v any) string {
	var sb strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			sb.WriteString(x)
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for k, e := range x {
				sb.WriteString(k)
				walk(e)
			}
		}
	}
	walk(v)
	return sb.String()
}

// A multipart upload larger than the guard keeps in memory reaches the
// handler whole, with its file and fields; a NUL in a text field after a
// large file is still refused, and the temporary copy is removed.
func TestRejectBadTextLargeMultipart(t *testing.T) {
	big := strings.Repeat("Ж", 1<<20) // 2 MB: the copy goes to a temporary file
	for _, c := range []struct {
		name, field string
		reached     bool
	}{{"good", "Прошу ответить", true}, {"NUL after the file", "a\x00b", false}} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("TMPDIR", t.TempDir())
			body := "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n\r\n" + big +
				"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n" + c.field + "\r\n--XyZ--\r\n"
			reached := false
			h := RejectBadText(&Errors{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				reached = true
				if err := r.ParseMultipartForm(1 << 20); err != nil {
					t.Fatal(err)
				}
				fh := r.MultipartForm.File["file"]
				if r.FormValue("text") != c.field || len(fh) != 1 || fh[0].Size != int64(len(big)) {
					t.Fatalf("text %q, files %v", r.FormValue("text"), fh)
				}
			}))
			r := httptest.NewRequest("POST", "/form", strings.NewReader(body))
			r.Header.Set("Content-Type", "multipart/form-data; boundary=XyZ")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if reached != c.reached || (!c.reached && w.Code != http.StatusBadRequest) {
				t.Fatalf("reached %v, status %d", reached, w.Code)
			}
			if left, _ := filepath.Glob(filepath.Join(os.Getenv("TMPDIR"), "glasnost-form-*")); len(left) != 0 {
				t.Fatalf("temporary copies left: %v", left)
			}
		})
	}
}
