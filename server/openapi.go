package server

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"

	"github.com/gofiber/fiber/v2"
)

// openapiFiles are the OpenAPI 3 document's parts: base.json (info, shared
// components) and one file per resource with its paths and schemas.
//
//go:embed openapi/*.json
var openapiFiles embed.FS

// buildOpenAPI merges the parts into one document.
func buildOpenAPI() ([]byte, error) {
	doc := map[string]any{}
	paths := map[string]any{}
	schemas := map[string]any{}
	files, err := fs.Glob(openapiFiles, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		b, err := openapiFiles.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var part struct {
			Paths      map[string]any `json:"paths"`
			Components struct {
				Schemas map[string]any `json:"schemas"`
			} `json:"components"`
		}
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("openapi %s: %w", f, err)
		}
		if f == "openapi/base.json" {
			if err := json.Unmarshal(b, &doc); err != nil {
				return nil, err
			}
		}
		for k, v := range part.Paths {
			if _, dup := paths[k]; dup {
				return nil, fmt.Errorf("openapi %s: path %s is described twice", f, k)
			}
			paths[k] = v
		}
		for k, v := range part.Components.Schemas {
			schemas[k] = v
		}
	}
	doc["paths"] = paths
	components, _ := doc["components"].(map[string]any)
	if components == nil {
		components = map[string]any{}
	}
	components["schemas"] = schemas
	doc["components"] = components
	return json.Marshal(doc)
}

func (s *Server) apiOpenAPI(c *fiber.Ctx) error {
	c.Type("json", "utf-8")
	return c.Send(s.openapi)
}
