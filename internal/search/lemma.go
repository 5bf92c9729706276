package search

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

// The dictionary of Russian word forms is Hunspell's Russian dictionary
// (Debian's hunspell-ru, by Alexander I. Lebedev; licence in dict/README.md),
// shipped gzipped and unmodified, plus the project's own additions in
// dict/extra.dic. A Hunspell dictionary is already the compact encoding of a
// form→lemma table: every entry of ru_RU.dic is a word in its dictionary form
// (площадка, отец, день) with the flags of the suffix rules of ru_RU.aff that
// make its other forms (площадок, отца, дня). lemmasOf runs those rules
// backwards, as Hunspell's own analyser does: strip a rule's ending off the
// word, put back what the rule took away, and see whether the result is an
// entry carrying the rule's flag. That needs only the entries in memory
// (about 150 000), not the two million forms they stand for.
//
//go:generate sh -c "gzip -9n < /usr/share/hunspell/ru_RU.dic > dict/ru_RU.dic.gz && gzip -9n < /usr/share/hunspell/ru_RU.aff > dict/ru_RU.aff.gz"
//go:embed dict/ru_RU.dic.gz dict/ru_RU.aff.gz dict/extra.dic
var dictFS embed.FS

// suffixRule is one SFX line of the affix file: a form is made from an
// entry that ends in cond by replacing strip with add.
type suffixRule struct {
	flag  rune
	strip string
	cond  []runeSet // one set per final character of the entry
}

// runeSet is one position of a rule's condition: a set of characters, or
// every character but the set when neg, or any character when any.
type runeSet struct {
	runes string
	neg   bool
	any   bool
}

func (s runeSet) has(r rune) bool {
	if s.any {
		return true
	}
	return strings.ContainsRune(s.runes, r) != s.neg
}

// lexicon is the loaded dictionary.
type lexicon struct {
	entries map[string]string       // entry → its flags
	byAdd   map[string][]suffixRule // a rule's added ending → the rules
	maxAdd  int                     // longest added ending, in bytes
}

var (
	lexOnce sync.Once
	lex     *lexicon
	lexErr  error
)

// dictionary loads the dictionary on first use. It fails only if the
// embedded files are broken, which a test catches before any release.
func dictionary() *lexicon {
	lexOnce.Do(func() { lex, lexErr = loadLexicon() })
	if lexErr != nil {
		panic(fmt.Sprintf("search: load the Russian dictionary: %v", lexErr))
	}
	return lex
}

func readGz(name string) ([]byte, error) {
	f, err := dictFS.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return io.ReadAll(z)
}

func loadLexicon() (*lexicon, error) {
	aff, err := readGz("dict/ru_RU.aff.gz")
	if err != nil {
		return nil, err
	}
	dic, err := readGz("dict/ru_RU.dic.gz")
	if err != nil {
		return nil, err
	}
	extra, err := dictFS.ReadFile("dict/extra.dic")
	if err != nil {
		return nil, err
	}
	l := &lexicon{entries: make(map[string]string, 160_000), byAdd: map[string][]suffixRule{}}
	if err := l.readAffixes(aff); err != nil {
		return nil, err
	}
	l.readEntries(dic, true)
	l.readEntries(extra, false)
	return l, nil
}

// readAffixes reads the SFX rules, the only kind ru_RU.aff has. Words and
// rules are normalised as the text is (lower case, ё → е), so that the
// dictionary meets words in the form tokenize gives them.
func (l *lexicon) readAffixes(aff []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(aff))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 5 || f[0] != "SFX" {
			continue
		}
		flag := []rune(f[1])
		if len(flag) != 1 {
			return fmt.Errorf("affix flag %q is not one character", f[1])
		}
		strip, add := zero(normalizeWord(f[2])), zero(normalizeWord(f[3]))
		if i := strings.IndexByte(add, '/'); i >= 0 {
			return fmt.Errorf("affix %q continues with more flags, which is not supported", f[3])
		}
		r := suffixRule{flag: flag[0], strip: strip, cond: parseCond(normalizeWord(f[4]))}
		l.byAdd[add] = append(l.byAdd[add], r)
		l.maxAdd = max(l.maxAdd, len(add))
	}
	return sc.Err()
}

// zero reads Hunspell's "0", which means an empty ending.
func zero(s string) string {
	if s == "0" {
		return ""
	}
	return s
}

