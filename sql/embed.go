// Package schema embeds the numbered schema migrations (applied with goose)
// and the demo data, so that the binary carries its own database schema.
package schema

import "embed"

// Migrations holds the goose migration files under migrations/.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// Demo is the demo process (sql/demo/*.json, one file per step): Finland's
// Open Government action plan 2017–2019, loaded by `osallistu demo`.
//
//go:embed demo/*.json
var Demo embed.FS
