package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Behind nginx the rate limits and the audit log must see the visitor, and
// a visitor must not be able to choose the address they are seen with.
func TestTrustProxies(t *testing.T) {
	t.Parallel()
	trusted, err := ParseProxies("127.0.0.1, 10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, remote, xff, want string
	}{
		{"direct visitor keeps own address", "203.0.113.7:5000", "", "203.0.113.7"},
		{"direct visitor cannot claim another address", "203.0.113.7:5000", "198.51.100.1", "203.0.113.7"},
		{"behind nginx: the address nginx saw", "127.0.0.1:4000", "198.51.100.1", "198.51.100.1"},
		{"spoofed left part is ignored", "127.0.0.1:4000", "1.2.3.4, 198.51.100.1", "198.51.100.1"},
		{"two trusted hops", "127.0.0.1:4000", "198.51.100.1, 10.1.2.3", "198.51.100.1"},
		{"proxy without header", "127.0.0.1:4000", "", "127.0.0.1"},
		{"garbage header keeps the proxy", "127.0.0.1:4000", "not-an-ip", "127.0.0.1"},
		{"IPv6 client", "127.0.0.1:4000", "2001:db8::1", "2001:db8::1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got string
			h := TrustProxies(trusted)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = ClientIP(r) }))
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = c.remote
			if c.xff != "" {
				r.Header.Set("X-Forwarded-For", c.xff)
			}
			h.ServeHTTP(httptest.NewRecorder(), r)
			if got != c.want {
				t.Fatalf("client address %q, want %q", got, c.want)
			}
		})
	}
	if _, err := ParseProxies("127.0.0.1, nginx"); err == nil {
		t.Fatal("a host name was accepted as a trusted proxy")
	}
}

// Metrics tell an outsider what the portal serves and how busy it is: they
// are for the monitoring host (its address, or its token) only.
func TestOnlyFrom(t *testing.T) {
	t.Parallel()
	allowed, _ := ParseProxies("127.0.0.0/8, ::1")
	h := OnlyFrom(allowed, "s3cret", &Errors{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }))
	cases := []struct {
		name, remote, auth string
		want               int
	}{
		{"loopback", "127.0.0.1:5000", "", 200},
		{"IPv6 loopback", "[::1]:5000", "", 200},
		{"outsider", "203.0.113.7:5000", "", 404},
		{"outsider with the token", "203.0.113.7:5000", "Bearer s3cret", 200},
		{"outsider with a wrong token", "203.0.113.7:5000", "Bearer guess", 404},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/metrics", nil)
		r.RemoteAddr = c.remote
		if c.auth != "" {
			r.Header.Set("Authorization", c.auth)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != c.want {
			t.Errorf("%s: %d, want %d", c.name, w.Code, c.want)
		}
	}
}

// A return address after login or a settings change never leads off the
// site, whatever a link crafted by someone else carries.
func TestSafeReturnControlCharacters(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"/acts/5?page=2#top", "/acts/5?page=2#top"},
		{"/admin/appeals", "/admin/appeals"},
		{"", "/"},
		{"acts", "/"},
		{"//evil.example/x", "/"},
		{"/\\evil.example/x", "/"},
		{"/\t/evil.example/x", "/"},
		{"/\n/evil.example", "/"},
		{"\t//evil.example", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"/%09/evil.example", "/%09/evil.example"}, // encoded: a path on this site
	}
	for _, c := range cases {
		if got := SafeReturn(c.in); got != c.want {
			t.Errorf("SafeReturn(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
