package app

// Index answers /.
func Index() (string, error) { return "hello", nil }
