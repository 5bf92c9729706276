package auth

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/notify"
	"github.com/glasnost/glasnost/internal/oidc"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

// Templates are the package's pages.
func Templates() fs.FS {
	sub, _ := fs.Sub(templatesFS, "templates")
	return sub
}

// Handlers serve sign-in, registration, the account page and user administration.
type Handlers struct {
	Store         *Store
	DB            *db.DB
	Tenants       *tenant.Store
	Sessions      *scs.SessionManager
	Renderer      *web.Renderer
	Errors        *web.Errors
	Mailer        *notify.Mailer
	Subscriptions *notify.Subscriptions
	Log           *slog.Logger
	// OIDC signs people in through an identity provider; nil when
	// GLASNOST_OIDC_ISSUER is not set.
	OIDC *oidc.Client

	// AdminLinks are the administration pages other areas add; the index
	// shows those that CanOpen allows the viewer (all when it is nil).
	AdminLinks []web.NavItem
	CanOpen    func(v *web.Viewer, path string) bool
	// Tasks is the work the areas report for the viewer, shown on the
	// staff dashboard (/admin); nil shows none.
	Tasks func(r *http.Request, v *web.Viewer) []web.Task

	loginByIP      *web.Limiter
	loginByAccount *web.Limiter
	mailByIP       *web.Limiter
	// resendByAddress limits new confirmation letters to one address.
	resendByAddress *web.Limiter
}

// Mount registers the routes.
func (h *Handlers) Mount(rt *web.Router) {
	h.loginByIP = web.NewLimiter(6*time.Second, 10)
	h.loginByAccount = web.NewLimiter(time.Minute, 5)
	h.mailByIP = web.NewLimiter(time.Minute, 5)
	h.resendByAddress = web.NewLimiter(10*time.Minute, 1)
	rt.HandleFunc("GET /login", web.Public(), h.loginForm)
	rt.HandleFunc("POST /login", web.Public(), h.login)
	rt.HandleFunc("POST /logout", web.SignedIn(), h.logout)
	rt.HandleFunc("GET /privacy", web.Public(), h.privacy)
	rt.HandleFunc("GET /register", web.Public(), h.registerForm)
	rt.HandleFunc("POST /register", web.Public(), h.register)
	rt.HandleFunc("GET /confirm", web.Public(), h.confirm)
	rt.HandleFunc("GET /confirm/resend", web.Public(), h.resendForm)
	rt.HandleFunc("POST /confirm/resend", web.Public(), h.resend)
	rt.HandleFunc("GET /forgot", web.Public(), h.forgotForm)
	rt.HandleFunc("POST /forgot", web.Public(), h.forgot)
	rt.HandleFunc("GET /reset", web.Public(), h.resetForm)
	rt.HandleFunc("POST /reset", web.Public(), h.reset)
	rt.HandleFunc("GET /account", web.SignedIn(), h.account)
	rt.HandleFunc("POST /account/subscriptions", web.SignedIn(), h.saveSubscriptions)
	rt.HandleFunc("POST /account/tokens", web.SignedIn(), h.issueToken)
	rt.HandleFunc("POST /account/tokens/{id}/revoke", web.SignedIn(), h.revokeToken)
	rt.HandleFunc("GET /account/delete", web.SignedIn(), h.deleteForm)
	rt.HandleFunc("POST /account/delete", web.SignedIn(), h.deleteAccount)
	rt.HandleFunc("GET /admin", web.Roles(append(slices.Clone(Staff), RegionalAdmin)...), h.adminIndex)
	rt.HandleFunc("GET /admin/users", web.Roles(Administrator), h.users)
	rt.HandleFunc("GET /admin/users/new", web.Roles(Administrator), h.newUserForm)
	rt.HandleFunc("POST /admin/users", web.Roles(Administrator), h.createUser)
	rt.HandleFunc("GET /admin/users/{id}", web.Roles(Administrator), h.editUserForm)
	rt.HandleFunc("POST /admin/users/{id}", web.Roles(Administrator), h.updateUser)
	rt.HandleFunc("GET /api/v1/me", web.SignedIn(), h.me)
	h.mountOIDC(rt)
}

