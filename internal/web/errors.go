package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/glasnost/glasnost/internal/db"
)

// Error is an error a user may see: an HTTP status, a machine-readable code
// for the API, and a plain Russian message. Detail goes to the log only.
type Error struct {
	Status  int
	Code    string
	Message string
}

// Error is the message alone: rules return web errors (Invalid) and a
// handler may show err.Error() in a form, wrapped with a prefix such as
// «Строка 3: » where the rule ran over rows. The code travels in Code.
func (e *Error) Error() string { return e.Message }

// The handful of errors that pages and the API map to.
var (
	ErrNotFound         = &Error{http.StatusNotFound, "not_found", "Страница не найдена. Проверьте адрес или воспользуйтесь поиском."}
	ErrForbidden        = &Error{http.StatusForbidden, "forbidden", "У вас нет прав для этого действия."}
	ErrUnauthorized     = &Error{http.StatusUnauthorized, "unauthorized", "Войдите, чтобы продолжить."}
	ErrMethodNotAllowed = &Error{http.StatusMethodNotAllowed, "method_not_allowed", "Этот адрес не поддерживает такой запрос."}
	ErrTooManyRequests  = &Error{http.StatusTooManyRequests, "rate_limited", "Слишком много запросов. Подождите немного и попробуйте снова."}
	ErrTooLarge         = &Error{http.StatusRequestEntityTooLarge, "too_large", "Файл или запрос слишком велик."}
	ErrInternal         = &Error{http.StatusInternalServerError, "internal", "На сервере произошла ошибка. Мы уже знаем о ней; попробуйте позже."}
)

// Invalid makes a 422 error with a user-facing message.
func Invalid(msg string) *Error {
	return &Error{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: msg}
}

// Errors renders errors as pages or JSON in one place.
type Errors struct {
	Log      *slog.Logger
	Renderer *Renderer
}

// IsAPI reports whether a request expects JSON.
func IsAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/")
}

// Classify maps any error to a user-facing Error.
func Classify(err error) *Error {
	var we *Error
	switch {
	case errors.As(err, &we):
		return we
	case errors.Is(err, db.ErrNotFound):
		return ErrNotFound
	default:
		return ErrInternal
	}
}

// Render answers with err as a Russian page or a JSON error.
func (e *Errors) Render(w http.ResponseWriter, r *http.Request, err error) {
	we := Classify(err)
	if we.Status >= 500 {
		e.Log.ErrorContext(r.Context(), "request failed", "err", err, "path", r.URL.Path, "request_id", RequestID(r.Context()))
	}
	if IsAPI(r) || e.Renderer == nil {
		WriteJSON(w, we.Status, map[string]any{"error": map[string]string{"code": we.Code, "message": we.Message}})
		return
	}
	e.Renderer.Page(w, r, we.Status, "web/error", errorTitle(we.Status), we)
}

func errorTitle(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Страница не найдена"
	case http.StatusForbidden:
		return "Доступ запрещён"
	case http.StatusUnauthorized:
		return "Требуется вход"
	case http.StatusTooManyRequests:
		return "Слишком много запросов"
	case http.StatusInternalServerError:
		return "Ошибка сервера"
	default:
		return "Запрос не выполнен"
	}
}

// Unauthenticated sends a person to the login page and a machine a 401.
func (e *Errors) Unauthenticated(w http.ResponseWriter, r *http.Request) {
	if IsAPI(r) {
		e.Render(w, r, ErrUnauthorized)
		return
	}
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet {
		next = "/"
	}
	http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// WriteJSON writes v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// APIFieldError is a JSON validation error naming the fields at fault.
func APIFieldError(w http.ResponseWriter, errs map[string]string) {
	WriteJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": map[string]any{"code": "invalid", "message": "Проверьте заполнение полей.", "fields": errs}})
}
