package handlers

// Index serves /.
func Index() (string, error) { return "", nil }

// Login serves POST /login.
func Login() (string, error) { return "", nil }

// GetUser serves /users.
func GetUser() (string, error) { return "", nil }