func (h *Handlers) loginForm(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm(nil)
	f.Values.Set("next", web.SafeReturn(r.URL.Query().Get("next")))
	h.loginPage(w, r, http.StatusOK, f)
}

// loginPage is the sign-in form, with the provider's button when one is
// configured.
func (h *Handlers) loginPage(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	h.allowProviderForm(w, r)
	h.Renderer.Page(w, r, status, "auth/login", "Вход", map[string]any{"Form": f, "OIDC": h.OIDCLabel()})
}

func (h *Handlers) login(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, 8<<10)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	email := NormalizeEmail(f.Get("email"))
	// Only failures count against the limits (see fail below): a person
	// who signs in correctly several times in a row is never locked out.
	if h.loginByIP.Blocked(web.ClientIP(r)) || (email != "" && h.loginByAccount.Blocked(email)) {
		f.Fail("email", "Слишком много попыток входа. Подождите минуту и попробуйте снова.")
		h.loginPage(w, r, http.StatusTooManyRequests, f)
		return
	}
	f.Required(map[string]string{"email": "Электронная почта", "password": "Пароль"})
	if f.Valid() {
		a, err := h.Store.Authenticate(r.Context(), web.Municipality(r).ID, email, f.Values.Get("password"))
		switch {
		case errors.Is(err, ErrBadCredentials), errors.Is(err, ErrNotConfirmed), errors.Is(err, ErrAccountDisabled):
			h.loginByIP.Allow(web.ClientIP(r))
			if email != "" {
				h.loginByAccount.Allow(email)
			}
			f.Fail("email", err.Error())
		case err != nil:
			h.Errors.Render(w, r, err)
			return
		default:
			if h.signIn(w, r, a) {
				http.Redirect(w, r, web.SafeReturn(f.Get("next")), http.StatusSeeOther)
			}
			return
		}
	}
	f.Values.Del("password")
	h.loginPage(w, r, http.StatusUnprocessableEntity, f)
}

