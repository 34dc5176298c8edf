// Package frontend embeds the pages' templates, the static assets (CSS,
// small JavaScript modules) and the interface translations (fi, sv, en).
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed templates
var templates embed.FS

//go:embed static
var static embed.FS

//go:embed locales
var locales embed.FS

// Templates holds the html/template files: layout.html, partials/*.html and
// one file per page, named after the page.
var Templates, _ = fs.Sub(templates, "templates")

// Static holds the files served under /static/.
var Static, _ = fs.Sub(static, "static")

// Locales holds the go-i18n message files, one per topic and language:
// NAME.LANG.toml.
var Locales, _ = fs.Sub(locales, "locales")

// Languages are the interface languages; the first is the default.
var Languages = []string{"fi", "sv", "en"}
