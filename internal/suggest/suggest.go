// Package suggest finds the name a user probably meant ("did you mean").
package suggest

import "strings"

// Closest returns the candidate nearest to got: an exact case-insensitive
// match first, else the first candidate within Levenshtein distance 2
// (hcl's threshold), else one that got is a part of (the shortest: "ttl"
// → "ttl_seconds", "memory" → "lambda_memory_size"), else "".
func Closest(got string, candidates []string) string {
	for _, c := range candidates {
		if strings.EqualFold(c, got) && c != got {
			return c
		}
	}
	best, bestD := "", 3
	for _, c := range candidates {
		if c == got {
			continue
		}
		if d := Distance(strings.ToLower(got), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	if best != "" {
		return best
	}
	return PartOf(got, candidates)
}

// PartOf returns the shortest candidate of which got is a part: its
// words ("_" and "-" separate words) are a run of the candidate's, or it
// is a prefix of the candidate at least three characters long. Ties go
// to the first candidate.
func PartOf(got string, candidates []string) string {
	g := strings.ToLower(got)
	gw := words(g)
	if len(g) < 2 || len(gw) == 0 {
		return ""
	}
	best := ""
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if lc == g {
			continue
		}
		if (len(g) >= 3 && strings.HasPrefix(lc, g)) || containsRun(words(lc), gw) {
			if best == "" || len(c) < len(best) {
				best = c
			}
		}
	}
	return best
}

func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '_' || r == '-' })
}

// containsRun: the words of part appear in whole, one after the other.
func containsRun(whole, part []string) bool {
	for i := 0; i+len(part) <= len(whole); i++ {
		match := true
		for j := range part {
			if whole[i+j] != part[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// Distance is the Levenshtein edit distance between a and b, in runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
