// Package app holds the handlers of the routes_global_cors reference case,
// ported from Chalice's app.py.
//
// A handler's doc comment becomes its route's swagger summary, as a Python
// docstring does, and app.py's views have none: the notes above the
// handlers are separated from them by a blank line on purpose.
package app

// app.py: inherits

func Inherits() (map[string]any, error) { return map[string]any{}, nil }

// app.py: explicit_none (cors=None also falls back to app.api.cors)

func ExplicitNone() (map[string]any, error) { return map[string]any{}, nil }

// app.py: opt_out

func OptOut() (map[string]any, error) { return map[string]any{}, nil }

// app.py: override

func Override() (map[string]any, error) { return map[string]any{}, nil }

// app.py: pdf

func Pdf() (map[string]any, error) { return map[string]any{}, nil }
