package emblem

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/webtest"
)

func TestSanitizeSVG(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		in      string
		ok      bool
		keep    []string
		dropped []string
	}{
		{"plain shield", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Герб</title><path d="M0 0h10v10z" fill="#c00"/></svg>`, true,
			[]string{`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">`, `<title>Герб</title>`, `<path d="M0 0h10v10z" fill="#c00"></path>`}, nil},
		{"script removed with its text", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="1" height="1"/></svg>`, true,
			[]string{`<rect width="1" height="1">`}, []string{"script", "alert"}},
		{"event handlers and style dropped", `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect style="fill:url(http://x)" onclick="x()" width="1"/></svg>`, true,
			[]string{`<rect width="1">`}, []string{"onload", "onclick", "style", "http://x"}},
		{"foreignObject and image removed", `<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><iframe src="//evil"/></body></foreignObject><image href="http://evil/x.png"/></svg>`, true,
			nil, []string{"foreignObject", "iframe", "evil", "image"}},
		{"external references dropped, internal kept", `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs><use xlink:href="#s"/><use href="http://evil/#s"/><rect fill="url(#g)" width="2"/><rect fill="url(http://evil/#g)" width="3"/></svg>`, true,
			[]string{`<use href="#s">`, `<rect fill="url(#g)" width="2">`, `<rect width="3">`}, []string{"evil"}},
		{"javascript in a value", `<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect width="1"/></a><rect fill="javascript:x" width="4"/></svg>`, true,
			[]string{`<rect width="4">`}, []string{"javascript", "<a"}},
		{"DOCTYPE with entities refused", `<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>`, false, nil, nil},
		{"not SVG", `<html><body>hi</body></html>`, false, nil, nil},
		{"not XML", `\x89PNG not really`, false, nil, nil},
		{"two roots", `<svg xmlns="http://www.w3.org/2000/svg"></svg><svg xmlns="http://www.w3.org/2000/svg"></svg>`, false, nil, nil},
		{"too large", `<svg xmlns="http://www.w3.org/2000/svg"><desc>` + strings.Repeat("a", MaxBytes) + `</desc></svg>`, false, nil, nil},
	}
	for _, tc := range cases {
		out, err := SanitizeSVG([]byte(tc.in))
		if (err == nil) != tc.ok {
			t.Errorf("%s: err %v, want ok=%v", tc.name, err, tc.ok)
			continue
		}
		for _, k := range tc.keep {
			if !strings.Contains(string(out), k) {
				t.Errorf("%s: %q not kept in %s", tc.name, k, out)
			}
		}
		for _, d := range tc.dropped {
			if strings.Contains(string(out), d) {
				t.Errorf("%s: %q not removed from %s", tc.name, d, out)
			}
		}
	}
}

// pngOf is a w×h PNG: a red square in the middle of transparency.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := h / 4; y < 3*h/4; y++ {
		for x := w / 4; x < 3*w/4; x++ {
			img.SetNRGBA(x, y, color.NRGBA{0xcc, 0, 0, 0xff})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestTouchIcon(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		w, h int
		ok   bool
	}{{400, 400, true}, {600, 300, true}, {32, 64, true}, {16, 16, false}, {5000, 100, false}} {
		out, err := TouchIcon(pngOf(t, tc.w, tc.h))
		if (err == nil) != tc.ok {
			t.Errorf("%d×%d: err %v, want ok=%v", tc.w, tc.h, err, tc.ok)
			continue
		}
		if !tc.ok {
			continue
		}
		img, err := png.Decode(bytes.NewReader(out))
		if err != nil || img.Bounds().Dx() != TouchSide || img.Bounds().Dy() != TouchSide {
			t.Fatalf("%d×%d: not a %d-pixel square PNG: %v", tc.w, tc.h, TouchSide, err)
		}
		// The middle is the red square; the corner is transparency on white.
		if r, g, _, _ := img.At(90, 90).RGBA(); r>>8 < 0xc0 || g>>8 > 0x10 {
			t.Errorf("%d×%d: centre is not red", tc.w, tc.h)
		}
		if r, g, b, a := img.At(0, 0).RGBA(); r>>8 != 0xff || g>>8 != 0xff || b>>8 != 0xff || a>>8 != 0xff {
			t.Errorf("%d×%d: corner is not opaque white", tc.w, tc.h)
		}
	}
	if _, err := TouchIcon([]byte("<svg/>")); err == nil {
		t.Error("an SVG was taken for a PNG")
	}
}

func env(t *testing.T, d *db.DB) *webtest.Env {
	t.Helper()
	e := webtest.New(t, d)
	a, err := New(e.Deps(nil))
	if err != nil {
		t.Fatal(err)
	}
	a.Mount(e.Router)
	return e
}

func upload(t *testing.T, e *webtest.Env, c *webtest.Client, name string, content []byte) webtest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("arms", name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, e.URL()+"/admin/municipality/arms", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req)
}

// TestAdministratorSetsCoatOfArms walks the administrator's path: the
// default icons, an SVG with a script that is cleaned and shown as favicon
// and in the header, a PNG made into the touch icon, a refused file, the
// audit record, and back to the default.
func TestAdministratorSetsCoatOfArms(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := env(t, d)
		admin := e.Client("", auth.Administrator)
		anon := e.Anonymous()
		icon := regexp.MustCompile(`<link rel="icon" href="([^"]+)" type="([^"]+)">`)
		touch := regexp.MustCompile(`<link rel="apple-touch-icon" href="([^"]+)">`)
		header := regexp.MustCompile(`<img class="site-arms" src="([^"]+)"`)

		page := admin.Get("/admin/municipality")
		if page.Status != http.StatusOK || !strings.Contains(page.Body, "значок по умолчанию") {
			t.Fatalf("settings: %d", page.Status)
		}
		if m := icon.FindStringSubmatch(page.Body); m == nil || !strings.HasPrefix(m[1], "/static/favicon.") {
			t.Fatalf("default favicon: %v", m)
		}
		if r := e.Client("", auth.Editor).Get("/admin/municipality"); r.Status != http.StatusForbidden {
			t.Errorf("an editor opens the settings: %d", r.Status)
		}
		if r := anon.Get("/coat-of-arms.svg"); r.Status != http.StatusNotFound {
			t.Errorf("no arms yet: %d", r.Status)
		}

		bad := upload(t, e, admin, "arms.txt", []byte("not a picture"))
		if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "SVG") {
			t.Fatalf("a text file: %d", bad.Status)
		}
		r := upload(t, e, admin, "arms.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script><path d="M0 0h10v10z" fill="#c00"/></svg>`))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("upload SVG: %d %s", r.Status, r.Body)
		}
		home := anon.Get("/login")
		m := icon.FindStringSubmatch(home.Body)
		if m == nil || !strings.HasPrefix(m[1], "/coat-of-arms.svg?v=") || m[2] != "image/svg+xml" {
			t.Fatalf("favicon after upload: %v", m)
		}
		if h := header.FindStringSubmatch(home.Body); h == nil || h[1] != m[1] {
			t.Errorf("header picture: %v", h)
		}
		svg := anon.Get(m[1])
		if svg.Status != http.StatusOK || svg.Header.Get("Content-Type") != "image/svg+xml" || strings.Contains(svg.Body, "script") || !strings.Contains(svg.Body, `fill="#c00"`) {
			t.Fatalf("served SVG: %d %s %s", svg.Status, svg.Header.Get("Content-Type"), svg.Body)
		}
		if !strings.Contains(svg.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("SVG served without a restrictive policy")
		}

		if r := upload(t, e, admin, "arms.png", pngOf(t, 300, 360)); r.Status != http.StatusSeeOther {
			t.Fatalf("upload PNG: %d", r.Status)
		}
		home = anon.Get("/login")
		tm := touch.FindStringSubmatch(home.Body)
		if tm == nil || !strings.HasPrefix(tm[1], "/coat-of-arms.png?v=") {
			t.Fatalf("touch icon after PNG: %v", tm)
		}
		if m := icon.FindStringSubmatch(home.Body); m == nil || !strings.HasPrefix(m[1], "/coat-of-arms.svg") {
			t.Errorf("the SVG favicon was lost when a PNG came: %v", m)
		}
		pic := anon.Get(tm[1])
		if img, err := png.Decode(strings.NewReader(pic.Body)); err != nil || img.Bounds().Dx() != 180 || img.Bounds().Dy() != 180 {
			t.Fatalf("touch icon is not 180×180 PNG: %v", err)
		}
		if fav := anon.Get("/favicon.ico"); fav.Status != http.StatusMovedPermanently || fav.Header.Get("Location") != tm[1] {
			t.Errorf("/favicon.ico: %d %s", fav.Status, fav.Header.Get("Location"))
		}

		_, n, err := audit.List(context.Background(), d, e.Municipality.ID, audit.Filter{Action: "municipality.arms_set"}, 10, 0)
		if err != nil || n != 2 {
			t.Fatalf("audit: %d entries, %v", n, err)
		}

		if r := admin.PostForm("/admin/municipality/arms/delete", url.Values{}); r.Status != http.StatusSeeOther {
			t.Fatalf("remove: %d", r.Status)
		}
		home = anon.Get("/login")
		if m := icon.FindStringSubmatch(home.Body); m == nil || !strings.HasPrefix(m[1], "/static/favicon.") {
			t.Errorf("favicon after removal: %v", m)
		}
	})
}