// parseCond reads a condition such as "[^аеиоуыэюя]ий" or ".".
func parseCond(c string) []runeSet {
	if c == "." || c == "" {
		return nil
	}
	var out []runeSet
	rs := []rune(c)
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '.':
			out = append(out, runeSet{any: true})
		case '[':
			j := i + 1
			set := runeSet{}
			if j < len(rs) && rs[j] == '^' {
				set.neg = true
				j++
			}
			k := j
			for k < len(rs) && rs[k] != ']' {
				k++
			}
			set.runes = string(rs[j:k])
			out = append(out, set)
			i = k
		default:
			out = append(out, runeSet{runes: string(rs[i])})
		}
	}
	return out
}

// readEntries reads "word/FLAGS" lines (the first line of a .dic file is
// the number of entries; # starts a comment in extra.dic).
func (l *lexicon) readEntries(dic []byte, counted bool) {
	sc := bufio.NewScanner(bytes.NewReader(dic))
	first := counted
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if first {
			first = false
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		word, flags, _ := strings.Cut(line, "/")
		if i := strings.IndexAny(flags, " \t"); i >= 0 {
			flags = flags[:i]
		}
		word = normalizeWord(word)
		// ё folds into е, so «ребёнок» and «ребенок» become one entry with
		// the flags of both.
		l.entries[word] += flags
	}
}

// matches reports whether the entry ends as the rule's condition says.
func (r suffixRule) matches(entry string) bool {
	if len(r.cond) == 0 {
		return true
	}
	rs := []rune(entry)
	if len(rs) < len(r.cond) {
		return false
	}
	tail := rs[len(rs)-len(r.cond):]
	for i, set := range r.cond {
		if !set.has(tail[i]) {
			return false
		}
	}
	return strings.HasSuffix(entry, r.strip)
}

// maxLemmas bounds the lemmas kept for one ambiguous form («стали» is a
// form of both «сталь» and «стать»).
const maxLemmas = 3

// lemmasOf returns the dictionary forms of a normalised word, sorted, or
// nil for a word the dictionary does not know.
func (l *lexicon) lemmasOf(w string) []string {
	var out []string
	if _, ok := l.entries[w]; ok {
		out = append(out, w)
	}
	for n := 0; n <= l.maxAdd && n < len(w); n++ {
		end := w[len(w)-n:]
		rules, ok := l.byAdd[end]
		if !ok {
			continue
		}
		base := w[:len(w)-n]
		for _, r := range rules {
			entry := base + r.strip
			flags, ok := l.entries[entry]
			if !ok || !strings.ContainsRune(flags, r.flag) || !r.matches(entry) {
				continue
			}
			if !slices.Contains(out, entry) {
				out = append(out, entry)
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	// The word's own entry first (a form that is itself a dictionary word
	// is most likely that word), then the rest in a fixed order.
	if _, ok := l.entries[w]; ok {
		slices.Sort(out[1:])
	} else {
		slices.Sort(out)
	}
	if len(out) > maxLemmas {
		out = out[:maxLemmas]
	}
	return out
}

// maxCorrections bounds the index look-ups one misspelt word may cost.
const maxCorrections = 12

// russianLetters are the letters a correction may put in (ё is folded).
const russianLetters = "аоеиынтсрвлкмдпуяьгзбчйхжшюцщэфъ"

// corrections lists the words the dictionary knows that are one edit away
// from w (a letter missing, extra or wrong, or two letters swapped), each
// lemma once, in a fixed order: wrong letters first, then swaps, missing
// and extra letters. A word the dictionary knows gets none.
func corrections(w string) []string {
	if cyr, lat := script(w); !cyr || lat {
		return nil
	}
	l := dictionary()
	if l.lemmasOf(w) != nil {
		return nil
	}
	rs := []rune(w)
	var cands []string
	for i := range rs {
		for _, c := range russianLetters {
			if c != rs[i] {
				cands = append(cands, string(rs[:i])+string(c)+string(rs[i+1:]))
			}
		}
	}
	for i := 0; i+1 < len(rs); i++ {
		if rs[i] != rs[i+1] {
			cands = append(cands, string(rs[:i])+string(rs[i+1])+string(rs[i])+string(rs[i+2:]))
		}
	}
	for i := 0; i <= len(rs); i++ {
		for _, c := range russianLetters {
			cands = append(cands, string(rs[:i])+string(c)+string(rs[i:]))
		}
	}
	if len(rs) > 3 {
		for i := range rs {
			cands = append(cands, string(rs[:i])+string(rs[i+1:]))
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, c := range cands {
		ls := l.lemmasOf(c)
		if ls == nil {
			continue
		}
		k := strings.Join(ls, " ")
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, c)
	}
	return out
}
