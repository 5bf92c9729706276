package web

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
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
// no area has to remember to check. In a multipart form the text fields and
// the names of files are checked; the files themselves are checked by the
// file store by type, not here.
func RejectBadText(errs *Errors) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if badString(r.URL.Path) || badQuery(r.URL.RawQuery) {
				errs.Render(w, r, ErrBadText)
				return
			}
			mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if r.Body != nil && r.Body != http.NoBody && mt == "multipart/form-data" && params["boundary"] != "" {
				bad, done, err := checkMultipart(r, params["boundary"])
				defer done()
				if err != nil {
					errs.Render(w, r, err)
					return
				}
				if bad {
					errs.Render(w, r, ErrBadText)
					return
				}
			} else if r.Body != nil && r.Body != http.NoBody && r.ContentLength <= maxCheckedBody {
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
	// ParseQuery keeps the pairs it could read even when another is
	// malformed, and so do r.URL.Query() and r.ParseForm, whose error many
	// handlers ignore: the pairs it kept are checked whatever the error.
	vals, _ := url.ParseQuery(raw)
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

// maxMultipart bounds the multipart body the guard reads through: more than
// any upload of the portal, so that a larger body is left to the handler's
// own limit to refuse.
const maxMultipart = 64 << 20

// checkMultipart reads a multipart body through, as ParseMultipartForm will,
// and tells whether a field name, a text field or a file name carries a NUL
// byte or invalid UTF-8. The body is kept — in memory up to a megabyte, in a
// temporary file beyond — and given to the handler whole; done removes the
// file. A body that is not a well-formed form is passed on for the handler
// to refuse in its own words.
func checkMultipart(r *http.Request, boundary string) (bad bool, done func(), err error) {
	sp := &spool{}
	done = sp.remove
	mr := multipart.NewReader(io.TeeReader(io.LimitReader(r.Body, maxMultipart), sp), boundary)
	for !bad {
		p, err := mr.NextPart()
		if err != nil {
			break // the end, or a malformed form: the handler's to judge
		}
		bad = badString(p.FormName()) || badString(p.FileName())
		if p.FileName() == "" && !bad {
			// A value longer than the guard reads is cut, perhaps inside
			// a character: only its NUL bytes are looked for.
			v, err := io.ReadAll(io.LimitReader(p, maxCheckedBody+1))
			bad = err == nil && (bytes.IndexByte(v, 0) >= 0 || (len(v) <= maxCheckedBody && !utf8.Valid(v)))
		}
		_, _ = io.Copy(io.Discard, p)
	}
	if sp.err != nil {
		return false, done, fmt.Errorf("keep a form's body: %w", sp.err)
	}
	rest, err := sp.reader()
	if err != nil {
		return false, done, err
	}
	r.Body = io.NopCloser(io.MultiReader(rest, r.Body))
	return bad, done, nil
}

// spool keeps what was read of a body: the first megabyte in memory, the
// rest in a temporary file.
type spool struct {
	mem  bytes.Buffer
	file *os.File
	err  error
}

func (s *spool) Write(b []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.file == nil && s.mem.Len()+len(b) <= 1<<20 {
		return s.mem.Write(b)
	}
	if s.file == nil {
		if s.file, s.err = os.CreateTemp("", "glasnost-form-*"); s.err != nil {
			return 0, s.err
		}
	}
	n, err := s.file.Write(b)
	if err != nil {
		s.err = err
	}
	return n, err
}

func (s *spool) reader() (io.Reader, error) {
	if s.file == nil {
		return &s.mem, nil
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return io.MultiReader(&s.mem, s.file), nil
}

func (s *spool) remove() {
	if s.file != nil {
		_ = s.file.Close()
		_ = os.Remove(s.file.Name())
	}
}
