package handlers

// GetThing misses the {type} parameter.
func GetThing(thingID string) (string, error) { return thingID, nil }
