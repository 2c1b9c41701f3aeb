package suggest

import "testing"

func TestClosest(t *testing.T) {
	cands := []string{"lambda_timeout", "lambda_memory_size", "layers", "dev", "prod"}
	for got, want := range map[string]string{
		"lambda_timout": "lambda_timeout",
		"LAYERS":        "layers",
		"prd":           "prod",
		"staging":       "",
		"dev":           "",
	} {
		if s := Closest(got, cands); s != want {
			t.Errorf("Closest(%q) = %q, want %q", got, s, want)
		}
	}
}
