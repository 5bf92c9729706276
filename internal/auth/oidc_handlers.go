package auth

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/oidc"
	"github.com/glasnost/glasnost/internal/web"
)

// Session keys of a sign-in through a provider. The flow (state, nonce,
// PKCE verifier) stays on the server, in the session, and is taken out
// on the first return: a second use of the same answer finds nothing.
const (
	sessionOIDCFlow    = "oidc_flow"
	sessionOIDCPending = "oidc_pending"
	oidcCallbackPath   = "/login/oidc/callback"
)

// oidcFlow is the started sign-in kept between the two requests.
type oidcFlow struct {
	oidc.Flow
	// Link is the signed-in account that asked to link the identity;
	// zero for a sign-in.
	Link int64
	Next string
}

// oidcPending is a verified identity waiting for the person's consent
// before an account is made for it.
type oidcPending struct {
	Identity oidc.Identity
	At       time.Time
	Next     string
}

func (h *Handlers) mountOIDC(rt *web.Router) {
	rt.HandleFunc("POST /login/oidc", web.Public(), h.oidcStart)
	rt.HandleFunc("GET "+oidcCallbackPath, web.Public(), h.oidcCallback)
	rt.HandleFunc("GET /login/oidc/new", web.Public(), h.oidcNewForm)
	rt.HandleFunc("POST /login/oidc/new", web.Public(), h.oidcNew)
	rt.HandleFunc("POST /account/identity", web.SignedIn(), h.oidcLinkStart)
}

// OIDCLabel is the text of the provider's sign-in button, empty when no
// provider is configured.
func (h *Handlers) OIDCLabel() string {
	if h.OIDC == nil {
		return ""
	}
	return h.OIDC.Config().Label
}

// allowProviderForm lets the page's forms that start a sign-in be
// redirected to the provider: the Content-Security-Policy's form-action
// also governs the redirect after a form, and allows only the portal.
func (h *Handlers) allowProviderForm(w http.ResponseWriter, r *http.Request) {
	if h.OIDC == nil {
		return
	}
	if origin := h.OIDC.AuthOrigin(r.Context()); origin != "" {
		w.Header().Set("Content-Security-Policy", strings.Replace(web.ContentSecurityPolicy, "form-action 'self'", "form-action 'self' "+origin, 1))
	}
}

// redirectURL is the callback address on the request's own host (each
// municipality has its own host, and the session cookie is the host's),
// with the scheme of the configured base address.
func (h *Handlers) redirectURL(r *http.Request) string {
	u, err := url.Parse(h.Mailer.BaseURL)
	if err != nil || u.Host == "" {
		u = &url.URL{Scheme: "http"}
	}
	return u.Scheme + "://" + r.Host + oidcCallbackPath
}

