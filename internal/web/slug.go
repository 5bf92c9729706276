package web

import (
	"strings"
	"unicode"
)

// passportLatin is the transliteration of Russian letters used in
// Russian passports (order of the Ministry of Internal Affairs No. 889 of
// 2013, after ICAO Doc 9303): the one Russians see on their own documents,
// so an address made from a title reads as people expect.
var passportLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i", 'й': "i",
	'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f",
	'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "ie", 'ы': "y", 'ь': "", 'э': "e", 'ю': "iu", 'я': "ia",
}

// Slug makes a page address from a Russian title: transliterated as in
// passports, lower case, words joined by hyphens, at most max characters
// cut at a word boundary. A title with no letter or digit gives "".
func Slug(title string, max int) string {
	var words []string
	var w strings.Builder
	flush := func() {
		if w.Len() > 0 {
			words = append(words, w.String())
			w.Reset()
		}
	}
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			w.WriteRune(r)
		case passportLatin[r] != "" || r == 'ь':
			w.WriteString(passportLatin[r])
		case unicode.IsLetter(r):
			// a letter of another alphabet: no sensible Latin, left out
		default:
			flush()
		}
	}
	flush()
	out := ""
	for _, word := range words {
		next := word
		if out != "" {
			next = out + "-" + word
		}
		if len(next) > max {
			if out == "" {
				out = word[:max]
			}
			break
		}
		out = next
	}
	return out
}
