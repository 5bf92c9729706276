// Package auth holds accounts, roles, sessions, API tokens and the pages for
// signing in, registering, confirming e-mail and resetting passwords.
package auth

// Roles. An account may hold several.
const (
	Administrator = "administrator"
	Editor        = "editor"
	Press         = "press"
	Lawyer        = "lawyer"
	Operator      = "operator"
	Council       = "council"
	Expert        = "expert"
	Resident      = "resident"
)

// RoleInfo is a role with its Russian name.
type RoleInfo struct {
	Value string
	Label string
	Staff bool
}

// AllRoles lists every role in display order.
var AllRoles = []RoleInfo{
	{Administrator, "Администратор", true},
	{Editor, "Редактор подразделения", true},
	{Press, "Пресс-секретарь", true},
	{Lawyer, "Юрист", true},
	{Operator, "Оператор горячей линии", true},
	{Council, "Член общественного совета", false},
	{Expert, "Независимый эксперт", false},
	{Resident, "Житель", false},
}

// Staff are the roles of the administration's employees, whose every state
// change is audited.
var Staff = []string{Administrator, Editor, Press, Lawyer, Operator}

// ValidRole reports whether r names a role.
func ValidRole(r string) bool {
	for _, x := range AllRoles {
		if x.Value == r {
			return true
		}
	}
	return false
}

// RoleLabel gives a role's Russian name.
func RoleLabel(r string) string {
	for _, x := range AllRoles {
		if x.Value == r {
			return x.Label
		}
	}
	return r
}
