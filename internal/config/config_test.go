package config

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		addr    string
		wantErr string
	}{
		{"defaults are valid", nil, "127.0.0.1:8080", ""},
		{"postgres url", map[string]string{"GLASNOST_DATABASE_URL": "postgres://u@localhost:5432/db"}, "127.0.0.1:8080", ""},
		{"unknown scheme", map[string]string{"GLASNOST_DATABASE_URL": "mysql://x"}, "127.0.0.1:8080", "GLASNOST_DATABASE_URL"},
		{"bad smtp scheme", map[string]string{"GLASNOST_SMTP_URL": "http://mail:25?from=a@b.ru"}, "127.0.0.1:8080", "GLASNOST_SMTP_URL"},
		{"smtp without sender", map[string]string{"GLASNOST_SMTP_URL": "smtp://mail:25"}, "127.0.0.1:8080", "from"},
		{"bad base url", map[string]string{"GLASNOST_BASE_URL": "portal"}, "127.0.0.1:8080", "GLASNOST_BASE_URL"},
		{"bad addr", nil, "8080", "--addr"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := FromEnv(func(k string) string { return c.env[k] })
			cfg.Addr = c.addr
			cfg.DataDir = t.TempDir()
			err := cfg.Validate()
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("error = %v, want one naming %q", err, c.wantErr)
			}
		})
	}
}

func TestSecretsAreNotPrinted(t *testing.T) {
	cfg := FromEnv(func(k string) string {
		return map[string]string{
			"GLASNOST_DATABASE_URL": "postgres://user:s3cret-db@db.example:5432/glasnost",
			"GLASNOST_SMTP_URL":     "smtp://mailer:s3cret-mail@smtp.example:587?from=portal@example.ru",
		}[k]
	})
	cfg.DataDir = t.TempDir()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	for k, v := range cfg.Redacted() {
		if strings.Contains(v, "s3cret") {
			t.Fatalf("%s reveals a secret: %s", k, v)
		}
	}
	bad := FromEnv(func(k string) string {
		return map[string]string{"GLASNOST_SMTP_URL": "ftp://mailer:s3cret-mail@smtp.example"}[k]
	})
	bad.DataDir = t.TempDir()
	if err := bad.Validate(); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("validation error must exist and hide the password: %v", err)
	}
}
