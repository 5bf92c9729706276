package oidc

import (
	"strings"
	"testing"
)

func TestFromEnv(t *testing.T) {
	full := map[string]string{"GLASNOST_OIDC_ISSUER": "https://sso.example.ru/realms/x/", "GLASNOST_OIDC_CLIENT_ID": "portal", "GLASNOST_OIDC_CLIENT_SECRET": "s3cret-value"}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range full {
			m[a] = b
		}
		m[k] = v
		return m
	}
	cases := []struct {
		name    string
		env     map[string]string
		enabled bool
		wantErr string
	}{
		{"off without an issuer", nil, false, ""},
		{"complete", full, true, ""},
		{"no client id", with("GLASNOST_OIDC_CLIENT_ID", ""), true, "GLASNOST_OIDC_CLIENT_ID"},
		{"no secret", with("GLASNOST_OIDC_CLIENT_SECRET", ""), true, "GLASNOST_OIDC_CLIENT_SECRET"},
		{"bad issuer", with("GLASNOST_OIDC_ISSUER", "sso.example.ru"), true, "GLASNOST_OIDC_ISSUER"},
		{"scopes without openid", with("GLASNOST_OIDC_SCOPES", "profile email"), true, "openid"},
	}
	for _, tt := range cases {
		c, err := FromEnv(func(k string) string { return tt.env[k] })
		if c.Enabled() != tt.enabled && tt.wantErr == "" {
			t.Errorf("%s: enabled %v", tt.name, c.Enabled())
		}
		if (err != nil) != (tt.wantErr != "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.wantErr)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret-value") {
			t.Errorf("%s: the secret is printed", tt.name)
		}
	}
	c, _ := FromEnv(func(k string) string { return full[k] })
	if c.Issuer != "https://sso.example.ru/realms/x" || c.Label != DefaultLabel || c.Claims.Patronymic != "middle_name" || c.Claims.Verified != "trusted" {
		t.Errorf("defaults: %+v", c)
	}
}

func TestIdentityFullNameAndFlags(t *testing.T) {
	if n := (Identity{Surname: "Иванова", FirstName: "Мария", Patronymic: ""}).FullName(); n != "Иванова Мария" {
		t.Errorf("full name %q", n)
	}
	for _, tt := range []struct {
		v    any
		want bool
	}{{true, true}, {"true", true}, {"1", true}, {float64(1), true}, {false, false}, {"false", false}, {nil, false}, {float64(0), false}} {
		if truthy(tt.v) != tt.want {
			t.Errorf("truthy(%v) = %v", tt.v, !tt.want)
		}
	}
}
