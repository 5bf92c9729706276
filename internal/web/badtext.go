package web

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// ErrBadText refuses input that no field of the portal can hold: a NUL byte
// (PostgreSQL's text cannot store it and answered 500) or bytes that are not
// UTF-8.
var ErrBadText = &Error{http.StatusBadRequest, "bad_text", "Запрос содержит недопустимые символы (нулевой байт или текст не в кодировке UTF-8). Уберите их и отправьте снова."}

// maxCheckedBody is the largest form or JSON body the guard reads; larger
// bodies are refused by each handler's own size limit anyway.
const maxCheckedBody = 4 << 20

// RejectBadText refuses, before any handler runs, a request whose path,
// query, form body or JSON body carries a NUL byte or invalid UTF-8, so that
// no area has to remember to check. Uploaded files (multipart) are checked
// by the file store by type, not here.
func RejectBadText(errs *Errors) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if badString(r.URL.Path) || badQuery(r.URL.RawQuery) {
				errs.Render(w, r, ErrBadText)
				return
			}
			if r.Body != nil && r.Body != http.NoBody && r.ContentLength <= maxCheckedBody {
				mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
				isForm := mt == "application/x-www-form-urlencoded"
				isJSON := mt == "application/json" || strings.HasSuffix(mt, "+json")
				if isForm || isJSON {
					body, err := io.ReadAll(io.LimitReader(r.Body, maxCheckedBody+1))
					if err != nil {
						errs.Render(w, r, ErrTooLarge)
						return
					}
					r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
					if len(body) <= maxCheckedBody && ((isForm && badQuery(string(body))) || (isJSON && badJSON(body))) {
						errs.Render(w, r, ErrBadText)
						return
					}
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

func badString(s string) bool {
	return strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s)
}

func badQuery(raw string) bool {
	if raw == "" {
		return false
	}
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return false // malformed escapes are the handler's to refuse
	}
	for k, vs := range vals {
		if badString(k) {
			return true
		}
		for _, v := range vs {
			if badString(v) {
				return true
			}
		}
	}
	return false
}

// badJSON finds raw invalid UTF-8 or an escaped NUL (\u0000) anywhere in a
// JSON document.
func badJSON(b []byte) bool {
	if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	for i := bytes.Index(b, []byte(`\u`)); i >= 0; {
		// Count the backslashes before: an even number means the \u is
		// itself escaped text ("\\u0000" is not a NUL).
		n := 0
		for j := i - 1; j >= 0 && b[j] == '\\'; j-- {
			n++
		}
		if n%2 == 0 && i+6 <= len(b) && string(b[i+2:i+6]) == "0000" {
			return true
		}
		k := bytes.Index(b[i+2:], []byte(`\u`))
		if k < 0 {
			break
		}
		i += 2 + k
	}
	return false
}
