package search

import (
	"html/template"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/russian"
)

// Text processing shared by indexing and querying: both sides must split and
// stem words identically, or a word would not find itself. Everything here is
// pure so that it can be tested without a database.

const (
	// MaxQueryLen is the longest query accepted, in characters.
	MaxQueryLen = 200
	// maxQueryWords bounds the work a single query can ask of the engine.
	maxQueryWords = 16
	// maxWordLen skips tokens that are not words (hashes, base64, long
	// numbers); PostgreSQL has a similar limit of its own.
	maxWordLen = 64
	// maxTitleBytes and maxBodyBytes bound what one document stores. The
	// body limit keeps PostgreSQL's tsvector well under its 1 MB ceiling.
	maxTitleBytes = 2000
	maxBodyBytes  = 300_000
	// snippetWords is the length of a snippet in words.
	snippetWords = 30
	// snippetScanBytes bounds how much of a long body a snippet looks at.
	snippetScanBytes = 200_000
)

// Sentinels mark highlights in PostgreSQL's ts_headline output. They are
// private-use characters, removed from every stored text by cleanText, so
// that after the output is HTML-escaped they can be turned into <mark> and
// nothing else in the document can ever become markup.
const (
	markOpen  = '\uE000'
	markClose = '\uE001'
)

// span is the byte span of one word of a text.
type span struct{ start, end int }

// token is one word of a text with its byte span.
type token struct {
	span
	word string // normalised: lower case, ё → е, no combining marks
}

