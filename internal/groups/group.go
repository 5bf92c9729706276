package groups

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// DefaultLimit is the roadmap's «не более 8» reference groups per
// municipality (measure 6.1).
const DefaultLimit = 8

// Membership statuses.
const (
	StatusPending  = "pending"
	StatusMember   = "member"
	StatusDeclined = "declined"
	StatusLeft     = "left"
)

// StatusLabel names a membership status in Russian.
func StatusLabel(s string) string {
	switch s {
	case StatusPending:
		return "заявка на рассмотрении"
	case StatusMember:
		return "член группы"
	case StatusDeclined:
		return "заявка отклонена"
	case StatusLeft:
		return "вышел из группы"
	}
	return s
}

// Regulations is the act that approved a group's regulations (measure 6.2).
type Regulations struct {
	Title  string
	Number string
	Date   string // YYYY-MM-DD
	URL    string
}

// Set reports whether the regulations are given.
func (r Regulations) Set() bool { return r.Number != "" && r.Date != "" }

// DateRU is the act's date as Russians write it.
func (r Regulations) DateRU() string { return dateRU(r.Date) }

// Label is «№ 12 от 01.02.2019».
func (r Regulations) Label() string {
	if !r.Set() {
		return ""
	}
	return "№ " + r.Number + " от " + r.DateRU()
}

func dateRU(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return t.Format("02.01.2006")
}

// Group is a reference group of the registry.
type Group struct {
	ID             int64
	MunicipalityID int64
	Name           string
	Description    string
	DepartmentID   int64
	Department     string
	Regulations    Regulations
	Spheres        []tenant.Sphere
	// Members counts current members; Pending counts applications waiting.
	Members   int
	Pending   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// URL is the group's public page.
func (g Group) URL() string { return "/groups/" + strconv.FormatInt(g.ID, 10) }

// SphereIDs are the ids of the group's spheres.
func (g Group) SphereIDs() []int64 {
	out := make([]int64, len(g.Spheres))
	for i, s := range g.Spheres {
		out[i] = s.ID
	}
	return out
}

// SphereSlugs are the slugs of the group's spheres.
func (g Group) SphereSlugs() []string {
	out := make([]string, len(g.Spheres))
	for i, s := range g.Spheres {
		out[i] = s.Slug
	}
	return out
}

// SphereNames are the names of the group's spheres.
func (g Group) SphereNames() []string {
	out := make([]string, len(g.Spheres))
	for i, s := range g.Spheres {
		out[i] = s.Name
	}
	return out
}

// Member is a person or an organisation in a group, or applying to it.
type Member struct {
	ID        int64
	GroupID   int64
	Group     string
	AccountID int64
	// Name and Email are the account's, filled from auth.
	Name  string
	Email string
	// Organisation is set when the member is (or applies on behalf of) an
	// organisation; Contact and ContactEmail are for staff only.
	Organisation string
	Contact      string
	ContactEmail string
	// ShowName: the person agreed to be named on the group's public page.
	ShowName  bool
	Status    string
	Note      string
	Reason    string
	AppliedAt time.Time
	DecidedAt time.Time
}

// StatusLabel names the member's status.
func (m Member) StatusLabel() string { return StatusLabel(m.Status) }

// PublicName is how the member appears on the public page: the
// organisation, or the person's name when they agreed; "" otherwise.
func (m Member) PublicName() string {
	if m.Organisation != "" {
		return m.Organisation
	}
	if m.ShowName {
		return m.Name
	}
	return ""
}

// MailTo is where letters to the member go: the account's address, or the
// organisation's contact address for an organisation without an account.
func (m Member) MailTo() string {
	if m.Email != "" {
		return m.Email
	}
	return m.ContactEmail
}

// Errors are rule violations by field.
type Errors map[string]string

// CheckLimit refuses a new group when the registry already holds limit
// groups (measure 6.1: «не более 8»).
func CheckLimit(existing, limit int) error {
	if limit <= 0 {
		limit = DefaultLimit
	}
	if existing >= limit {
		return web.Invalid(fmt.Sprintf("Новую группу создать нельзя: в реестре уже %d %s, а предел для муниципального образования — %d. Объедините группы со схожими сферами или измените предел в настройках реестра.",
			existing, plural(existing, "референтная группа", "референтные группы", "референтных групп"), limit))
	}
	return nil
}

// ParseLimit reads the limit setting: a whole number from 1 to 50.
func ParseLimit(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 50 {
		return 0, web.Invalid("Предел числа групп — целое число от 1 до 50.")
	}
	return n, nil
}

// Validate checks a group before it is saved. validSpheres holds the
// municipality's sphere ids.
func Validate(g Group, validSpheres map[int64]bool) Errors {
	e := Errors{}
	if strings.TrimSpace(g.Name) == "" {
		e["name"] = "Укажите название группы."
	} else if len([]rune(g.Name)) > 200 {
		e["name"] = "Название — не длиннее 200 знаков."
	}
	if len(g.Spheres) == 0 {
		e["spheres"] = "Выберите хотя бы одну сферу, в которой работает группа."
	}
	for _, s := range g.Spheres {
		if !validSpheres[s.ID] {
			e["spheres"] = "Выберите сферы из списка."
		}
	}
	if len([]rune(g.Description)) > 5000 {
		e["description"] = "Описание — не длиннее 5000 знаков."
	}
	if g.DepartmentID == 0 {
		e["department"] = "Укажите ответственное подразделение: оно рассматривает заявки на вступление."
	}
	r := g.Regulations
	if r.Title != "" || r.Number != "" || r.Date != "" || r.URL != "" {
		if r.Number == "" {
			e["act_number"] = "Укажите номер акта, утвердившего регламент группы."
		}
		if _, err := time.Parse(time.DateOnly, r.Date); err != nil {
			e["act_date"] = "Укажите дату акта в формате ГГГГ-ММ-ДД, например 2018-03-07."
		}
		if r.URL != "" && !validLink(r.URL) {
			e["act_url"] = "Ссылка на акт — адрес на портале (/acts/…) или в интернете (https://…)."
		}
	}
	return e
}

func validLink(s string) bool {
	if strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") {
		return true
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// Application is what a resident sends to join a group.
type Application struct {
	Organisation string
	Contact      string
	Note         string
	ShowName     bool
}

// ValidateApplication checks an application.
func ValidateApplication(ap Application) Errors {
	e := Errors{}
	if len([]rune(ap.Organisation)) > 300 {
		e["organisation"] = "Название организации — не длиннее 300 знаков."
	}
	if ap.Organisation != "" && strings.TrimSpace(ap.Contact) == "" {
		e["contact"] = "Укажите контакт организации (телефон или адрес): его видят только сотрудники администрации."
	}
	if len([]rune(ap.Contact)) > 300 {
		e["contact"] = "Контакт — не длиннее 300 знаков."
	}
	if len([]rune(ap.Note)) > 2000 {
		e["note"] = "Сопроводительный текст — не длиннее 2000 знаков."
	}
	return e
}

func plural(n int, one, few, many string) string {
	n %= 100
	if n >= 11 && n <= 14 {
		return many
	}
	switch n % 10 {
	case 1:
		return one
	case 2, 3, 4:
		return few
	}
	return many
}