func (h *Handlers) logout(w http.ResponseWriter, r *http.Request) {
	if err := h.Sessions.Destroy(r.Context()); err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// registerPage is the registration form with the consent it asks for.
type registerPage struct {
	Form    *web.Form
	Consent []string
	Version string
}

func (h *Handlers) registerPage(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	h.Renderer.Page(w, r, status, "auth/register", "Регистрация", registerPage{Form: f, Consent: ConsentText(web.Municipality(r)), Version: consentVersionRussian()})
}

func (h *Handlers) registerForm(w http.ResponseWriter, r *http.Request) {
	h.registerPage(w, r, http.StatusOK, web.NewForm(nil))
}

func (h *Handlers) register(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, 8<<10)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	if !h.mailByIP.Allow(web.ClientIP(r)) {
		h.Errors.Render(w, r, web.ErrTooManyRequests)
		return
	}
	f.Required(map[string]string{"full_name": "Имя и фамилия", "email": "Электронная почта", "password": "Пароль"})
	f.Email("email")
	f.MaxLen("full_name", "Имя и фамилия", 200)
	pw := f.Values.Get("password")
	if pw != "" {
		if err := CheckPassword(pw, f.Get("email"), f.Get("full_name"), web.Municipality(r).Name); err != nil {
			f.Fail("password", err.Error())
		}
	}
	if pw != f.Values.Get("password2") {
		f.Fail("password2", "Пароли не совпадают.")
	}
	if f.Values.Get("consent") != "yes" {
		f.Fail("consent", "Для регистрации нужно согласие на обработку персональных данных: прочитайте его текст и отметьте поле.")
	}
	if f.Valid() {
		m := web.Municipality(r)
		a := &Account{MunicipalityID: m.ID, Email: f.Get("email"), FullName: f.Get("full_name"), Roles: []string{Resident}}
		err := h.DB.InTx(r.Context(), func(tx *db.Tx) error {
			if err := h.Store.Create(r.Context(), tx, a, pw); err != nil {
				return err
			}
			if err := h.Store.RecordConsent(r.Context(), tx, m, a.ID); err != nil {
				return err
			}
			tok, err := h.Store.CreateEmailToken(r.Context(), tx, a.ID, PurposeConfirm, 48*time.Hour)
			if err != nil {
				return err
			}
			return h.Mailer.Queue(r.Context(), tx, a.Email, "confirm_email", map[string]any{"Municipality": m.Name, "Token": tok})
		})
		if errors.Is(err, ErrEmailTaken) {
			// Answer as for a new address, so that the form does not tell
			// who has an account; the owner of the address gets a letter
			// saying what happened instead.
			err = h.DB.InTx(r.Context(), func(tx *db.Tx) error {
				return h.Mailer.Queue(r.Context(), tx, a.Email, "register_exists", map[string]any{"Municipality": m.Name})
			})
		}
		switch {
		case errors.Is(err, ErrPasswordShort), errors.Is(err, ErrPasswordWeak):
			f.Fail("password", err.Error())
		case err != nil:
			h.Errors.Render(w, r, err)
			return
		default:
			title := "Проверьте почту"
			if !h.Mailer.Configured() {
				title = "Регистрация не завершена"
			}
			h.Renderer.Page(w, r, http.StatusOK, "auth/registered", title, map[string]any{"Email": a.Email, "MailConfigured": h.Mailer.Configured()})
			return
		}
	}
	f.Values.Del("password")
	f.Values.Del("password2")
	h.registerPage(w, r, http.StatusUnprocessableEntity, f)
}