func (h *Handlers) oidcBegin(w http.ResponseWriter, r *http.Request, link int64, next string) {
	if h.OIDC == nil {
		h.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	to, flow, err := h.OIDC.Start(r.Context(), h.redirectURL(r))
	if err != nil {
		h.Log.Warn("oidc start", "err", err)
		h.oidcFailed(w, r, http.StatusBadGateway, "Сервис входа сейчас недоступен. Попробуйте позже или войдите по адресу электронной почты и паролю.")
		return
	}
	b, err := json.Marshal(oidcFlow{Flow: flow, Link: link, Next: next})
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	h.Sessions.Put(r.Context(), sessionOIDCFlow, string(b))
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (h *Handlers) oidcStart(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, 4<<10)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	h.oidcBegin(w, r, 0, web.SafeReturn(f.Get("next")))
}

func (h *Handlers) oidcLinkStart(w http.ResponseWriter, r *http.Request) {
	if _, err := web.ParseForm(w, r, 4<<10); err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	h.oidcBegin(w, r, web.ViewerFrom(r.Context()).ID, "/account#identity")
}

func (h *Handlers) oidcFailed(w http.ResponseWriter, r *http.Request, status int, msg string) {
	w.Header().Set("Cache-Control", "no-store")
	h.Renderer.Page(w, r, status, "auth/oidc_failed", "Вход не выполнен", map[string]any{"Message": msg, "Label": h.OIDCLabel()})
}

func (h *Handlers) signIn(w http.ResponseWriter, r *http.Request, a Account) bool {
	if err := h.Sessions.RenewToken(r.Context()); err != nil {
		h.Errors.Render(w, r, err)
		return false
	}
	h.Sessions.Put(r.Context(), sessionAccountKey, a.ID)
	h.Sessions.Put(r.Context(), sessionEpochKey, a.SessionEpoch)
	return true
}

func (h *Handlers) oidcCallback(w http.ResponseWriter, r *http.Request) {
	if h.OIDC == nil {
		h.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	var flow oidcFlow
	raw := h.Sessions.PopString(r.Context(), sessionOIDCFlow)
	if raw == "" || json.Unmarshal([]byte(raw), &flow) != nil {
		h.oidcFailed(w, r, http.StatusBadRequest, "Вход не начат или уже завершён: эта ссылка срабатывает один раз. Начните вход заново.")
		return
	}
	id, err := h.OIDC.Finish(r.Context(), flow.Flow, r.URL.Query())
	if err != nil {
		// The detail is for the log; it holds no personal data.
		h.Log.Warn("oidc sign-in refused", "err", err)
		h.oidcFailed(w, r, http.StatusBadRequest, oidcRefusalMessage(err))
		return
	}
	if flow.Link != 0 {
		h.oidcLinkIdentity(w, r, flow, id)
		return
	}
	m := web.Municipality(r)
	a, err := h.Store.ByIdentity(r.Context(), m.ID, id.Issuer, id.Subject)
	switch {
	case err == nil:
		if a.Disabled {
			h.oidcFailed(w, r, http.StatusForbidden, ErrAccountDisabled.Error())
			return
		}
		if err := h.DB.InTx(r.Context(), func(tx *db.Tx) error {
			return h.Store.LinkIdentity(r.Context(), tx, m.ID, a.ID, id.Issuer, id.Subject, id.Verified, id.FullName())
		}); err != nil {
			h.Errors.Render(w, r, err)
			return
		}
		if h.signIn(w, r, a) {
			http.Redirect(w, r, web.SafeReturn(flow.Next), http.StatusSeeOther)
		}
		return
	case !errors.Is(err, db.ErrNotFound):
		h.Errors.Render(w, r, err)
		return
	}
	h.oidcAskConsent(w, r, flow, id)
}

// oidcRefusalMessage tells the person why the provider's answer was not
// accepted, in words that say what to do next.
func oidcRefusalMessage(err error) string {
	switch {
	case errors.Is(err, oidc.ErrDenied):
		return "Вход отменён или отклонён сервисом входа."
	case errors.Is(err, oidc.ErrExpired):
		return "Вход занял слишком много времени. Начните вход заново."
	}
	return "Не удалось проверить ответ сервиса входа. Начните вход заново."
}

// oidcLinkIdentity ends a flow started from the account page: the verified
// identity is linked to the account that asked for it.
func (h *Handlers) oidcLinkIdentity(w http.ResponseWriter, r *http.Request, flow oidcFlow, id oidc.Identity) {
	m := web.Municipality(r)
	v := web.ViewerFrom(r.Context())
	if v == nil || v.ID != flow.Link {
		h.oidcFailed(w, r, http.StatusBadRequest, "Привязать вход можно только к учётной записи, в которую вы вошли. Войдите и повторите.")
		return
	}
	err := h.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := h.Store.LinkIdentity(r.Context(), tx, m.ID, v.ID, id.Issuer, id.Subject, id.Verified, id.FullName()); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, h.DB.Now(), audit.FromRequest(r, "account.link_identity", "account", strconv.FormatInt(v.ID, 10), nil, map[string]any{"issuer": id.Issuer, "verified": id.Verified}))
	})
	if errors.Is(err, ErrIdentityTaken) {
		h.oidcFailed(w, r, http.StatusConflict, err.Error())
		return
	}
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	msg := "Вход через Госуслуги / единую учётную запись привязан к вашей учётной записи."
	if id.Verified {
		msg += " Ваша личность подтверждена; имя взято из подтверждённой учётной записи."
	} else {
		msg += " Сервис входа не подтвердил вашу личность: подтвердите учётную запись на Госуслугах и войдите ещё раз."
	}
	web.SetFlash(h.Sessions, r, msg)
	http.Redirect(w, r, "/account#identity", http.StatusSeeOther)
}

