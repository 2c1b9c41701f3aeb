// Package app holds the shop's own handlers.
package app

// ListProducts lists the products.
func ListProducts() ([]string, error) { return []string{"tea", "coffee"}, nil }
