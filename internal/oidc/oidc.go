// Package oidc signs people in through an OpenID Connect provider: the
// state identity system (ЕСИА) through an OIDC-compatible gateway, or a
// regional Keycloak. It speaks the protocol only (authorization code with
// PKCE, state and nonce, ID token verification, claim mapping) and knows
// nothing of accounts or sessions: auth keeps the flow between the two
// requests and decides what an identity means for an account.
//
// It is a package of its own, not a file of auth, so that auth does not
// import the OIDC and JOSE libraries and the protocol can be tested
// without the database.
package oidc

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Config is the provider's configuration (GLASNOST_OIDC_*).
type Config struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	Scopes       []string
	// Label is the text of the sign-in button.
	Label string
	// Claims are the names of the claims that carry the person's data.
	Claims ClaimNames
}

// ClaimNames name the claims read from the ID token (and, for those it
// lacks, from the userinfo answer).
type ClaimNames struct {
	Surname, FirstName, Patronymic, Email, Phone string
	// Verified is a claim that is true when the provider confirmed the
	// person's identity (ЕСИА's «подтверждённая учётная запись»).
	Verified string
}

// DefaultLabel is the button's text unless GLASNOST_OIDC_LABEL says otherwise.
const DefaultLabel = "Войти через Госуслуги / единую учётную запись"

// FlowLifetime is how long a started sign-in may take: a callback later
// than this is refused.
const FlowLifetime = 10 * time.Minute

// FromEnv reads the configuration; an empty GLASNOST_OIDC_ISSUER leaves
// sign-in through a provider off (Enabled is false). Errors name the
// variable in Russian and never print the secret.
func FromEnv(getenv func(string) string) (Config, error) {
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Issuer:       strings.TrimRight(get("GLASNOST_OIDC_ISSUER", ""), "/"),
		ClientID:     get("GLASNOST_OIDC_CLIENT_ID", ""),
		ClientSecret: get("GLASNOST_OIDC_CLIENT_SECRET", ""),
		Scopes:       strings.FieldsFunc(get("GLASNOST_OIDC_SCOPES", "openid profile email"), func(r rune) bool { return r == ' ' || r == ',' }),
		Label:        get("GLASNOST_OIDC_LABEL", DefaultLabel),
		Claims: ClaimNames{
			Surname:    get("GLASNOST_OIDC_CLAIM_SURNAME", "family_name"),
			FirstName:  get("GLASNOST_OIDC_CLAIM_FIRST_NAME", "given_name"),
			Patronymic: get("GLASNOST_OIDC_CLAIM_PATRONYMIC", "middle_name"),
			Email:      get("GLASNOST_OIDC_CLAIM_EMAIL", "email"),
			Phone:      get("GLASNOST_OIDC_CLAIM_PHONE", "phone_number"),
			Verified:   get("GLASNOST_OIDC_CLAIM_VERIFIED", "trusted"),
		},
	}
	if c.Issuer == "" {
		return Config{}, nil
	}
	var errs []error
	if u, err := url.Parse(c.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		errs = append(errs, fmt.Errorf("GLASNOST_OIDC_ISSUER: ожидается адрес вида https://esia-gateway.example.ru, получено %q", c.Issuer))
	}
	if c.ClientID == "" {
		errs = append(errs, errors.New("GLASNOST_OIDC_CLIENT_ID: не задан идентификатор клиента, выданный провайдером"))
	}
	if c.ClientSecret == "" {
		errs = append(errs, errors.New("GLASNOST_OIDC_CLIENT_SECRET: не задан секрет клиента, выданный провайдером"))
	}
	hasOpenID := false
	for _, s := range c.Scopes {
		hasOpenID = hasOpenID || s == gooidc.ScopeOpenID
	}
	if !hasOpenID {
		errs = append(errs, fmt.Errorf("GLASNOST_OIDC_SCOPES: среди областей доступа должна быть openid, получено %q", strings.Join(c.Scopes, " ")))
	}
	return c, errors.Join(errs...)
}

// Enabled reports whether a provider is configured.
func (c Config) Enabled() bool { return c.Issuer != "" }

// Identity is what the provider says of the person.
type Identity struct {
	Issuer, Subject                string
	Surname, FirstName, Patronymic string
	Email, Phone                   string
	EmailVerified                  bool
	// Verified: the provider confirmed the person's identity.
	Verified bool
}

// FullName is the name as Russians write it in a form: surname, first
// name, patronymic.
func (i Identity) FullName() string {
	return strings.Join(strings.Fields(i.Surname+" "+i.FirstName+" "+i.Patronymic), " ")
}

// Flow is what must be kept between sending the person to the provider
// and their return: it is stored server-side (in the session) and used once.
type Flow struct {
	State, Nonce, Verifier string
	RedirectURL            string
	Started                time.Time
}

// Client talks to one provider. Discovery happens on first use and is
// retried after a failure, so that a provider that is down at start does
// not stop the portal.
type Client struct {
	cfg  Config
	http *http.Client
	now  func() time.Time

	mu       sync.Mutex
	provider *gooidc.Provider
}

// New makes a client; httpClient may be nil (a client with a timeout is used).
func New(cfg Config, httpClient *http.Client) *Client {
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 15 * time.Second}
	}
	return &Client{cfg: cfg, http: httpClient, now: time.Now}
}

