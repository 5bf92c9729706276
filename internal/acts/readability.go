package acts

import (
	"math"
	"regexp"
	"strings"
	"unicode"

	"github.com/glasnost/glasnost/internal/sentences"
)

// Readability is an estimate of how easy a Russian text is to read. It is
// shown next to a plain-language explanation of an act, so that the drafter
// sees whether the explanation is in fact plainer than the act.
//
// The zero value (Words == 0, Level == "") means there was nothing to measure.
type Readability struct {
	// Score is Oborneva's reading ease, clamped to 0..100 and rounded to one
	// decimal; higher is easier.
	Score     float64
	Words     int
	Sentences int
	Syllables int
	// Level is the verdict in Russian, from «очень легко» to «очень трудно».
	Level string
}

// Coefficients of Oborneva's adaptation of the Flesch Reading Ease to Russian:
// И. В. Оборнева. Автоматизированная оценка сложности учебных текстов на
// основе статистических параметров: дис. … канд. пед. наук. — М., 2006.
//
//	FRE = 206.835 − 1.3 × ASL − 60.1 × ASW
//
// where ASL is the average sentence length in words and ASW the average number
// of syllables per word. Flesch's English coefficients (1.015 and 84.6) are
// rescaled because Russian words are longer; the verdict bands are Flesch's.
const (
	readabilityBase        = 206.835
	readabilitySentenceK   = 1.3
	readabilitySyllableK   = 60.1
	readabilityMaxScore    = 100
	readabilityMinScore    = 0
	readabilityScorePlaces = 10 // round to 0.1
)

// MeasureReadability strips Markdown markup from text, splits it into
// sentences and words, counts syllables as Russian vowels and computes
// Oborneva's reading ease. Headings, list items and table cells count as
// sentences of their own even without a full stop.
func MeasureReadability(text string) Readability {
	var r Readability
	for _, block := range readabilityBlocks(text) {
		for _, sentence := range readabilitySentences(block) {
			words := readabilityWords(sentence)
			if len(words) == 0 {
				continue
			}
			r.Sentences++
			r.Words += len(words)
			for _, w := range words {
				r.Syllables += readabilitySyllables(w)
			}
		}
	}
	if r.Words == 0 {
		return Readability{}
	}
	asl := float64(r.Words) / float64(r.Sentences)
	asw := float64(r.Syllables) / float64(r.Words)
	score := readabilityBase - readabilitySentenceK*asl - readabilitySyllableK*asw
	// Very short words push the raw score above 100 and legal prose easily
	// drops below zero; outside 0..100 the bands no longer say anything.
	score = math.Max(readabilityMinScore, math.Min(readabilityMaxScore, score))
	r.Score = math.Round(score*readabilityScorePlaces) / readabilityScorePlaces
	r.Level = readabilityLevel(r.Score)
	return r
}

// Grade is the approximate school grade or education level that a reader
// needs, by Flesch's bands as commonly used with Oborneva's formula. It is
// empty when nothing was measured.
func (r Readability) Grade() string {
	if r.Words == 0 {
		return ""
	}
	switch s := r.Score; {
	case s >= 90:
		return "5 класс"
	case s >= 80:
		return "6 класс"
	case s >= 70:
		return "7 класс"
	case s >= 60:
		return "8–9 классы"
	case s >= 50:
		return "10–11 классы"
	case s >= 30:
		return "студент вуза"
	default:
		return "выпускник вуза, специалист"
	}
}

// readabilityLevel maps a score to Flesch's verdict bands.
func readabilityLevel(score float64) string {
	switch {
	case score >= 90:
		return "очень легко"
	case score >= 80:
		return "легко"
	case score >= 70:
		return "довольно легко"
	case score >= 60:
		return "нормально"
	case score >= 50:
		return "довольно трудно"
	case score >= 30:
		return "трудно"
	default:
		return "очень трудно"
	}
}

// Inline Markdown that must not reach the counts. Compiled once; they are
// read-only and safe for concurrent use.
var (
	readabilityImagePattern    = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	readabilityLinkPattern     = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	readabilityRefLinkPattern  = regexp.MustCompile(`\[([^\]]*)\]\[[^\]]*\]`)
	readabilityAutolinkPattern = regexp.MustCompile(`<(?:https?|mailto|ftp):[^>]*>`)
	readabilityTagPattern      = regexp.MustCompile(`</?[A-Za-z][^>]*>`)
	readabilityURLPattern      = regexp.MustCompile(`(?:https?|ftp)://\S+`)
	readabilityEscapePattern   = regexp.MustCompile("\\\\([\\\\`*_{}\\[\\]()#+\\-.!|>~])")
	readabilityListPattern     = regexp.MustCompile(`^(?:[-*+•]|\d{1,9}[.)])(?:\s+|$)`)
	readabilityRulePattern     = regexp.MustCompile(`^(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$`)
	readabilityTableSepPattern = regexp.MustCompile(`^\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?$`)
)

