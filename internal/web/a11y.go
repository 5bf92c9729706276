package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// A11y holds the settings of the version for visually impaired users
// (GOST R 52872-2019): font size, colour scheme, letter spacing, images.
// They live in a cookie so that they work without JavaScript and without
// an account, and follow the user across pages.
type A11y struct {
	On        bool
	FontSize  string // normal, large, xlarge
	Scheme    string // bw, wb, blue, brown, green
	Spacing   string // normal, wide, wider
	ImagesOff bool
}

// Schemes are the five colour schemes of the standard, as name → label.
var Schemes = []struct{ Value, Label, FG, BG string }{
	{"bw", "Чёрным по белому", "#000000", "#FFFFFF"},
	{"wb", "Белым по чёрному", "#FFFFFF", "#000000"},
	{"blue", "Тёмно-синим по голубому", "#063462", "#9DD1FF"},
	{"brown", "Коричневым по бежевому", "#4D4B43", "#F7F3D6"},
	{"green", "Зелёным по тёмно-коричневому", "#A9E44D", "#3B2716"},
}

const a11yCookie = "glasnost_a11y"

func oneOf(v string, allowed ...string) string {
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	return allowed[0]
}

func parseA11y(v url.Values) A11y {
	return A11y{
		On:        v.Get("on") == "1",
		FontSize:  oneOf(v.Get("font"), "normal", "large", "xlarge"),
		Scheme:    oneOf(v.Get("scheme"), "bw", "wb", "blue", "brown", "green"),
		Spacing:   oneOf(v.Get("spacing"), "normal", "wide", "wider"),
		ImagesOff: v.Get("images") == "off",
	}
}

func (a A11y) encode() string {
	v := url.Values{}
	if a.On {
		v.Set("on", "1")
	}
	v.Set("font", a.FontSize)
	v.Set("scheme", a.Scheme)
	v.Set("spacing", a.Spacing)
	if a.ImagesOff {
		v.Set("images", "off")
	}
	return v.Encode()
}

// A11yFrom reads the settings from the request's cookie.
func A11yFrom(r *http.Request) A11y {
	c, err := r.Cookie(a11yCookie)
	if err != nil {
		return parseA11y(url.Values{})
	}
	v, err := url.ParseQuery(c.Value)
	if err != nil {
		return parseA11y(url.Values{})
	}
	return parseA11y(v)
}

// BodyClass is the class list that the stylesheet keys the settings on.
func (a A11y) BodyClass() string {
	if !a.On {
		return ""
	}
	c := []string{"a11y", "fs-" + a.FontSize, "scheme-" + a.Scheme, "sp-" + a.Spacing}
	if a.ImagesOff {
		c = append(c, "images-off")
	}
	return strings.Join(c, " ")
}

// A11yHandlers serves the settings page and saves the choice.
type A11yHandlers struct {
	Renderer *Renderer
}

// Mount registers the routes.
func (h *A11yHandlers) Mount(rt *Router) {
	rt.HandleFunc("GET /accessibility", Public(), h.show)
	rt.HandleFunc("POST /accessibility", Public(), h.save)
}

func (h *A11yHandlers) show(w http.ResponseWriter, r *http.Request) {
	h.Renderer.Page(w, r, http.StatusOK, "web/accessibility", "Версия для слабовидящих", map[string]any{
		"Schemes": Schemes,
		"Return":  safeReturn(r.URL.Query().Get("return")),
	})
}

func (h *A11yHandlers) save(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "Неверный запрос", http.StatusBadRequest)
		return
	}
	a := parseA11y(r.PostForm)
	if r.PostForm.Get("action") == "off" {
		a.On = false
	} else if r.PostForm.Get("action") == "on" {
		a.On = true
	}
	http.SetCookie(w, &http.Cookie{
		Name: a11yCookie, Value: a.encode(), Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil,
	})
	http.Redirect(w, r, safeReturn(r.PostForm.Get("return")), http.StatusSeeOther)
}

// safeReturn keeps redirects on this site.
func safeReturn(p string) string { return SafeReturn(p) }

// SafeReturn keeps a redirect on this site: it answers p when p is a path
// of this site and "/" otherwise. Browsers drop tabs and line breaks from a
// Location and read a backslash as a slash, so "/\t/evil.example" and
// "/\\evil.example" lead to another host; the check removes control
// characters first, reads the rest with net/url, and accepts only a path
// with no scheme and no host that starts with one slash.
func SafeReturn(p string) string {
	clean := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, p)
	if clean != p || strings.ContainsRune(clean, '\\') {
		return "/"
	}
	u, err := url.Parse(clean)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(clean, "/") || strings.HasPrefix(clean, "//") {
		return "/"
	}
	return clean
}
