package auth

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// ConsentVersion names the wording of the registration consent. Change it
// whenever ConsentText changes: each account keeps the version and the text
// it agreed to.
const ConsentVersion = "2026-12-06"

// DefaultAppealRetentionYears is how long an appeal is kept after its
// answer (5 years ЭПК, item of the Rosarkhiv list of 2019) unless
// GLASNOST_RETENTION_APPEALS_YEARS says otherwise.
const DefaultAppealRetentionYears = 5

// AppealRetentionYears reads GLASNOST_RETENTION_APPEALS_YEARS through
// getenv: the whole years an appeal is kept after its answer before the
// author's data are anonymised. An unset, malformed or out-of-range value
// (below 1 or above 75) gives the default.
func AppealRetentionYears(getenv func(string) string) int {
	if getenv == nil {
		return DefaultAppealRetentionYears
	}
	n, err := strconv.Atoi(strings.TrimSpace(getenv("GLASNOST_RETENTION_APPEALS_YEARS")))
	if err != nil || n < 1 || n > 75 {
		return DefaultAppealRetentionYears
	}
	return n
}

// DataOperator is how the portal names the operator of personal data: the
// administration of the municipality.
func DataOperator(m tenant.Municipality) string {
	return "Администрация муниципального образования «" + m.Name + "»"
}

// ConsentText is the registration consent (152-FZ art. 9 part 4): the
// operator, the purposes, the data, the actions, the term and how to
// withdraw it. Each string is a paragraph.
func ConsentText(m tenant.Municipality) []string {
	return []string{
		"Я, регистрируясь на портале, свободно, своей волей и в своём интересе даю согласие оператору — " + DataOperator(m) + " — на обработку моих персональных данных.",
		"Цели: ведение моей учётной записи на портале; подача мной электронных обращений и участие в публичных обсуждениях и опросах; направление мне писем о моих обращениях, комментариях и новостях по выбранным мной сферам.",
		"Данные: фамилия и имя, адрес электронной почты, выбранные сферы подписки, сведения о входах на портал (дата, время, IP-адрес).",
		"Действия: сбор, запись, систематизация, накопление, хранение, уточнение, использование, удаление и уничтожение, с использованием средств автоматизации. Данные не передаются третьим лицам и не публикуются.",
		"Срок: согласие действует до удаления учётной записи или отзыва согласия. Отозвать его можно в любой момент, удалив учётную запись на странице «Личный кабинет» (/account) или направив оператору письменное заявление; данные учётной записи удаляются сразу. Обращения, поданные через портал, хранятся и обрабатываются по Федеральному закону № 59-ФЗ в течение установленного срока и без этого согласия.",
		"Порядок обработки описан в политике обработки персональных данных: /privacy.",
	}
}

func consentVersionRussian() string {
	t, err := time.Parse("2006-01-02", ConsentVersion)
	if err != nil {
		return ConsentVersion
	}
	return t.Format("02.01.2006")
}

// Consent is a recorded registration consent.
type Consent struct {
	Version string
	Text    string
	GivenAt time.Time
}

// RecordConsent stores the consent an account gave, with its text and time.
func (s *Store) RecordConsent(ctx context.Context, tx *db.Tx, m tenant.Municipality, accountID int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO account_consents (municipality_id, account_id, version, text, given_at) VALUES (?, ?, ?, ?, ?)`,
		m.ID, accountID, ConsentVersion, strings.Join(ConsentText(m), "\n\n"), s.DB.Now())
	if err != nil {
		return fmt.Errorf("record consent: %w", err)
	}
	return nil
}

// Consents lists the consents an account gave, newest first.
func (s *Store) Consents(ctx context.Context, accountID int64) ([]Consent, error) {
	rows, err := s.DB.Query(ctx, `SELECT version, text, given_at FROM account_consents WHERE account_id = ? ORDER BY given_at DESC, id DESC`, accountID)
	if err != nil {
		return nil, fmt.Errorf("consents: %w", err)
	}
	defer rows.Close()
	var out []Consent
	for rows.Next() {
		var c Consent
		if err := rows.Scan(&c.Version, &c.Text, &c.GivenAt); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// privacyPage is the published personal-data policy.
type privacyPage struct {
	Operator       string
	Version        string
	RetentionYears int
	RetentionWord  string
}

func (h *Handlers) privacy(w http.ResponseWriter, r *http.Request) {
	years := AppealRetentionYears(os.Getenv)
	h.Renderer.Page(w, r, http.StatusOK, "auth/privacy", "Политика обработки персональных данных",
		privacyPage{Operator: DataOperator(web.Municipality(r)), Version: consentVersionRussian(), RetentionYears: years, RetentionWord: yearsWord(years)})
}

// yearsWord is «год», «года» or «лет» for n.
func yearsWord(n int) string {
	switch {
	case n%100 >= 11 && n%100 <= 14:
		return "лет"
	case n%10 == 1:
		return "год"
	case n%10 >= 2 && n%10 <= 4:
		return "года"
	}
	return "лет"
}
