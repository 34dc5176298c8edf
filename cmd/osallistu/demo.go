package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"osallistu/participation"
	"osallistu/participation/postgres"
	schema "osallistu/sql"
)

// demoData is the shape of sql/demo/demo.json.
type demoData struct {
	Official participation.NewAccount `json:"official"`
	Process  participation.NewProcess `json:"process"`
}

// loadDemo loads the demo process: Finland's Open Government action plan
// 2017–2019 as it was drafted. It is idempotent: a second run finds the
// process there and changes nothing.
func loadDemo(ctx context.Context, store *postgres.Store, out io.Writer) error {
	var d demoData
	if err := json.Unmarshal(schema.Demo, &d); err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	if _, err := store.FindProcessBySlug(ctx, d.Process.Slug); err == nil {
		fmt.Fprintf(out, "the demo process is already there: /processes/%s\n", d.Process.Slug)
		return nil
	} else if participation.ErrorCode(err) != participation.ENOTFOUND {
		return err
	}
	official, err := store.EnsureAdmin(ctx, d.Official.Email, d.Official.Password, d.Official.Name)
	if err != nil {
		return err
	}
	ctx = officialContext(ctx, official)
	p, err := store.CreateProcess(ctx, d.Process)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "demo process loaded: /processes/%s\nofficial: %s / %s\n", p.Slug, d.Official.Email, d.Official.Password)
	return nil
}
