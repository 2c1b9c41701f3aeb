package suggest

import "testing"

func TestClosest(t *testing.T) {
	cands := []string{"lambda_timeout", "lambda_memory_size", "layers", "dev", "prod", "ttl_seconds", "execution_role", "header"}
	for got, want := range map[string]string{
		"lambda_timout": "lambda_timeout",
		"LAYERS":        "layers",
		"prd":           "prod",
		"staging":       "",
		"dev":           "",
		// A part of a key: its words, or a prefix of it.
		"ttl":         "ttl_seconds",
		"memory_size": "lambda_memory_size",
		"timeout":     "lambda_timeout",
		"exec":        "execution_role",
		"role":        "execution_role",
		"x":           "",
		"size":        "lambda_memory_size",
	} {
		if s := Closest(got, cands); s != want {
			t.Errorf("Closest(%q) = %q, want %q", got, s, want)
		}
	}
}
