package auth

import (
	"strings"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/web"
	"github.com/trustelem/zxcvbn"
)

// ErrPasswordWeak is a password that is long enough but easy to guess.
var ErrPasswordWeak = web.Invalid("Пароль слишком легко подобрать (повторы, ряды клавиш, распространённые слова или ваши имя и адрес). Возьмите три-четыре не связанных между собой слова или фразу, которую знаете только вы.")

// minPasswordScore is zxcvbn's score 3: about 10⁸ guesses or more, which
// holds against an online attack with the login throttle and slows an
// offline one against bcrypt.
const minPasswordScore = 3

// russianWeak are what Russian speakers type that zxcvbn's English lists
// do not know: the rows of the Russian keyboard and common words.
var russianWeak = []string{
	"йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю", "пароль", "парольпароль", "привет", "любовь",
	"администрация", "россия", "москва", "qwertyйцукен", "zaq1xsw2", "1q2w3e4r", "gfhjkm",
}

// ruKeys are the keys of the Russian layout in the order of the Latin ones
// below them: zxcvbn's matchers see only Latin letters, so «йцукен» and
// «пароль» are scored as «qwerty» and «gfhjkm», which is what they are on
// the keyboard.
var ruKeys = strings.NewReplacer(
	"й", "q", "ц", "w", "у", "e", "к", "r", "е", "t", "н", "y", "г", "u", "ш", "i", "щ", "o", "з", "p", "х", "[", "ъ", "]",
	"ф", "a", "ы", "s", "в", "d", "а", "f", "п", "g", "р", "h", "о", "j", "л", "k", "д", "l", "ж", ";", "э", "'",
	"я", "z", "ч", "x", "с", "c", "м", "v", "и", "b", "т", "n", "ь", "m", "б", ",", "ю", ".", "ё", "`",
)

func onLatinKeys(s string) string { return ruKeys.Replace(s) }

// CheckPassword refuses a password that is short, over bcrypt's 72 bytes,
// or easy to guess; context are the person's own words (e-mail, name,
// municipality), which a password must not be built from.
func CheckPassword(pw string, context ...string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		return ErrPasswordShort
	}
	if len(pw) > 72 {
		return web.Invalid("Пароль слишком длинный (не более 72 байт).")
	}
	inputs := make([]string, 0, len(russianWeak)+3*len(context))
	for _, w := range russianWeak {
		inputs = append(inputs, onLatinKeys(w))
	}
	for _, c := range context {
		c = onLatinKeys(strings.ToLower(strings.TrimSpace(c)))
		if c == "" {
			continue
		}
		inputs = append(inputs, c)
		// The parts of an address or a name are guessable on their own.
		inputs = append(inputs, strings.FieldsFunc(c, func(r rune) bool { return r == '@' || r == '.' || r == ' ' || r == '-' })...)
	}
	if zxcvbn.PasswordStrength(onLatinKeys(strings.ToLower(pw)), inputs).Score < minPasswordScore {
		return ErrPasswordWeak
	}
	return nil
}