func (h *Handlers) confirm(w http.ResponseWriter, r *http.Request) {
	err := h.DB.InTx(r.Context(), func(tx *db.Tx) error {
		id, err := h.Store.UseEmailToken(r.Context(), tx, r.URL.Query().Get("token"), PurposeConfirm)
		if err != nil {
			return err
		}
		return h.Store.Confirm(r.Context(), tx, id)
	})
	if errors.Is(err, ErrTokenInvalid) {
		h.Errors.Render(w, r, web.Invalid(err.Error()))
		return
	}
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(h.Sessions, r, "Адрес электронной почты подтверждён. Теперь вы можете войти.")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (h *Handlers) forgotForm(w http.ResponseWriter, r *http.Request) {
	h.Renderer.Page(w, r, http.StatusOK, "auth/forgot", "Восстановление пароля", web.NewForm(nil))
}

func (h *Handlers) forgot(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, 4<<10)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	if !h.mailByIP.Allow(web.ClientIP(r)) {
		h.Errors.Render(w, r, web.ErrTooManyRequests)
		return
	}
	f.Required(map[string]string{"email": "Электронная почта"})
	f.Email("email")
	if !f.Valid() {
		h.Renderer.Page(w, r, http.StatusUnprocessableEntity, "auth/forgot", "Восстановление пароля", f)
		return
	}
	m := web.Municipality(r)
	a, err := h.Store.ByEmail(r.Context(), m.ID, f.Get("email"))
	if err == nil && !a.Disabled {
		err = h.DB.InTx(r.Context(), func(tx *db.Tx) error {
			tok, err := h.Store.CreateEmailToken(r.Context(), tx, a.ID, PurposeReset, 2*time.Hour)
			if err != nil {
				return err
			}
			return h.Mailer.Queue(r.Context(), tx, a.Email, "reset_password", map[string]any{"Municipality": m.Name, "Token": tok})
		})
		if err != nil {
			h.Errors.Render(w, r, err)
			return
		}
	}
	// The same answer whether or not the address is registered.
	if h.Mailer.Configured() {
		web.SetFlash(h.Sessions, r, "Если такой адрес зарегистрирован, на него придёт письмо со ссылкой для смены пароля (обычно в течение нескольких минут).")
	} else {
		web.SetFlash(h.Sessions, r, "Письмо со ссылкой для смены пароля отправить нельзя: на портале не настроена отправка почты. Обратитесь к администратору портала.")
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (h *Handlers) resetForm(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm(nil)
	f.Values.Set("token", r.URL.Query().Get("token"))
	h.Renderer.Page(w, r, http.StatusOK, "auth/reset", "Новый пароль", f)
}

func (h *Handlers) reset(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, 4<<10)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	pw := f.Values.Get("password")
	if err := CheckPassword(pw, web.Municipality(r).Name); err != nil {
		f.Fail("password", err.Error())
	}
	if pw != f.Values.Get("password2") {
		f.Fail("password2", "Пароли не совпадают.")
	}
	if f.Valid() {
		err = h.DB.InTx(r.Context(), func(tx *db.Tx) error {
			id, err := h.Store.UseEmailToken(r.Context(), tx, f.Get("token"), PurposeReset)
			if err != nil {
				return err
			}
			if err := h.Store.SetPassword(r.Context(), tx, id, pw); err != nil {
				return err
			}
			// Following the link proves the address, as confirmation does.
			return h.Store.Confirm(r.Context(), tx, id)
		})
		if errors.Is(err, ErrTokenInvalid) {
			f.Fail("password", err.Error())
		} else if err != nil {
			h.Errors.Render(w, r, err)
			return
		} else {
			web.SetFlash(h.Sessions, r, "Пароль изменён. Войдите с новым паролем.")
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
	}
	f.Values.Del("password")
	f.Values.Del("password2")
	h.Renderer.Page(w, r, http.StatusUnprocessableEntity, "auth/reset", "Новый пароль", f)
}

func (h *Handlers) account(w http.ResponseWriter, r *http.Request) {
	h.accountPage(w, r, http.StatusOK, web.NewForm(nil), "")
}

// accountPage shows the cabinet; newToken is a token just issued, shown
// this once.
func (h *Handlers) accountPage(w http.ResponseWriter, r *http.Request, status int, tokenForm *web.Form, newToken string) {
	v := web.ViewerFrom(r.Context())
	m := web.Municipality(r)
	spheres, err := h.Tenants.Spheres(r.Context(), m.ID)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	subs, err := h.Subscriptions.Of(r.Context(), v.ID)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	followed := map[int64]bool{}
	for _, id := range subs {
		followed[id] = true
	}
	roles := Account{Roles: v.Roles}.RoleLabels()
	consents, err := h.Store.Consents(r.Context(), v.ID)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	staff := slices.ContainsFunc(v.Roles, func(role string) bool { return slices.Contains(Staff, role) })
	tokens, err := h.Store.APITokens(r.Context(), v.ID)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	identities, err := h.Store.Identities(r.Context(), v.ID)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	if tokenForm.Values.Get("days") == "" {
		tokenForm.Values.Set("days", "365")
	}
	h.allowProviderForm(w, r)
	h.Renderer.Page(w, r, status, "auth/account", "Личный кабинет", map[string]any{
		"Roles": roles, "Spheres": spheres, "Followed": followed, "Consents": consents, "Staff": staff,
		"Tokens": tokens, "TokenForm": tokenForm, "NewToken": newToken, "Now": h.DB.Now(),
		"Identities": identities, "OIDC": h.OIDCLabel(),
	})
}

// issueToken makes an API token for the signed-in person and shows it once.
func (h *Handlers) issueToken(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, 4<<10)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	f.Required(map[string]string{"name": "Название"})
	f.MaxLen("name", "Название", 100)
	days, err := strconv.Atoi(f.Get("days"))
	if err != nil || days < 1 || days > int(MaxTokenLifetime/(24*time.Hour)) {
		f.Fail("days", fmt.Sprintf("Срок действия — целое число дней от 1 до %d.", int(MaxTokenLifetime/(24*time.Hour))))
	}
	if !f.Valid() {
		h.accountPage(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	v := web.ViewerFrom(r.Context())
	tok, err := h.Store.IssueAPIToken(r.Context(), h.DB, v.ID, f.Get("name"), time.Duration(days)*24*time.Hour)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	// Shown in this answer only (never stored in the session or a flash):
	// the page must not be cached or kept in history.
	w.Header().Set("Cache-Control", "no-store")
	h.accountPage(w, r, http.StatusOK, web.NewForm(nil), tok)
}

// revokeToken deletes one of the signed-in person's tokens.
func (h *Handlers) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	v := web.ViewerFrom(r.Context())
	if err := h.DB.InTx(r.Context(), func(tx *db.Tx) error { return h.Store.RevokeAPIToken(r.Context(), tx, v.ID, id) }); err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(h.Sessions, r, "Токен отозван: программы, которые им пользовались, больше не получат доступ.")
	http.Redirect(w, r, "/account#tokens", http.StatusSeeOther)
}

func (h *Handlers) saveSubscriptions(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, 16<<10)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	spheres, err := h.Tenants.Spheres(r.Context(), m.ID)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	valid := map[string]int64{}
	for _, s := range spheres {
		valid[strconv.FormatInt(s.ID, 10)] = s.ID
	}
	var ids []int64
	for _, v := range f.Values["sphere"] {
		if id, ok := valid[v]; ok {
			ids = append(ids, id)
		}
	}
	if err := h.Subscriptions.Set(r.Context(), web.ViewerFrom(r.Context()).ID, ids); err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(h.Sessions, r, "Подписка сохранена.")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

func (h *Handlers) adminIndex(w http.ResponseWriter, r *http.Request) {
	v := web.ViewerFrom(r.Context())
	var links []web.NavItem
	for _, l := range h.AdminLinks {
		if h.CanOpen == nil || h.CanOpen(v, l.Href) {
			links = append(links, l)
		}
	}
	var tasks []web.Task
	if h.Tasks != nil {
		tasks = h.Tasks(r, v)
	}
	h.Renderer.Page(w, r, http.StatusOK, "auth/admin", "Рабочий кабинет", map[string]any{"Links": links, "Tasks": tasks})
}

func (h *Handlers) users(w http.ResponseWriter, r *http.Request) {
	p := web.NewPager(r.URL, 50)
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	list, total, err := h.Store.List(r.Context(), web.Municipality(r).ID, q, p.PerPage, p.Offset())
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	h.Renderer.Page(w, r, http.StatusOK, "auth/users", "Пользователи", map[string]any{"Accounts": list, "Pager": p, "Q": q})
}

type userForm struct {
	Form        *web.Form
	Account     Account
	Departments []tenant.Department
	Roles       []RoleInfo
	Checked     map[string]bool
	// Kept names the account's roles this page cannot give or take.
	Kept []string
}

// keptRoles are the account's roles the users page leaves as they are.
func keptRoles(a Account) []string {
	var out []string
	for _, r := range a.Roles {
		if !Grantable(r) {
			out = append(out, r)
		}
	}
	return out
}

func (h *Handlers) userPage(w http.ResponseWriter, r *http.Request, status int, name, title string, f *web.Form, a Account) {
	depts, err := h.Tenants.Departments(r.Context(), web.Municipality(r).ID)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	checked := map[string]bool{}
	for _, x := range f.Values["role"] {
		checked[x] = true
	}
	var kept []string
	for _, x := range keptRoles(a) {
		kept = append(kept, RoleLabel(x))
	}
	h.Renderer.Page(w, r, status, name, title, userForm{Form: f, Account: a, Departments: depts, Roles: GrantableRoles(), Checked: checked, Kept: kept})
}

func (h *Handlers) newUserForm(w http.ResponseWriter, r *http.Request) {
	h.userPage(w, r, http.StatusOK, "auth/user_new", "Новый сотрудник", web.NewForm(nil), Account{})
}

// validateUser checks the form; kept are the roles the account keeps
// whatever the form says, which may stand in for a chosen one.
func (h *Handlers) validateUser(f *web.Form, depts map[string]bool, kept []string) {
	if len(f.Values["role"]) == 0 && len(kept) == 0 {
		f.Fail("role", "Выберите хотя бы одну роль.")
	}
	for _, x := range f.Values["role"] {
		if !Grantable(x) {
			f.Fail("role", ErrUnknownRole.Error())
		}
	}
	if d := f.Get("department"); d != "" && !depts[d] {
		f.Fail("department", "Выберите подразделение из списка.")
	}
}

func (h *Handlers) deptIDs(r *http.Request) (map[string]bool, error) {
	depts, err := h.Tenants.Departments(r.Context(), web.Municipality(r).ID)
	out := map[string]bool{}
	for _, d := range depts {
		out[strconv.FormatInt(d.ID, 10)] = true
	}
	return out, err
}

func (h *Handlers) createUser(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, 16<<10)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	depts, err := h.deptIDs(r)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	f.Required(map[string]string{"email": "Электронная почта", "full_name": "Имя и фамилия"})
	f.Email("email")
	h.validateUser(f, depts, nil)
	if f.Valid() {
		m := web.Municipality(r)
		deptID, _ := strconv.ParseInt(f.Get("department"), 10, 64)
		a := &Account{MunicipalityID: m.ID, Email: f.Get("email"), FullName: f.Get("full_name"), DepartmentID: deptID, Roles: f.Values["role"], Confirmed: true}
		var invite string
		err = h.DB.InTx(r.Context(), func(tx *db.Tx) error {
			// A random password nobody knows; the person sets their own
			// through the link in the welcome letter.
			if err := h.Store.Create(r.Context(), tx, a, randomToken()); err != nil {
				return err
			}
			tok, err := h.Store.CreateEmailToken(r.Context(), tx, a.ID, PurposeReset, 7*24*time.Hour)
			if err != nil {
				return err
			}
			invite = h.Mailer.BaseURL + "/reset?token=" + tok
			if err := h.Mailer.Queue(r.Context(), tx, a.Email, "staff_welcome", map[string]any{"Municipality": m.Name, "Token": tok, "Email": a.Email, "Roles": strings.Join(a.Roles, ", ")}); err != nil {
				return err
			}
			return audit.Write(r.Context(), tx, h.DB.Now(), audit.FromRequest(r, "create", "account", strconv.FormatInt(a.ID, 10), nil, auditView(*a)))
		})
		if errors.Is(err, ErrEmailTaken) {
			f.Fail("email", err.Error())
		} else if err != nil {
			h.Errors.Render(w, r, err)
			return
		} else {
			if h.Mailer.Configured() {
				web.SetFlash(h.Sessions, r, "Учётная запись создана. Письмо со ссылкой для входа поставлено в очередь отправки на "+a.Email+".")
			} else {
				// Without mail the administrator hands the link over
				// themselves; it works for 7 days, once.
				web.SetFlash(h.Sessions, r, "Учётная запись создана, но письмо не отправлено: на портале не настроена отправка почты. Передайте сотруднику ссылку для установки пароля (действует 7 дней, один раз): "+invite)
			}
			http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
			return
		}
	}
	h.userPage(w, r, http.StatusUnprocessableEntity, "auth/user_new", "Новый сотрудник", f, Account{})
}

// auditView is what the audit log keeps of an account: never the password.
func auditView(a Account) map[string]any {
	return map[string]any{"email": a.Email, "full_name": a.FullName, "department_id": a.DepartmentID, "roles": a.Roles, "disabled": a.Disabled, "confirmed": a.Confirmed}
}

func (h *Handlers) loadAccount(w http.ResponseWriter, r *http.Request) (Account, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.Errors.Render(w, r, web.ErrNotFound)
		return Account{}, false
	}
	a, err := h.Store.ByID(r.Context(), web.Municipality(r).ID, id)
	if err != nil {
		h.Errors.Render(w, r, err)
		return Account{}, false
	}
	return a, true
}

