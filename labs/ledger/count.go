package ledger

import (
	"cmp"
	"slices"
)

// Count is how many times one thing was seen.
type Count struct {
	Name string
	N    int
}

// Counts orders counts most frequent first, then by name: the one order
// every tally of the lab (expectations, lab run, lab watch) prints in.
func Counts[K comparable](counts map[K]int, name func(K) string) []Count {
	out := make([]Count, 0, len(counts))
	for k, n := range counts {
		out = append(out, Count{name(k), n})
	}
	slices.SortFunc(out, func(a, b Count) int {
		if c := cmp.Compare(b.N, a.N); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out
}
