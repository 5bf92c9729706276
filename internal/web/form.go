package web

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Form keeps what the user typed and the errors found in it, so that a
// rejected form comes back filled in with each error beside its field.
type Form struct {
	Values url.Values
	Errors map[string]string
	// Order keeps the error summary in the order of the fields on the page.
	Order []string
}

// NewForm wraps submitted values.
func NewForm(v url.Values) *Form {
	if v == nil {
		v = url.Values{}
	}
	return &Form{Values: v, Errors: map[string]string{}}
}

// ParseForm reads a submitted form of at most maxBytes.
func ParseForm(w http.ResponseWriter, r *http.Request, maxBytes int64) (*Form, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBytes)
	if err := r.ParseForm(); err != nil {
		return nil, ErrTooLarge
	}
	return NewForm(r.PostForm), nil
}

// Get returns a trimmed value.
func (f *Form) Get(name string) string { return strings.TrimSpace(f.Values.Get(name)) }

// Fail records an error for a field (the first one wins).
func (f *Form) Fail(field, msg string) {
	if _, ok := f.Errors[field]; ok {
		return
	}
	f.Errors[field] = msg
	f.Order = append(f.Order, field)
}

// Required checks that the fields are filled in.
func (f *Form) Required(fields map[string]string) {
	for field, label := range fields {
		if f.Get(field) == "" {
			f.Fail(field, "Заполните поле «"+label+"».")
		}
	}
}

// MaxLen checks a field's length in characters.
func (f *Form) MaxLen(field, label string, n int) {
	if utf8.RuneCountInString(f.Get(field)) > n {
		f.Fail(field, "Поле «"+label+"» длиннее допустимого.")
	}
}

// MaxEmailLength is the longest e-mail address (RFC 5321's path limit).
const MaxEmailLength = 254

// Email checks that a field looks like an e-mail address.
func (f *Form) Email(field string) {
	v := f.Get(field)
	if v == "" {
		return
	}
	if len(v) > MaxEmailLength {
		f.Fail(field, "Адрес электронной почты длиннее 254 знаков: проверьте его.")
		return
	}
	at := strings.LastIndexByte(v, '@')
	if at < 1 || at == len(v)-1 || !strings.Contains(v[at:], ".") || strings.ContainsAny(v, " <>\"") {
		f.Fail(field, "Укажите адрес электронной почты в виде name@example.ru.")
	}
}

// Valid reports whether no error was found.
func (f *Form) Valid() bool { return len(f.Errors) == 0 }

// Summary lists the errors in field order for the error summary box.
func (f *Form) Summary() []FieldError {
	var out []FieldError
	for _, k := range f.Order {
		out = append(out, FieldError{Field: k, Message: f.Errors[k]})
	}
	return out
}

// FieldError is one entry of the error summary, linking to its field.
type FieldError struct {
	Field   string
	Message string
}