func (h *Handlers) editUserForm(w http.ResponseWriter, r *http.Request) {
	a, ok := h.loadAccount(w, r)
	if !ok {
		return
	}
	f := web.NewForm(nil)
	f.Values.Set("full_name", a.FullName)
	f.Values.Set("department", strconv.FormatInt(a.DepartmentID, 10))
	f.Values["role"] = a.Roles
	if a.Disabled {
		f.Values.Set("disabled", "yes")
	}
	h.userPage(w, r, http.StatusOK, "auth/user_edit", "Учётная запись "+a.Email, f, a)
}

func (h *Handlers) updateUser(w http.ResponseWriter, r *http.Request) {
	a, ok := h.loadAccount(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, 16<<10)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	depts, err := h.deptIDs(r)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	h.validateUser(f, depts, keptRoles(a))
	if f.Valid() {
		before := a
		a.FullName = f.Get("full_name")
		a.DepartmentID, _ = strconv.ParseInt(f.Get("department"), 10, 64)
		// The roles this page cannot give it cannot take either.
		a.Roles = append(slices.Clone(f.Values["role"]), keptRoles(before)...)
		a.Disabled = f.Get("disabled") == "yes"
		// Confirming an address by hand is for a portal whose mail does not
		// work yet (the person showed the administrator their address);
		// it is audited like every change, and cannot be undone here.
		confirm := !a.Confirmed && f.Get("confirm_email") == "yes"
		if confirm {
			a.Confirmed = true
		}
		err = h.DB.InTx(r.Context(), func(tx *db.Tx) error {
			if err := h.Store.Update(r.Context(), tx, a); err != nil {
				return err
			}
			if confirm {
				if err := h.Store.Confirm(r.Context(), tx, a.ID); err != nil {
					return err
				}
			}
			return audit.Write(r.Context(), tx, h.DB.Now(), audit.FromRequest(r, "update", "account", strconv.FormatInt(a.ID, 10), auditView(before), auditView(a)))
		})
		if err != nil {
			h.Errors.Render(w, r, err)
			return
		}
		web.SetFlash(h.Sessions, r, "Изменения сохранены.")
		http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
		return
	}
	h.userPage(w, r, http.StatusUnprocessableEntity, "auth/user_edit", "Учётная запись "+a.Email, f, a)
}

func (h *Handlers) me(w http.ResponseWriter, r *http.Request) {
	v := web.ViewerFrom(r.Context())
	m := web.Municipality(r)
	roles := v.Roles
	if roles == nil {
		roles = []string{}
	}
	out := map[string]any{"email": v.Email, "name": v.Name, "roles": roles, "municipality": map[string]any{"slug": m.Slug, "name": m.Name}}
	if v.DepartmentID != 0 {
		out["department"] = map[string]any{"id": v.DepartmentID, "name": v.Department}
	} else {
		out["department"] = nil
	}
	web.WriteJSON(w, http.StatusOK, out)
}

// EnsureAccount creates an account unless one with the e-mail exists (demo,
// CLI), with hash from HashPassword, made once for a batch of accounts.
func EnsureAccount(ctx context.Context, s *Store, a *Account, hash string) (created bool, err error) {
	existing, err := s.ByEmail(ctx, a.MunicipalityID, a.Email)
	if err == nil {
		*a = existing
		return false, nil
	}
	if !errors.Is(err, db.ErrNotFound) {
		return false, err
	}
	return true, s.DB.InTx(ctx, func(tx *db.Tx) error { return s.CreateHashed(ctx, tx, a, hash) })
}
