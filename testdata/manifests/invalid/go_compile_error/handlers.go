package handlers

// GetAuthor misspells its parameter.
func GetAuthor(authorID string) (string, error) {
	name := "é"
	return authorId, nil
}
