package appeals

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/db"
)

// AnswerMethods are the ways a caller to the hotline or a visitor chooses
// to be answered, recorded by the operator who registers the appeal. A
// written or electronic appeal needs none: it is answered the way it came
// (art. 10 part 4 of 59-FZ).
var AnswerMethods = []Option{
	{"post", "Письменно, почтой"},
	{"email", "Письменно, по электронной почте"},
	{"in_person", "Лично, на приёме"},
	{"phone", "По телефону"},
}

// AnswerMethodLabel names a method.
func AnswerMethodLabel(v string) string { return label(AnswerMethods, v) }

// AnswerMethodLabel is for templates.
func (a Appeal) AnswerMethodLabel() string { return AnswerMethodLabel(a.AnswerMethod) }

// validateOrigin checks what staff record of where an appeal came from and
// how its author wants the answer: a written answer needs the address it is
// sent to, which the operator must ask for on the call.
func validateOrigin(in NewAppeal, errs FieldErrors) {
	if utf8.RuneCountInString(in.ReceivedFrom) > 300 {
		errs["received_from"] = "Не длиннее 300 символов."
	}
	switch in.AnswerMethod {
	case "":
	case "post":
		if strings.TrimSpace(in.Author.PostalAddress) == "" {
			errs["postal_address"] = "Заявитель выбрал ответ почтой: укажите почтовый адрес, по которому направить письменный ответ."
		}
	case "email":
		if strings.TrimSpace(in.Author.Email) == "" {
			errs["email"] = "Заявитель выбрал ответ по электронной почте: укажите адрес электронной почты."
		}
	case "phone":
		if strings.TrimSpace(in.Author.Phone) == "" {
			errs["phone"] = "Заявитель выбрал ответ по телефону: укажите номер телефона."
		}
	case "in_person":
	default:
		errs["answer_method"] = "Выберите способ ответа из списка."
	}
}

// answerByMethod is how an answer goes out when the author chose the way:
// the note for the history, whether the e-mail with the answer is not sent,
// and an error when the chosen way lacks its address.
func answerByMethod(ap Appeal) (note string, noMail bool, errMsg string) {
	switch ap.AnswerMethod {
	case "email":
		if ap.Author.Email == "" {
			return "", true, "Заявитель выбрал ответ по электронной почте, но адреса в обращении нет: узнайте его у заявителя или зарегистрируйте другой способ ответа."
		}
		return "Ответ направлен по электронной почте, как выбрал заявитель", false, ""
	case "post":
		if strings.TrimSpace(ap.Author.PostalAddress) == "" {
			return "", true, "Заявитель выбрал ответ почтой, но почтового адреса в обращении нет: письменный ответ направить некуда."
		}
		return "Ответ направлен почтой по адресу, указанному заявителем, как он выбрал", true, ""
	case "phone":
		return "Ответ дан по телефону, как выбрал заявитель", true, ""
	case "in_person":
		return "Ответ дан лично на приёме, как выбрал заявитель", true, ""
	}
	return "Ответ направлен заявителю", false, ""
}

// extras reads the columns added after the appeal's row was first laid
// out: where it came from and how its author wants the answer.
func (s *Store) extras(ctx context.Context, q db.Querier, a *Appeal) error {
	if err := q.QueryRow(ctx, `SELECT received_from, answer_method FROM appeals WHERE id = ?`, a.ID).Scan(&a.ReceivedFrom, &a.AnswerMethod); err != nil {
		return fmt.Errorf("read appeal %s origin: %w", a.Number, err)
	}
	return nil
}

// saveExtras writes them at registration.
func (s *Store) saveExtras(ctx context.Context, tx *db.Tx, a *Appeal) error {
	if a.ReceivedFrom == "" && a.AnswerMethod == "" {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE appeals SET received_from = ?, answer_method = ? WHERE id = ?`, a.ReceivedFrom, a.AnswerMethod, a.ID); err != nil {
		return fmt.Errorf("save appeal %s origin: %w", a.Number, err)
	}
	return nil
}