// isWordRune reports whether r belongs to a word. Combining marks (the
// stress accent of «обраще́ние») stay inside the word and are dropped by
// normalisation.
func isWordRune(r rune) bool {
	switch {
	case r >= 'а' && r <= 'я', r >= 'А' && r <= 'Я', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	case r < 0x80:
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// normalWordRune reports whether r needs no normalisation.
func normalWordRune(r rune) bool {
	return (r >= 'а' && r <= 'я') || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9')
}

// normalizeWord lower-cases w, folds ё into е (Russian texts use them
// interchangeably) and drops combining marks. A word that is already
// normal is returned as it is, without allocating.
func normalizeWord(w string) string {
	normal := true
	for _, r := range w {
		if !normalWordRune(r) {
			normal = false
			break
		}
	}
	if normal {
		return w
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range w {
		switch {
		case normalWordRune(r):
			b.WriteRune(r)
		case r >= 'А' && r <= 'Я':
			b.WriteRune(r + ('а' - 'А'))
		case r == 'ё' || r == 'Ё':
			b.WriteRune('е')
		case unicode.Is(unicode.Mn, r):
			continue
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// tokenize calls fn for every word of s, in order, until fn returns false.
func tokenize(s string, fn func(t token) bool) {
	spans(s, func(w span) bool { return fn(token{span: w, word: normalizeWord(s[w.start:w.end])}) })
}

// spans calls fn for the span of every word of s, in order, until fn
// returns false.
func spans(s string, fn func(w span) bool) {
	start := -1
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			if !fn(span{start, i}) {
				return
			}
			start = -1
		}
	}
	if start >= 0 {
		fn(span{start, len(s)})
	}
}

// script classifies a normalised word for choosing its stemmer.
func script(w string) (cyrillic, latin bool) {
	for _, r := range w {
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic = true
		case r < utf8.RuneSelf && unicode.IsLetter(r):
			latin = true
		}
	}
	return cyrillic, latin
}

// stem returns the search stem of a normalised word, or "" for a word that
// is not indexed (a stop word or an overlong token). Russian words use the
// Russian Snowball stemmer and Latin ones the English stemmer — the same
// split that PostgreSQL's "russian" configuration makes — and anything else
// (numbers, mixed tokens) is kept as it is.
func stem(w string) string {
	if w == "" || utf8.RuneCountInString(w) > maxWordLen {
		return ""
	}
	cyr, lat := script(w)
	switch {
	case cyr && !lat:
		if russian.IsStopWord(w) {
			return ""
		}
		return russian.Stem(w, true)
	case lat && !cyr:
		if english.IsStopWord(w) {
			return ""
		}
		return english.Stem(w, true)
	default:
		return w
	}
}

// stemMemo remembers stems. The Snowball implementation turns every suffix
// it tries into runes, about 1.5 µs a word, while the vocabulary of a
// municipality's documents is small and repeats itself; the memo makes
// indexing several times faster. It is a cache of a pure function, bounded
// so that hostile input cannot grow it: when full it starts afresh.
type stemMemo struct {
	mu sync.RWMutex
	m  map[string]string
}

const stemMemoMax = 200_000

var memo = &stemMemo{m: make(map[string]string, 4096)}

// cachedStem is stem through the memo.
func cachedStem(w string) string { return memo.get(w, stem) }

// get returns f(w), remembered.
func (m *stemMemo) get(w string, f func(string) string) string {
	m.mu.RLock()
	s, ok := m.m[w]
	m.mu.RUnlock()
	if ok {
		return s
	}
	s = f(w)
	m.mu.Lock()
	if len(m.m) >= stemMemoMax {
		clear(m.m)
	}
	// w may be a slice of a long body: keep a copy, not the body.
	m.m[strings.Clone(w)] = s
	m.mu.Unlock()
	return s
}

// stemText returns the stems of s separated by spaces: what the SQLite
// full-text table stores instead of the text itself.
func stemText(s string) string {
	var b strings.Builder
	b.Grow(len(s) / 2)
	tokenize(s, func(t token) bool {
		if st := cachedStem(t.word); st != "" {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(st)
		}
		return true
	})
	return b.String()
}

// keys returns the index keys of a normalised word, separated by spaces, or
// "" for a word that is not indexed (a stop word or an overlong token). A
// Russian word the dictionary knows is indexed under its lemmas (the
// dictionary forms it can be a form of: «площадок» → «площадка», «стали» →
// «сталь стать»); any other word under its Snowball stem, as before; numbers
// and mixed tokens as they are. Documents and queries go through this one
// function on both engines.
func keys(w string) string {
	st := stem(w)
	if st == "" {
		return ""
	}
	if cyr, lat := script(w); cyr && !lat {
		if ls := dictionary().lemmasOf(w); len(ls) > 0 {
			return strings.Join(ls, " ")
		}
	}
	return st
}

// keyMemo remembers keys, like stemMemo: the vocabulary repeats itself and
// the dictionary lookup tries every ending of the word.
var keyMemo = &stemMemo{m: make(map[string]string, 4096)}

func cachedKeys(w string) string { return keyMemo.get(w, keys) }

// wordKeyMemo remembers the keys of words as a text spells them, so that
// a snippet looks a word up without normalising it first (which copies
// every capitalised word).
var wordKeyMemo = &stemMemo{m: make(map[string]string, 4096)}

func wordKeys(w string) string {
	return wordKeyMemo.get(w, func(w string) string { return cachedKeys(normalizeWord(w)) })
}

// keyText returns the keys of the words of s separated by spaces: what
// both engines index instead of the text itself.
func keyText(s string) string {
	var b strings.Builder
	b.Grow(len(s) / 2)
	tokenize(s, func(t token) bool {
		if k := cachedKeys(t.word); k != "" {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(k)
		}
		return true
	})
	return b.String()
}

// parsedQuery is a user's query reduced to what the engines need.
type parsedQuery struct {
	// Words are the distinct normalised words kept, in order.
	Words []string
	// Groups holds the keys of each word of Words: a document has the word
	// when it has any of its keys.
	Groups [][]string
	// Keys are all distinct keys, for highlighting.
	Keys []string
}

// parseQuery splits a query into words. Every character that is not part
// of a word — quotes, asterisks, colons, brackets, operators of either
// engine's query language — only separates words, so user input can never
// become query syntax.
func parseQuery(q string) parsedQuery {
	var p parsedQuery
	seenWord := map[string]bool{}
	seenKey := map[string]bool{}
	tokenize(q, func(t token) bool {
		k := cachedKeys(t.word)
		if k == "" || seenWord[k] {
			return true
		}
		seenWord[k] = true
		group := strings.Fields(k)
		p.Words = append(p.Words, t.word)
		p.Groups = append(p.Groups, group)
		for _, g := range group {
			if !seenKey[g] {
				seenKey[g] = true
				p.Keys = append(p.Keys, g)
			}
		}
		return len(p.Words) < maxQueryWords
	})
	return p
}

// ftsMatch builds the FTS5 MATCH expression: every key quoted as a string
// (keys hold only letters and digits, but quotes are doubled all the same),
// the keys of one word as alternatives, and the words all required — or,
// for the partial search, any of them.
func ftsMatch(groups [][]string, all bool) string {
	parts := make([]string, len(groups))
	for i, g := range groups {
		alt := make([]string, len(g))
		for j, k := range g {
			alt[j] = `"` + strings.ReplaceAll(k, `"`, `""`) + `"`
		}
		parts[i] = strings.Join(alt, " OR ")
		if len(g) > 1 {
			parts[i] = "(" + parts[i] + ")"
		}
	}
	op := " AND "
	if !all {
		op = " OR "
	}
	return strings.Join(parts, op)
}

// tsQuery is the same expression as ftsMatch for PostgreSQL's to_tsquery
// with the "simple" configuration: keys quoted as lexemes, | and &.
func tsQuery(groups [][]string, all bool) string {
	parts := make([]string, len(groups))
	for i, g := range groups {
		alt := make([]string, len(g))
		for j, k := range g {
			k = strings.ReplaceAll(k, `\`, `\\`)
			alt[j] = "'" + strings.ReplaceAll(k, "'", "''") + "'"
		}
		parts[i] = "(" + strings.Join(alt, " | ") + ")"
	}
	op := " & "
	if !all {
		op = " | "
	}
	return strings.Join(parts, op)
}

// cleanText makes a caller's text safe to store and index: valid UTF-8,
// no control characters (PostgreSQL rejects NUL), no highlight sentinels,
// no stress marks (they split words in PostgreSQL's parser), and at most
// max bytes, cut at a character boundary.
func cleanText(s string, max int) string {
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == markOpen || r == markClose || r == '\u0300' || r == '\u0301':
			continue
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case unicode.IsControl(r):
			b.WriteByte(' ')
		default:
			if b.Len()+utf8.RuneLen(r) > max {
				return strings.TrimSpace(b.String())
			}
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// markup escapes text for HTML and turns the highlight sentinels into
// <mark> elements. Unbalanced sentinels are closed so that the markup is
// always well formed. Runs of characters that need no escaping are copied
// whole.
func markup(s string) template.HTML {
	var b strings.Builder
	b.Grow(len(s) + 32)
	open := false
	space := false
	plain := -1 // where the run of characters copied as they are began
	flush := func(i int) {
		if plain >= 0 {
			b.WriteString(s[plain:i])
			plain = -1
		}
	}
	for i, r := range s {
		if isSpace(r) {
			flush(i)
			space = true
			continue
		}
		if space {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
		}
		var esc string
		switch r {
		case markOpen:
			if !open {
				esc, open = "<mark>", true
			}
		case markClose:
			if open {
				esc, open = "</mark>", false
			}
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		case utf8.RuneError:
			esc = string(utf8.RuneError) // an invalid byte, not copied as it is
		default:
			if plain < 0 {
				plain = i
			}
			continue
		}
		flush(i)
		b.WriteString(esc)
	}
	flush(len(s))
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(strings.TrimSpace(b.String())) //nolint:gosec // every character above is escaped
}

// isSpace is unicode.IsSpace with the common case first: no character
// from U+0100 to U+167F (Latin Extended, Greek, Cyrillic and the other
// alphabets of the kind) is a space.
func isSpace(r rune) bool {
	if r >= 0x100 && r < 0x1680 {
		return false
	}
	return unicode.IsSpace(r)
}

// snippet picks the passage of text with the most distinct query keys in
// it and marks the words whose key matched. With no match it is the start
// of the text. The result is safe HTML (see markup).
func snippet(text string, keys []string) template.HTML {
	if len(text) > snippetScanBytes {
		text = text[:snippetScanBytes]
		for !utf8.ValidString(text) {
			text = text[:len(text)-1]
		}
	}
	want := make(map[string]bool, len(keys))
	for _, k := range keys {
		want[k] = true
	}
	words, stemOf, matched := snippetTokens(text, want)
	if len(words) == 0 {
		return ""
	}
	from := snippetStart(stemOf, matched, len(want))
	to := min(from+snippetWords, len(words))
	return markup(snippetPassage(text, words, stemOf, from, to))
}

// snippetTokens splits text into words and gives for each the query key it
// matched ("" for none), with the indexes of the words that matched. It
// reads on only while snippetStart's choice can still change: it stops at
// the first window that holds every key, or past the last window that
// snippetStart weighs, each with the word after it (which tells whether
// the text goes on). A long act whose first match is near its start is
// then read for a few hundred bytes, not to its end.
func snippetTokens(text string, want map[string]bool) (words []span, stemOf []string, matched []int) {
	weighed := 0 // matches whose windows are read and weighed
	words, stemOf = make([]span, 0, 64), make([]string, 0, 64)
	spans(text, func(t span) bool {
		st := ""
		// Walk the keys without splitting them into a slice: this runs
		// for every word of up to twenty bodies.
		for k := wordKeys(text[t.start:t.end]); k != "" && st == ""; {
			var first string
			first, k, _ = strings.Cut(k, " ")
			if want[first] {
				st = first
			}
		}
		if st != "" {
			matched = append(matched, len(words))
		}
		words = append(words, t)
		stemOf = append(stemOf, st)
		for weighed < len(matched) && weighed < snippetWindows {
			s := windowStart(matched[weighed])
			if len(words) <= s+snippetWords {
				break
			}
			if windowKeys(stemOf, s) == len(want) {
				return false
			}
			weighed++
		}
		return weighed < snippetWindows
	})
	return words, stemOf, matched
}

// snippetWindows is the number of matches, from the first, around which
// snippetStart weighs a window.
const snippetWindows = 200

// windowStart is where the window around the match at word m starts: a
// few words before it, for context.
func windowStart(m int) int { return max(m-4, 0) }

// windowKeys is the number of distinct keys matched in the window of
// snippetWords words from word s.
func windowKeys(stemOf []string, s int) int {
	seen := map[string]bool{}
	for i := s; i < len(stemOf) && i < s+snippetWords; i++ {
		if stemOf[i] != "" {
			seen[stemOf[i]] = true
		}
	}
	return len(seen)
}

// snippetStart chooses the window: start a little before each match and
// count the distinct keys it holds; the first best window wins. wanted is
// the number of distinct keys, at which no window can do better.
func snippetStart(stemOf []string, matched []int, wanted int) int {
	from, best := 0, 0
	for k, m := range matched {
		if k >= snippetWindows {
			break
		}
		s := windowStart(m)
		if n := windowKeys(stemOf, s); n > best {
			from, best = s, n
		}
		if best == wanted {
			break
		}
	}
	return from
}

// snippetPassage is the text of words[from:to] with the matched words
// between markOpen and markClose, and «…» where the text goes on.
func snippetPassage(text string, words []span, stemOf []string, from, to int) string {
	var b strings.Builder
	if from > 0 {
		b.WriteString("… ")
	} else {
		b.WriteString(text[:words[0].start]) // an opening quote or bracket
	}
	for i := from; i < to; i++ {
		if i > from {
			b.WriteString(text[words[i-1].end:words[i].start])
		}
		w := text[words[i].start:words[i].end]
		if stemOf[i] != "" {
			b.WriteRune(markOpen)
			b.WriteString(w)
			b.WriteRune(markClose)
		} else {
			b.WriteString(w)
		}
	}
	if to < len(words) {
		// Keep the punctuation that closes the last word's sentence.
		tail := text[words[to-1].end:words[to].start]
		if i := strings.IndexFunc(tail, unicode.IsSpace); i >= 0 {
			tail = tail[:i]
		}
		b.WriteString(tail)
		b.WriteString(" …")
	} else {
		b.WriteString(text[words[to-1].end:])
	}
	return b.String()
}

// Stems returns the search stems of the words of s, in order (stop words
// left out): what other areas use to match Russian text the way search
// does, whatever the word's form.
func Stems(s string) []string { return strings.Fields(stemText(s)) }
