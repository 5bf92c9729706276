package auth

import (
	"net/http"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/web"
)

// resendForm asks for the address whose confirmation letter did not come.
func (h *Handlers) resendForm(w http.ResponseWriter, r *http.Request) {
	h.Renderer.Page(w, r, http.StatusOK, "auth/resend", "Письмо для подтверждения адреса", map[string]any{"Form": web.NewForm(nil), "MailConfigured": h.Mailer.Configured()})
}

// resend queues a new confirmation letter for an account that is not yet
// confirmed. It is limited per address and per client, and answers the
// same whether or not the address is registered; without mail it says
// that no letter can be sent, and what to do instead.
func (h *Handlers) resend(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, 4<<10)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	f.Required(map[string]string{"email": "Электронная почта"})
	f.Email("email")
	if !f.Valid() {
		h.Renderer.Page(w, r, http.StatusUnprocessableEntity, "auth/resend", "Письмо для подтверждения адреса", map[string]any{"Form": f, "MailConfigured": h.Mailer.Configured()})
		return
	}
	email := NormalizeEmail(f.Get("email"))
	if !h.mailByIP.Allow(web.ClientIP(r)) || !h.resendByAddress.Allow(email) {
		w.Header().Set("Retry-After", "600")
		f.Fail("email", "Письмо на этот адрес уже запрашивали недавно. Подождите 10 минут и проверьте папку «Спам».")
		h.Renderer.Page(w, r, http.StatusTooManyRequests, "auth/resend", "Письмо для подтверждения адреса", map[string]any{"Form": f, "MailConfigured": h.Mailer.Configured()})
		return
	}
	if !h.Mailer.Configured() {
		web.SetFlash(h.Sessions, r, "Письмо для подтверждения адреса отправить нельзя: на портале не настроена отправка почты. Обратитесь к администратору портала — он может подтвердить адрес вручную.")
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	m := web.Municipality(r)
	a, err := h.Store.ByEmail(r.Context(), m.ID, email)
	if err == nil && !a.Disabled && !a.Confirmed {
		err = h.DB.InTx(r.Context(), func(tx *db.Tx) error {
			tok, err := h.Store.CreateEmailToken(r.Context(), tx, a.ID, PurposeConfirm, 48*time.Hour)
			if err != nil {
				return err
			}
			return h.Mailer.Queue(r.Context(), tx, a.Email, "confirm_email", map[string]any{"Municipality": m.Name, "Token": tok})
		})
		if err != nil {
			h.Errors.Render(w, r, err)
			return
		}
	}
	web.SetFlash(h.Sessions, r, "Если адрес зарегистрирован и ещё не подтверждён, на него придёт новое письмо со ссылкой для подтверждения (обычно в течение нескольких минут; проверьте и папку «Спам»).")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
