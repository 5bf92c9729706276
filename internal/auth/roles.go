// Package auth holds accounts, roles, sessions, API tokens and the pages for
// signing in, registering, confirming e-mail and resetting passwords.
package auth

import "strings"

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
	// RegionalAdmin sees every municipality of the installation in the
	// regional report. It is granted from the command line only (glasnost
	// region grant), never from a municipality's own users page.
	RegionalAdmin = "regional_admin"
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
	{RegionalAdmin, "Администратор региона", false},
}

// Staff are the roles of the administration's employees, whose every state
// change is audited.
var Staff = []string{Administrator, Editor, Press, Lawyer, Operator}

// Grantable reports whether a municipality's administrator may give or
// take the role on the users page: every role but the regional one.
func Grantable(r string) bool { return ValidRole(r) && r != RegionalAdmin }

// GrantableRoles are the roles the users page offers.
func GrantableRoles() []RoleInfo {
	var out []RoleInfo
	for _, x := range AllRoles {
		if Grantable(x.Value) {
			out = append(out, x)
		}
	}
	return out
}

// ValidRole reports whether r names a role.
func ValidRole(r string) bool {
	for _, x := range AllRoles {
		if x.Value == r {
			return true
		}
	}
	return false
}

// RoleLabels names the account's roles in Russian, comma-separated, as
// every staff page shows them.
func (a Account) RoleLabels() string {
	labels := make([]string, 0, len(a.Roles))
	for _, r := range a.Roles {
		labels = append(labels, RoleLabel(r))
	}
	return strings.Join(labels, ", ")
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
