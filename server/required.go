package server

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// requireFields answers 422 invalid unless the request's JSON body, already
// decoded, names every one of fields. A struct cannot tell a field left out
// from one sent as null, and API.md makes them differ: null clears a
// nullable field, leaving a field out is invalid.
func requireFields(c *fiber.Ctx, fields ...string) error {
	var given map[string]json.RawMessage
	if err := json.Unmarshal(c.Body(), &given); err != nil {
		return participation.Errorf(participation.EMALFORMED, "The body must be a JSON object.")
	}
	f := participation.FieldErrors{}
	for _, name := range fields {
		if _, ok := given[name]; !ok {
			f.Add(name, participation.RuleRequired, 0)
		}
	}
	return f.Err()
}
