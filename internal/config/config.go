// Package config reads glasnost's configuration from flags and the
// environment and validates it at start, naming each bad value in Russian
// without printing secrets.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/notify"
	"github.com/glasnost/glasnost/internal/oidc"
	"github.com/glasnost/glasnost/internal/web"
)

// Config is the validated configuration.
type Config struct {
	Addr        string
	DatabaseURL string
	DataDir     string
	SMTPURL     string
	SMTP        *notify.SMTPConfig
	BaseURL     string
	MaxUpload   int64
	// FilesURL (GLASNOST_FILES_URL) names an S3-compatible bucket for
	// uploads (s3://bucket/prefix?endpoint=…); empty keeps them in the
	// folder "files" under DataDir.
	FilesURL string
	// PageCacheOff (GLASNOST_PAGE_CACHE=off) renders every anonymous page
	// afresh; the load test uses it to measure rendering itself.
	PageCacheOff bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (GLASNOST_TRUSTED_PROXIES); none by default.
	TrustedProxies string
	// MetricsAllow are the addresses that may read /metrics
	// (GLASNOST_METRICS_ALLOW, default the loopback interface);
	// MetricsToken, when set, admits a scraper that sends it as a bearer
	// token from anywhere.
	MetricsAllow, MetricsToken string
	// OIDC is the identity provider for sign-in (GLASNOST_OIDC_*); off
	// when its issuer is empty.
	OIDC    oidc.Config
	oidcErr error
}

// FromEnv reads the environment (getenv is os.Getenv outside tests).
func FromEnv(getenv func(string) string) Config {
	addr := getenv("GLASNOST_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	oc, oerr := oidc.FromEnv(getenv)
	return Config{
		OIDC: oc, oidcErr: oerr,
		Addr:         addr,
		DatabaseURL:  getenv("GLASNOST_DATABASE_URL"),
		DataDir:      getenv("GLASNOST_DATA_DIR"),
		SMTPURL:      getenv("GLASNOST_SMTP_URL"),
		BaseURL:      getenv("GLASNOST_BASE_URL"),
		MaxUpload:    20 << 20,
		FilesURL:     getenv("GLASNOST_FILES_URL"),
		PageCacheOff: getenv("GLASNOST_PAGE_CACHE") == "off",

		TrustedProxies: getenv("GLASNOST_TRUSTED_PROXIES"),
		MetricsAllow:   cmpOr(getenv("GLASNOST_METRICS_ALLOW"), "127.0.0.0/8, ::1"),
		MetricsToken:   getenv("GLASNOST_METRICS_TOKEN"),
	}
}

// Validate fills defaults and checks every value, returning all problems at once.
func (c *Config) Validate() error {
	var errs []error
	if c.DataDir == "" {
		c.DataDir = "glasnost-data"
	}
	if abs, err := filepath.Abs(c.DataDir); err == nil {
		c.DataDir = abs
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = filepath.Join(c.DataDir, "glasnost.db")
	} else if !db.IsPostgres(c.DatabaseURL) {
		if strings.Contains(c.DatabaseURL, "://") {
			errs = append(errs, errors.New("GLASNOST_DATABASE_URL: укажите путь к файлу SQLite или адрес postgres://…"))
		}
	} else if u, err := url.Parse(c.DatabaseURL); err != nil || u.Host == "" {
		errs = append(errs, errors.New("GLASNOST_DATABASE_URL: адрес PostgreSQL должен иметь вид postgres://пользователь@сервер:5432/база"))
	}
	if _, err := web.ParseProxies(c.TrustedProxies); err != nil {
		errs = append(errs, err)
	}
	if _, err := web.ParseProxies(c.MetricsAllow); err != nil {
		errs = append(errs, fmt.Errorf("GLASNOST_METRICS_ALLOW: %w", err))
	}
	if c.FilesURL != "" {
		if _, err := files.ParseURL(c.FilesURL, Getenv); err != nil {
			errs = append(errs, err)
		}
	}
	if c.SMTPURL != "" {
		s, err := notify.ParseSMTPURL(c.SMTPURL)
		if err != nil {
			errs = append(errs, err)
		} else {
			c.SMTP = &s
		}
	}
	if c.oidcErr != nil {
		errs = append(errs, c.oidcErr)
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("--addr: ожидается адрес вида 127.0.0.1:8080, получено %q", c.Addr))
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	} else if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("GLASNOST_BASE_URL: ожидается адрес вида https://portal.example.ru, получено %q", c.BaseURL))
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	return errors.Join(errs...)
}

// Redacted describes the configuration for the log without secrets.
func (c Config) Redacted() map[string]string {
	out := map[string]string{"addr": c.Addr, "data_dir": c.DataDir, "base_url": c.BaseURL, "database": "sqlite"}
	if db.IsPostgres(c.DatabaseURL) {
		if u, err := url.Parse(c.DatabaseURL); err == nil {
			out["database"] = "postgres://" + u.Host + u.Path
		}
	}
	if c.FilesURL != "" {
		if s3, err := files.ParseURL(c.FilesURL, Getenv); err == nil {
			out["files"] = s3.String()
		}
	}
	if c.OIDC.Enabled() {
		out["oidc_issuer"] = c.OIDC.Issuer
	}
	if c.SMTP != nil {
		out["smtp"] = fmt.Sprintf("%s:%d", c.SMTP.Host, c.SMTP.Port)
	}
	return out
}

// Getenv is os.Getenv, named for wiring.
var Getenv = os.Getenv

func cmpOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
