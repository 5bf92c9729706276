package web

import (
	"net/http"
	"net/url"
	"testing"
)

func TestPlural(t *testing.T) {
	cases := []struct {
		n    int
		want string
	}{{0, "актов"}, {1, "акт"}, {2, "акта"}, {4, "акта"}, {5, "актов"}, {11, "актов"}, {12, "актов"}, {14, "актов"}, {21, "акт"}, {22, "акта"}, {25, "актов"}, {101, "акт"}, {111, "актов"}, {1000, "актов"}}
	for _, c := range cases {
		if got := Plural(c.n, "акт", "акта", "актов"); got != c.want {
			t.Errorf("Plural(%d) = %s, want %s", c.n, got, c.want)
		}
	}
}

func TestAccess(t *testing.T) {
	resident := &Viewer{ID: 1, Roles: []string{"resident"}}
	lawyer := &Viewer{ID: 2, Roles: []string{"lawyer", "editor"}}
	cases := []struct {
		name   string
		access Access
		v      *Viewer
		want   bool
	}{
		{"public admits anonymous", Public(), nil, true},
		{"signed-in refuses anonymous", SignedIn(), nil, false},
		{"signed-in admits a resident", SignedIn(), resident, true},
		{"role refuses anonymous", Roles("lawyer"), nil, false},
		{"role refuses another role", Roles("lawyer"), resident, false},
		{"role admits one of several", Roles("administrator", "editor"), lawyer, true},
		{"zero access admits nobody", Access{}, lawyer, false},
	}
	for _, c := range cases {
		if got := c.access.Allows(c.v); got != c.want {
			t.Errorf("%s: Allows = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSafeReturn(t *testing.T) {
	cases := map[string]string{"": "/", "/acts/1": "/acts/1", "//evil.example": "/", "https://evil.example": "/", "/\\evil.example": "/", "acts": "/"}
	for in, want := range cases {
		if got := SafeReturn(in); got != want {
			t.Errorf("SafeReturn(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPager(t *testing.T) {
	u, _ := url.Parse("/acts?kind=decree&page=3")
	p := NewPager(u, 20)
	p.SetTotal(45)
	if p.Page != 3 || p.Pages != 3 || p.Offset() != 40 {
		t.Fatalf("pager = %+v offset %d", p, p.Offset())
	}
	if got := p.Href(2); got != "/acts?kind=decree&page=2" {
		t.Errorf("Href(2) = %s", got)
	}
	if got := p.Href(1); got != "/acts?kind=decree" {
		t.Errorf("Href(1) = %s", got)
	}
	bad, _ := url.Parse("/acts?page=-4")
	if NewPager(bad, 20).Page != 1 {
		t.Error("negative page not clamped")
	}
}

func TestFormValidation(t *testing.T) {
	f := NewForm(url.Values{"email": {"not-an-address"}, "name": {"  "}, "text": {"абвгд"}})
	f.Required(map[string]string{"name": "Имя"})
	f.Email("email")
	f.MaxLen("text", "Текст", 4)
	if f.Valid() || len(f.Summary()) != 3 {
		t.Fatalf("errors = %v", f.Errors)
	}
	if f.Get("text") != "абвгд" {
		t.Error("the form must keep what the user typed")
	}
	ok := NewForm(url.Values{"email": {"ivanov@mail.ru"}})
	ok.Email("email")
	if !ok.Valid() {
		t.Errorf("valid address refused: %v", ok.Errors)
	}
}

func TestA11yCookieRoundTrip(t *testing.T) {
	a := A11y{On: true, FontSize: "xlarge", Scheme: "green", Spacing: "wider", ImagesOff: true}
	v, _ := url.ParseQuery(a.encode())
	if got := parseA11y(v); got != a {
		t.Fatalf("round trip: %+v != %+v", got, a)
	}
	// Unknown values fall back to the defaults instead of reaching the page.
	v, _ = url.ParseQuery("on=1&font=huge&scheme=<script>")
	got := parseA11y(v)
	if got.FontSize != "normal" || got.Scheme != "bw" {
		t.Fatalf("unknown settings not rejected: %+v", got)
	}
}

func TestRouterAllows(t *testing.T) {
	rt := NewRouter(&Errors{})
	ok := func(w http.ResponseWriter, r *http.Request) {}
	rt.HandleFunc("GET /admin/acts", Roles("lawyer", "administrator"), ok)
	rt.HandleFunc("GET /admin/acts/{id}", Roles("lawyer"), ok)
	rt.HandleFunc("GET /acts", Public(), ok)
	lawyer := &Viewer{Roles: []string{"lawyer"}}
	press := &Viewer{Roles: []string{"press"}}
	cases := []struct {
		v    *Viewer
		path string
		want bool
	}{
		{lawyer, "/admin/acts", true},
		{press, "/admin/acts", false},
		{lawyer, "/admin/acts/7", true},
		{nil, "/acts", true},
		{nil, "/admin/acts", false},
		{lawyer, "/no/such/route", false},
	}
	for _, c := range cases {
		if got := rt.Allows(c.v, c.path); got != c.want {
			t.Errorf("Allows(%v, %s) = %v, want %v", c.v, c.path, got, c.want)
		}
	}
}

func TestSummary(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"Короткий  текст\nв две строки", 160, "Короткий текст в две строки"},
		{"Одно два три четыре", 12, "Одно два…"},
		{"Одно, два три", 10, "Одно, два…"},
		{"абвгдежзийклмн", 6, "абвгд…"},
	} {
		if got := Summary(tc.in, tc.n); got != tc.want {
			t.Errorf("Summary(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

// TestRussianDate: civil dates kept as YYYY-MM-DD are shown as Russians
// write them; text that is not such a date is left alone.
func TestRussianDate(t *testing.T) {
	for in, want := range map[string]string{
		"2026-11-15":  "15.11.2026",
		"2018-02-01":  "01.02.2018",
		"":            "",
		"2026":        "2026",
		"в 2027 году": "в 2027 году",
		"2026-13-01":  "2026-13-01",
	} {
		if got := RussianDate(in); got != want {
			t.Errorf("RussianDate(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSlug: an address made from a Russian title is the passport
// transliteration, hyphenated and cut at a word boundary.
func TestSlug(t *testing.T) {
	for _, c := range []struct {
		title string
		max   int
		want  string
	}{
		{"Контакты администрации", 60, "kontakty-administratsii"},
		{"Объявления о конкурсах", 60, "obieiavleniia-o-konkursakh"},
		{"Щёлковская улица, дом 5", 60, "shchelkovskaia-ulitsa-dom-5"},
		{"Жилищно-коммунальное хозяйство", 60, "zhilishchno-kommunalnoe-khoziaistvo"},
		{"ЖКХ: тарифы 2026 года", 60, "zhkkh-tarify-2026-goda"},
		{"Муниципальные услуги и функции администрации городского округа", 30, "munitsipalnye-uslugi-i"},
		{"«»—…", 60, ""},
		{"Report 2026", 60, "report-2026"},
	} {
		if got := Slug(c.title, c.max); got != c.want {
			t.Errorf("Slug(%q, %d) = %q, want %q", c.title, c.max, got, c.want)
		}
		if got := Slug(c.title, c.max); len(got) > c.max {
			t.Errorf("Slug(%q) is longer than %d", c.title, c.max)
		}
	}
}
