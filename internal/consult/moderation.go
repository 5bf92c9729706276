package consult

import (
	"fmt"
	"strings"
	"unicode"
)

// The word list holds back obscene and abusive comments for a moderator.
// It is text an administrator edits, one entry a line:
//
//	слово      the whole word only («сука», not «сукно»)
//	основа*    words that start with it («пизд*» finds «пиздец»)
//	*корень*   words that contain it («*еба*» finds «заебали»)
//	!…         an exception in the same forms: a word it matches is never
//	           caught («!*страху*» keeps «застрахуем» clean of «*ху*»)
//
// Matching is on lower-case words with «ё» read as «е» and Latin letters
// that look Cyrillic (a, e, o, p, c, x, y, k, m, t, h, b) read as Cyrillic,
// so that «xуй» written with a Latin x is still found.
//
// Words about abuse are not abuse: «оскорбление», «нецензурная брань»,
// «хулиганство» are legal terms that residents use in proposals about
// public order, and the default list does not catch them (tests pin this).

// WordList is a parsed list.
type WordList struct {
	entries    []wordEntry
	exceptions []wordEntry
}

type wordEntry struct {
	text          string
	prefix, infix bool
}

func (e wordEntry) matches(w string) bool {
	switch {
	case e.infix:
		return strings.Contains(w, e.text)
	case e.prefix:
		return strings.HasPrefix(w, e.text)
	}
	return w == e.text
}

// DefaultWordList is the list a municipality starts with.
const DefaultWordList = `# Список слов для автоматической задержки комментариев.
# слово — только это слово; основа* — слова, начинающиеся с основы;
# *корень* — слова, содержащие корень; !… — исключение.
*хуй*
*хуе*
*хуя*
*хую*
*хуи*
*пизд*
*ебат*
*ебал*
*ебан*
*ебну*
*еблан*
*ебло*
ебу*
ебет*
ебёт*
*бляд*
бля
блять
сука
суки
суке
суку
сукой
мудак*
мудил*
мудозвон*
пидор*
пидар*
гондон*
залуп*
манда
шлюх*
дебил*
урод*
ублюд*
выродок
твар*
!*страху*
!*дебат*
!уродил*
!уродлив*
`

// ParseWordList reads the editable list. Errors are Russian and name the line.
func ParseWordList(src string) (WordList, error) {
	var wl WordList
	for i, raw := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		exc := strings.HasPrefix(line, "!")
		line = strings.TrimPrefix(line, "!")
		var e wordEntry
		if strings.HasPrefix(line, "*") && strings.HasSuffix(line, "*") && len(line) > 2 {
			e.infix = true
			line = strings.Trim(line, "*")
		} else if strings.HasSuffix(line, "*") {
			e.prefix = true
			line = strings.TrimSuffix(line, "*")
		}
		// An inner star («*ебет*вод*») requires its parts in that order.
		e.text = normalizeWord(line)
		if e.text == "" || strings.ContainsFunc(strings.ReplaceAll(e.text, "*", ""), func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
			return WordList{}, fmt.Errorf("строка %d: «%s» — ожидалось слово из букв, «основа*», «*корень*» или исключение «!…»", i+1, strings.TrimSpace(raw))
		}
		if len([]rune(strings.ReplaceAll(e.text, "*", ""))) < 2 {
			return WordList{}, fmt.Errorf("строка %d: «%s» слишком короткое — задержит почти всё", i+1, strings.TrimSpace(raw))
		}
		if exc {
			wl.exceptions = append(wl.exceptions, e)
		} else {
			wl.entries = append(wl.entries, e)
		}
	}
	return wl, nil
}

// MustDefaultWordList is the parsed default list.
func MustDefaultWordList() WordList {
	wl, err := ParseWordList(DefaultWordList)
	if err != nil {
		panic(err)
	}
	return wl
}

// lookalikes reads Latin letters that look Cyrillic as Cyrillic.
var lookalikes = strings.NewReplacer(
	"a", "а", "e", "е", "o", "о", "p", "р", "c", "с", "x", "х", "y", "у",
	"k", "к", "m", "м", "t", "т", "h", "н", "b", "в", "ё", "е", "3", "з", "0", "о",
)

func normalizeWord(w string) string {
	return lookalikes.Replace(strings.ToLower(w))
}

func matchEntry(e wordEntry, w string) bool {
	if strings.Contains(e.text, "*") {
		// Parts separated by inner stars must appear in order.
		parts := strings.Split(e.text, "*")
		rest := w
		for i, p := range parts {
			j := strings.Index(rest, p)
			if j < 0 || (i == 0 && !e.infix && j != 0) {
				return false
			}
			rest = rest[j+len(p):]
		}
		return true
	}
	return e.matches(w)
}

// Check returns the words of text that the list catches, each once, in
// the order they occur. An empty result means the text may go through.
func (wl WordList) Check(text string) []string {
	var out []string
	seen := map[string]bool{}
	words := strings.FieldsFunc(text, func(r rune) bool {
		// Keep Latin lookalikes and digits inside words so that «xу й» tricks
		// with letters and digits are one word; split on everything else.
		return !(unicode.IsLetter(r) || unicode.IsDigit(r))
	})
	for _, raw := range words {
		w := normalizeWord(raw)
		if seen[w] {
			continue
		}
		hit := false
		for _, e := range wl.entries {
			if matchEntry(e, w) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		for _, e := range wl.exceptions {
			if matchEntry(e, w) {
				hit = false
				break
			}
		}
		if hit {
			seen[w] = true
			out = append(out, raw)
		}
	}
	return out
}

// Size is the number of entries and exceptions, for the settings page.
func (wl WordList) Size() int { return len(wl.entries) + len(wl.exceptions) }

// DefaultModerationRules are the rules shown to participants.
const DefaultModerationRules = `Комментарии и предложения должны относиться к обсуждаемому проекту.
Не публикуются сообщения, содержащие нецензурную брань, оскорбления, угрозы, призывы к нарушению закона, рекламу, а также персональные данные других людей.
Повторяющиеся сообщения одного автора объединяются.
Сообщения с нецензурными словами автоматически задерживаются до проверки модератором.
Отклонённое сообщение сохраняется вместе с причиной отклонения; автор может узнать её по номеру квитанции.`