// Config returns the configuration.
func (c *Client) Config() Config { return c.cfg }

func (c *Client) ctx(ctx context.Context) context.Context {
	return gooidc.ClientContext(ctx, c.http)
}

func (c *Client) discover(ctx context.Context) (*gooidc.Provider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c.provider, nil
	}
	p, err := gooidc.NewProvider(c.ctx(ctx), c.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc discovery at %s: %w", c.cfg.Issuer, err)
	}
	c.provider = p
	return p, nil
}

func (c *Client) oauth(p *gooidc.Provider, redirectURL string) *oauth2.Config {
	return &oauth2.Config{ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, Endpoint: p.Endpoint(), RedirectURL: redirectURL, Scopes: c.cfg.Scopes}
}

func random() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Start begins a sign-in: it returns the provider's address to send the
// person to and the flow to keep until they return.
func (c *Client) Start(ctx context.Context, redirectURL string) (string, Flow, error) {
	p, err := c.discover(ctx)
	if err != nil {
		return "", Flow{}, err
	}
	f := Flow{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier(), RedirectURL: redirectURL, Started: c.now()}
	u := c.oauth(p, redirectURL).AuthCodeURL(f.State, gooidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
	return u, f, nil
}

// Errors of a returning sign-in; each is a refusal the person can recover
// from by starting again.
var (
	ErrState   = errors.New("oidc: state does not match the started sign-in")
	ErrExpired = errors.New("oidc: the sign-in was started too long ago")
	ErrNonce   = errors.New("oidc: ID token nonce does not match")
	ErrDenied  = errors.New("oidc: the provider refused the sign-in")
	ErrToken   = errors.New("oidc: the provider's answer could not be verified")
)

// Finish checks the provider's answer (the callback's query) against the
// flow: the state, the code exchanged with the PKCE verifier, the ID
// token's signature, issuer, audience, expiry and nonce. It returns the
// identity the token and the userinfo answer describe.
func (c *Client) Finish(ctx context.Context, f Flow, q url.Values) (Identity, error) {
	if f.State == "" || subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.State)) != 1 {
		return Identity{}, ErrState
	}
	if c.now().Sub(f.Started) > FlowLifetime {
		return Identity{}, ErrExpired
	}
	if e := q.Get("error"); e != "" {
		return Identity{}, fmt.Errorf("%w: %s", ErrDenied, e)
	}
	p, err := c.discover(ctx)
	if err != nil {
		return Identity{}, err
	}
	oc := c.oauth(p, f.RedirectURL)
	tok, err := oc.Exchange(c.ctx(ctx), q.Get("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return Identity{}, fmt.Errorf("%w: code exchange: %w", ErrToken, err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return Identity{}, fmt.Errorf("%w: no id_token in the token response", ErrToken)
	}
	idt, err := p.VerifierContext(c.ctx(ctx), &gooidc.Config{ClientID: c.cfg.ClientID, Now: c.now}).Verify(c.ctx(ctx), raw)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: %w", ErrToken, err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return Identity{}, ErrNonce
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, fmt.Errorf("%w: claims: %w", ErrToken, err)
	}
	// Claims the ID token lacks may come from userinfo (ЕСИА gateways
	// often put the name there); the userinfo subject must be the token's.
	if p.UserInfoEndpoint() != "" && c.lacks(claims) {
		if ui, err := p.UserInfo(c.ctx(ctx), oauth2.StaticTokenSource(tok)); err == nil && ui.Subject == idt.Subject {
			extra := map[string]any{}
			if ui.Claims(&extra) == nil {
				for k, v := range extra {
					if _, ok := claims[k]; !ok {
						claims[k] = v
					}
				}
			}
		}
	}
	n := c.cfg.Claims
	id := Identity{
		Issuer: idt.Issuer, Subject: idt.Subject,
		Surname: str(claims[n.Surname]), FirstName: str(claims[n.FirstName]), Patronymic: str(claims[n.Patronymic]),
		Email: str(claims[n.Email]), Phone: str(claims[n.Phone]),
		EmailVerified: truthy(claims["email_verified"]), Verified: truthy(claims[n.Verified]),
	}
	return id, nil
}

func (c *Client) lacks(claims map[string]any) bool {
	n := c.cfg.Claims
	for _, k := range []string{n.Surname, n.FirstName, n.Email, n.Verified} {
		if _, ok := claims[k]; !ok {
			return true
		}
	}
	return false
}

func str(v any) string {
	s, _ := v.(string)
	return strings.TrimSpace(s)
}

// truthy reads a flag that providers write as true, "true", "1" or 1.
func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "1", "yes", "verified", "trusted":
			return true
		}
	case float64:
		return x == 1
	}
	return false
}

// AuthOrigin is the scheme and host of the provider's authorization
// endpoint (the issuer's when discovery fails). A page whose form starts a
// sign-in must allow it in its Content-Security-Policy's form-action:
// browsers apply form-action to the redirect that follows the form.
func (c *Client) AuthOrigin(ctx context.Context) string {
	raw := c.cfg.Issuer
	if p, err := c.discover(ctx); err == nil {
		raw = p.Endpoint().AuthURL
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
