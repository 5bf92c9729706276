// Package sentences splits Russian official text into sentences: the
// readability estimate of explanations and the wording check of drafts
// both need it, and must agree on where a sentence ends.
//
// A sentence ends at «.», «!», «?» or «…» (a run of them, with closing
// quotes and brackets) before a space or the end, unless a small letter
// follows, or the dot closes an abbreviation («ст.», «п.», «т.е.», «№»), an
// initial, or «г.» before a place name; dots inside numbers and dates never
// split.
package sentences

import (
	"strings"
	"unicode"
)

// Options add the breaks that structured texts have.
type Options struct {
	// Semicolons end a sentence at «;» before a space: the items of a
	// point of an act are read one by one.
	Semicolons bool
	// LineBreaks end a sentence at a line break, unless the next line
	// starts with a small letter (a wrapped line) or a number that is not
	// an item number.
	LineBreaks bool
}

// Spans splits s into byte spans [start, end) that cover it whole; blank
// space between sentences goes with the next one.
func Spans(s string, o Options) [][2]int {
	var rs []rune
	var offs []int
	for b, r := range s {
		rs = append(rs, r)
		offs = append(offs, b)
	}
	offs = append(offs, len(s))

	var spans [][2]int
	start := 0
	cut := func(k int) {
		if k > start && (k == len(rs) || strings.TrimSpace(string(rs[start:k])) != "") {
			spans = append(spans, [2]int{offs[start], offs[k]})
			start = k
		}
	}
	for i := 0; i < len(rs); i++ {
		switch r := rs[i]; {
		case r == '\n' && o.LineBreaks:
			if lineBreakEnds(rs, i) {
				cut(i + 1)
			}
		case r == ';' && o.Semicolons:
			if i+1 == len(rs) || unicode.IsSpace(rs[i+1]) {
				cut(i + 1)
			}
		case isTerminal(r):
			j := i // the whole run of marks: «?!», «...»
			for j+1 < len(rs) && isTerminal(rs[j+1]) {
				j++
			}
			k := j + 1 // closing quotes and brackets stay with the sentence
			for k < len(rs) && isCloser(rs[k]) {
				k++
			}
			if k < len(rs) && !unicode.IsSpace(rs[k]) {
				i = j
				continue
			}
			if endsSentence(rs, start, i, j, k) {
				cut(k)
			}
			i = k - 1
		}
	}
	cut(len(rs))
	return spans
}

// Texts are the sentences of s, trimmed.
func Texts(s string, o Options) []string {
	var out []string
	for _, sp := range Spans(s, o) {
		if t := strings.TrimSpace(s[sp[0]:sp[1]]); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// lineBreakEnds decides whether the line break at rs[i] ends a sentence,
// by the start of the next line.
func lineBreakEnds(rs []rune, i int) bool {
	n := i + 1
	for n < len(rs) && rs[n] != '\n' && unicode.IsSpace(rs[n]) {
		n++
	}
	if n == len(rs) || rs[n] == '\n' {
		return true
	}
	if unicode.IsLower(rs[n]) {
		return false
	}
	if unicode.IsDigit(rs[n]) {
		for n < len(rs) && (unicode.IsDigit(rs[n]) || rs[n] == '.') {
			n++
		}
		// «1.2.», «3)» start an item; «10 рабочих дней» continues a line.
		return n < len(rs) && (rs[n] == ')' || rs[n-1] == '.')
	}
	return true
}

// endsSentence decides whether the marks rs[i..j], followed by a space or
// the end at rs[k], end the sentence that began at rs[start].
func endsSentence(rs []rune, start, i, j, k int) bool {
	next := k
	for next < len(rs) && unicode.IsSpace(rs[next]) {
		next++
	}
	if next == len(rs) {
		return true
	}
	if unicode.IsLower(rs[next]) {
		return false // «и т. д. в том же духе», «— спросил он»
	}
	if i != j || rs[i] != '.' {
		return true // «!», «?», «…», «...»
	}
	b := i
	for b > start && !unicode.IsSpace(rs[b-1]) {
		b--
	}
	token := strings.TrimLeft(string(rs[b:i]), "([{«\"'„“")
	if token == "" {
		return true
	}
	if tr := []rune(token); len(tr) == 1 && unicode.IsUpper(tr[0]) {
		return false // an initial
	}
	if isItemNumber(token) && strings.TrimSpace(string(rs[start:b])) == "" {
		return false // «1.», «2.3.» open a point of an act
	}
	lower := strings.ToLower(token)
	if lower == "г" || lower == "гг" {
		// «от 26.02.2010 г. Решение…» ends; «г. Верхняя Пышма» does not.
		e := b
		for e > start && unicode.IsSpace(rs[e-1]) {
			e--
		}
		p := e
		for p > start && (unicode.IsDigit(rs[p-1]) || rs[p-1] == '.') {
			p--
		}
		return p < e && (p == start || unicode.IsSpace(rs[p-1]))
	}
	return !abbreviations[lower]
}

// abbreviations of Russian legal and everyday writing after which a dot
// does not end a sentence. Those that often close one («и т.д.», «и др.»,
// «руб.», «тыс.») are left out: a capital letter after them starts a new
// sentence.
var abbreviations = func() map[string]bool {
	m := map[string]bool{}
	for _, a := range strings.Fields(`ст п пп ч чч гл разд абз подп прил рис табл см ср напр им ул пр пер пл
		просп д кв корп стр обл р-н пос с дер пгт тел вх исх ред изм доп т т.е т.к т.н т.ч н.э ок прим
		зам нач пред каб №`) {
		m[a] = true
	}
	return m
}()

func isTerminal(r rune) bool { return r == '.' || r == '!' || r == '?' || r == '…' }

func isCloser(r rune) bool {
	switch r {
	case '»', '"', '\'', ')', ']', '}', '“', '”':
		return true
	}
	return false
}

// isItemNumber reports «1», «2.3»: the number of a point before its dot.
func isItemNumber(token string) bool {
	for _, r := range token {
		if !unicode.IsDigit(r) && r != '.' {
			return false
		}
	}
	return token != "" && unicode.IsDigit([]rune(token)[0])
}
