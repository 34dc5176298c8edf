package server_test

// The API's objects as the tests read them: only the fields some test
// looks at, each of which decode requires to be present.

// accountJSON is an account.
type accountJSON struct {
	ID           int64    `json:"id"`
	Email        string   `json:"email"`
	Name         string   `json:"name"`
	Roles        []string `json:"roles"`
	Municipality *string  `json:"municipality"`
}
