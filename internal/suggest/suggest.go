// Package suggest finds the name a user probably meant ("did you mean").
package suggest

import "strings"

// Closest returns the candidate nearest to got: an exact case-insensitive
// match first, else the first candidate within Levenshtein distance 2
// (hcl's threshold), else "".
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
	return best
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