// oidcAskConsent handles the first sign-in of a person: an account is made
// after they consent to the processing of their data, as at registration,
// so the identity waits in the session for the consent form.
func (h *Handlers) oidcAskConsent(w http.ResponseWriter, r *http.Request, flow oidcFlow, id oidc.Identity) {
	if id.Email == "" {
		h.oidcFailed(w, r, http.StatusUnprocessableEntity, "Сервис входа не передал адрес электронной почты, а он нужен для ответов на обращения и уведомлений. Разрешите передачу адреса при входе или зарегистрируйтесь на портале.")
		return
	}
	if _, err := h.Store.ByEmail(r.Context(), web.Municipality(r).ID, id.Email); err == nil {
		// Never joined by address alone: whoever controls the provider's
		// account must prove they own the portal's account too.
		h.oidcFailed(w, r, http.StatusConflict, "На портале уже есть учётная запись с адресом "+id.Email+". Войдите в неё с паролем и привяжите вход через Госуслуги в личном кабинете.")
		return
	}
	b, err := json.Marshal(oidcPending{Identity: id, At: h.DB.Now(), Next: flow.Next})
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	h.Sessions.Put(r.Context(), sessionOIDCPending, string(b))
	http.Redirect(w, r, "/login/oidc/new", http.StatusSeeOther)
}

func (h *Handlers) pending(r *http.Request) (oidcPending, bool) {
	var p oidcPending
	raw := h.Sessions.GetString(r.Context(), sessionOIDCPending)
	if raw == "" || json.Unmarshal([]byte(raw), &p) != nil || h.DB.Now().Sub(p.At) > oidc.FlowLifetime {
		return p, false
	}
	return p, true
}

type oidcNewPage struct {
	Form     *web.Form
	Identity oidc.Identity
	Consent  []string
	Version  string
}

func (h *Handlers) oidcNewPage(w http.ResponseWriter, r *http.Request, status int, f *web.Form, p oidcPending) {
	w.Header().Set("Cache-Control", "no-store")
	h.Renderer.Page(w, r, status, "auth/oidc_new", "Новая учётная запись", oidcNewPage{Form: f, Identity: p.Identity, Consent: ConsentText(web.Municipality(r)), Version: consentVersionRussian()})
}

func (h *Handlers) oidcNewForm(w http.ResponseWriter, r *http.Request) {
	p, ok := h.pending(r)
	if !ok {
		h.oidcFailed(w, r, http.StatusBadRequest, "Вход не начат или занял слишком много времени. Начните вход заново.")
		return
	}
	h.oidcNewPage(w, r, http.StatusOK, web.NewForm(nil), p)
}

func (h *Handlers) oidcNew(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, 4<<10)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	p, ok := h.pending(r)
	if !ok {
		h.oidcFailed(w, r, http.StatusBadRequest, "Вход не начат или занял слишком много времени. Начните вход заново.")
		return
	}
	if f.Get("consent") != "yes" {
		f.Fail("consent", "Чтобы создать учётную запись, нужно согласие на обработку персональных данных: прочитайте его текст и отметьте поле.")
		h.oidcNewPage(w, r, http.StatusUnprocessableEntity, f, p)
		return
	}
	m := web.Municipality(r)
	id := p.Identity
	a := &Account{MunicipalityID: m.ID, Email: id.Email, FullName: id.FullName(), Roles: []string{Resident},
		// The provider vouches for the address only when it says so.
		Confirmed: id.EmailVerified || id.Verified}
	err = h.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := h.Store.CreateWithoutPassword(r.Context(), tx, a); err != nil {
			return err
		}
		if err := h.Store.RecordConsent(r.Context(), tx, m, a.ID); err != nil {
			return err
		}
		return h.Store.LinkIdentity(r.Context(), tx, m.ID, a.ID, id.Issuer, id.Subject, id.Verified, id.FullName())
	})
	if errors.Is(err, ErrEmailTaken) || errors.Is(err, ErrIdentityTaken) {
		h.Sessions.Remove(r.Context(), sessionOIDCPending)
		h.oidcFailed(w, r, http.StatusConflict, "Учётная запись для этого входа или адреса уже есть. Войдите снова.")
		return
	}
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	h.Sessions.Remove(r.Context(), sessionOIDCPending)
	acc, err := h.Store.ByID(r.Context(), m.ID, a.ID)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	if h.signIn(w, r, acc) {
		web.SetFlash(h.Sessions, r, "Учётная запись создана, вы вошли на портал.")
		http.Redirect(w, r, web.SafeReturn(p.Next), http.StatusSeeOther)
	}
}
