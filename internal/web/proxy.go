package web

import (
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ParseProxies reads GLASNOST_TRUSTED_PROXIES: addresses or networks
// (127.0.0.1, 10.0.0.0/8, ::1) separated by commas or spaces.
func ParseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("GLASNOST_TRUSTED_PROXIES: %q не адрес и не сеть (ожидается, например, 127.0.0.1 или 10.0.0.0/8)", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// TrustProxies makes the client's address the one a trusted reverse proxy
// reports. Without it every visitor behind nginx has the proxy's address and
// shares one rate limit. X-Forwarded-For is read from the right: each
// trusted proxy appended the address it saw, so the first address from the
// right that is not a trusted proxy is the client; whatever a client wrote
// to the left of it is ignored. Requests that do not come from a trusted
// proxy keep their own address, whatever headers they carry.
func TrustProxies(trusted []netip.Prefix) Middleware {
	isTrusted := func(a netip.Addr) bool {
		a = a.Unmap()
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return func(next http.Handler) http.Handler {
		if len(trusted) == 0 {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			peer, err := netip.ParseAddrPort(r.RemoteAddr)
			if err != nil || !isTrusted(peer.Addr()) {
				next.ServeHTTP(w, r)
				return
			}
			hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
			for i := len(hops) - 1; i >= 0; i-- {
				a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
				if err != nil {
					break // a garbled hop: trust nothing further left
				}
				if isTrusted(a) {
					continue
				}
				r2 := r.Clone(r.Context())
				r2.RemoteAddr = net.JoinHostPort(a.Unmap().String(), "0")
				next.ServeHTTP(w, r2)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// OnlyFrom serves h to clients whose address is in allowed, or that send
// token as a bearer token (when token is set); others get 404, as if the
// address did not exist. The address is the client's after TrustProxies.
func OnlyFrom(allowed []netip.Prefix, token string, errs *Errors, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token != "" && subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte("Bearer "+token)) == 1 {
			h.ServeHTTP(w, r)
			return
		}
		if a, err := netip.ParseAddr(ClientIP(r)); err == nil {
			a = a.Unmap()
			for _, p := range allowed {
				if p.Contains(a) {
					h.ServeHTTP(w, r)
					return
				}
			}
		}
		errs.Render(w, r, ErrNotFound)
	})
}
