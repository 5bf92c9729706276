package roadmap

import (
	"strings"
	"unicode"
)

// Department is a structural unit of the administration that a responsible
// unit named in a plan can be mapped to.
type Department struct {
	ID   int64
	Name string
}

// MatchThreshold is the similarity from which a unit is mapped to a
// department without asking: high enough that «Управление делами» does not
// take «Управление образования», low enough for «Юридический отдел
// администрации» to find «Юридический отдел».
const MatchThreshold = 0.6

// MatchDepartment picks the department whose name is most like the unit's,
// if any is at least MatchThreshold alike. Plans name units loosely (case,
// quotes, «администрации» added), so names are compared by their letter
// pairs rather than exactly; staff correct what this gets wrong.
func MatchDepartment(unit string, depts []Department) (Department, float64, bool) {
	var best Department
	bestScore := 0.0
	u := bigrams(unit)
	for _, d := range depts {
		if s := dice(u, bigrams(d.Name)); s > bestScore {
			best, bestScore = d, s
		}
	}
	return best, bestScore, bestScore >= MatchThreshold
}

// Similarity is the Sørensen–Dice coefficient of the letter pairs of two
// names, from 0 (nothing alike) to 1 (the same letters).
func Similarity(a, b string) float64 { return dice(bigrams(a), bigrams(b)) }

// genericWords name the kind of a unit or its administration rather than the
// unit: «Управление делами» and «Управление ЖКХ» share only «управление».
var genericWords = map[string]bool{
	"управление": true, "управления": true, "отдел": true, "отдела": true, "комитет": true, "комитета": true,
	"сектор": true, "служба": true, "департамент": true, "администрации": true, "администрация": true,
	"городского": true, "округа": true, "муниципального": true, "по": true,
}

// bigrams are the pairs of adjacent letters within each word of the name,
// folded to lower case with ё as е; words of one letter, punctuation and the
// generic words drop out (unless nothing else is left).
func bigrams(s string) map[string]int {
	out := map[string]int{}
	words := strings.FieldsFunc(foldWord(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var specific []string
	for _, w := range words {
		if !genericWords[w] {
			specific = append(specific, w)
		}
	}
	if len(specific) > 0 {
		words = specific
	}
	for _, w := range words {
		rs := []rune(w)
		for i := 0; i+1 < len(rs); i++ {
			out[string(rs[i:i+2])]++
		}
	}
	return out
}

func dice(a, b map[string]int) float64 {
	na, nb, common := 0, 0, 0
	for k, n := range a {
		na += n
		common += min(n, b[k])
	}
	for _, n := range b {
		nb += n
	}
	if na+nb == 0 {
		return 0
	}
	return 2 * float64(common) / float64(na+nb)
}
