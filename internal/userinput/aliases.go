package userinput

import "fmt"

// What YAML aliases may add to one file. An alias repeats its anchor's
// node, and nested aliases multiply: a few hundred bytes can stand for
// billions of nodes ("billion laughs"), or a 100 KB string repeated ten
// thousand times for a gigabyte of template. Real files use aliases for a
// few shared settings, far below these limits.
const (
	MaxAliasNodes = 1 << 18 // nodes (mappings, lists, scalars)
	MaxAliasBytes = 4 << 20 // bytes of scalar text (keys and values)
)

// AliasBudget counts what alias expansion adds to one YAML file.
type AliasBudget struct {
	nodes, bytes int64
}

// Spend adds one alias's expansion and reports whether the file is
// still within the limits.
func (b *AliasBudget) Spend(nodes, bytes int64) bool {
	b.nodes += nodes
	b.bytes += bytes
	return b.nodes <= MaxAliasNodes && b.bytes <= MaxAliasBytes
}

// Exceeded names the limit a failed Spend broke, for the message:
// "262144 nodes" or "4 MiB of text".
func (b *AliasBudget) Exceeded() string {
	if b.nodes > MaxAliasNodes {
		return fmt.Sprintf("%d nodes", MaxAliasNodes)
	}
	return Bytes(MaxAliasBytes) + " of text"
}

// AliasHint is the fix for an exceeded budget.
func AliasHint() string {
	return fmt.Sprintf("aliases may add at most %d nodes and %s of text to a file; repeat less through nested aliases, or write the repeated values out",
		MaxAliasNodes, Bytes(MaxAliasBytes))
}
