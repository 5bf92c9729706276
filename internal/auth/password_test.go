package auth

import (
	"errors"
	"testing"
)

// The probe registered «aaaaaaaaaa» and «1234567890»; such passwords, the
// rows of either keyboard and a person's own name or address are refused,
// and passphrases are accepted.
func TestCheckPassword(t *testing.T) {
	t.Parallel()
	cases := []struct {
		pw      string
		context []string
		want    error
	}{
		{"short", nil, ErrPasswordShort},
		{"aaaaaaaaaa", nil, ErrPasswordWeak},
		{"1234567890", nil, ErrPasswordWeak},
		{"qwertyuiop", nil, ErrPasswordWeak},
		{"йцукенгшщз", nil, ErrPasswordWeak},
		{"password123", nil, ErrPasswordWeak},
		{"zaq12wsxcde", nil, ErrPasswordWeak},
		{"Пароль12345", nil, ErrPasswordWeak},
		{"petrova2026", []string{"anna.petrova@example.ru", "Анна Петрова"}, ErrPasswordWeak},
		{"петрова2026", []string{"Анна Петрова"}, ErrPasswordWeak},
		{"верхняяпышма", []string{"Верхняя Пышма"}, ErrPasswordWeak},
		{"long-enough-password", nil, nil},
		{"ёжик в тумане 1987", nil, nil},
		{"синий трамвай гудит", []string{"anna@example.ru"}, nil},
		{"correct horse battery staple", nil, nil},
	}
	for _, c := range cases {
		if err := CheckPassword(c.pw, c.context...); !errors.Is(err, c.want) {
			t.Errorf("CheckPassword(%q) = %v, want %v", c.pw, err, c.want)
		}
	}
}