// readabilityPlainInline removes inline Markdown from one line: links and
// images keep their text, emphasis and code marks and HTML tags disappear,
// bare addresses are dropped because they are not words a reader reads.
func readabilityPlainInline(s string) string {
	s = readabilityImagePattern.ReplaceAllString(s, "$1")
	s = readabilityLinkPattern.ReplaceAllString(s, "$1")
	s = readabilityRefLinkPattern.ReplaceAllString(s, "$1")
	s = readabilityAutolinkPattern.ReplaceAllString(s, "")
	s = readabilityTagPattern.ReplaceAllString(s, "")
	s = readabilityURLPattern.ReplaceAllString(s, "")
	// Protect escaped characters from the emphasis strip below.
	s = readabilityEscapePattern.ReplaceAllStringFunc(s, func(m string) string {
		return "\x00" + m[1:]
	})
	s = strings.Map(func(r rune) rune {
		switch r {
		case '*', '_', '~', '`':
			return -1
		}
		return r
	}, s)
	s = strings.ReplaceAll(s, "\x00", "")
	return strings.Join(strings.Fields(s), " ")
}

// readabilityBlocks splits Markdown into plain-text blocks: paragraphs,
// headings, list items and table cells. A block ends a sentence even when the
// author wrote no full stop, as in headings and lists.
func readabilityBlocks(src string) []string {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	src = strings.ReplaceAll(src, "\r", "\n")

	var blocks, para []string
	flush := func() {
		if len(para) > 0 {
			if b := readabilityPlainInline(strings.Join(para, " ")); b != "" {
				blocks = append(blocks, b)
			}
			para = para[:0]
		}
	}
	inFence, inQuote := false, false
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			flush()
			inFence = !inFence
			continue
		}
		if inFence {
			continue // code is not prose
		}
		quote := strings.HasPrefix(t, ">")
		if quote != inQuote {
			flush() // a quotation is a paragraph of its own
			inQuote = quote
		}
		for strings.HasPrefix(t, ">") {
			t = strings.TrimSpace(t[1:])
		}
		switch {
		case t == "":
			flush()
		case readabilityRulePattern.MatchString(t):
			flush()
		case strings.HasPrefix(t, "|"):
			flush()
			if readabilityTableSepPattern.MatchString(t) {
				continue
			}
			for _, cell := range strings.Split(t, "|") {
				if c := readabilityPlainInline(cell); c != "" {
					blocks = append(blocks, c)
				}
			}
		case strings.HasPrefix(t, "#"):
			flush()
			para = append(para, readabilityHeadingText(strings.TrimLeft(t, "#")))
			flush()
		case readabilityListPattern.MatchString(t):
			flush()
			para = append(para, readabilityListPattern.ReplaceAllString(t, ""))
		default:
			para = append(para, t)
		}
	}
	flush()
	return blocks
}

// readabilityHeadingText drops the optional closing «###» of an ATX heading;
// a «#» glued to a word («C#») is text.
func readabilityHeadingText(rest string) string {
	t := strings.TrimSpace(rest)
	if u := strings.TrimRight(t, "#"); u == "" || strings.HasSuffix(u, " ") {
		t = strings.TrimSpace(u)
	}
	return t
}

// readabilitySentences splits a plain-text block into sentences by the
// portal's one sentence splitter.
func readabilitySentences(block string) []string {
	return sentences.Texts(block, sentences.Options{})
}

// readabilityWords returns the words of a sentence: runs of letters and
// digits, joined across inner hyphens and apostrophes («из-за», «что-либо»).
// A token without letters (a number, «№») is not a word, because the
// formula's syllable count would mark it as effortless when it is not.
func readabilityWords(sentence string) []string {
	rs := []rune(sentence)
	var words []string
	for i := 0; i < len(rs); {
		if !readabilityIsWordRune(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) {
			if readabilityIsWordRune(rs[j]) {
				j++
				continue
			}
			if (rs[j] == '-' || rs[j] == '\'' || rs[j] == '’') && j+1 < len(rs) && readabilityIsWordRune(rs[j+1]) {
				j++
				continue
			}
			break
		}
		w := string(rs[i:j])
		if strings.IndexFunc(w, unicode.IsLetter) >= 0 {
			words = append(words, w)
		}
		i = j
	}
	return words
}

func readabilityIsWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// readabilitySyllables counts the vowels of a word: in Russian every syllable
// has exactly one. Latin vowels are counted too, so that an occasional
// foreign word is not treated as free.
func readabilitySyllables(word string) int {
	n := 0
	for _, r := range strings.ToLower(word) {
		if strings.ContainsRune("аеёиоуыэюяaeiouy", r) {
			n++
		}
	}
	return n
}
