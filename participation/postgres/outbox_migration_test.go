package postgres_test

import (
	"context"
	"io/fs"
	"slices"
	"testing"

	"github.com/pressly/goose/v3"

	"osallistu/participation/postgres/pgtest"
	schema "osallistu/sql"
)

// TestOutboxMigration moves notifications into the outbox and back: the
// in-app messages keep their ids, kinds, titles and read times.
func TestOutboxMigration(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	migrations, err := fs.Sub(schema.Migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	provider, err := goose.NewProvider(goose.DialectPostgres, db.DB, migrations)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provider.DownTo(ctx, 5); err != nil {
		t.Fatal(err)
	}
	db.MustExec(`
		INSERT INTO accounts (id, email, name, created_at) VALUES (1, 'a@example.fi', 'A', now()), (2, 'b@example.fi', 'B', now());
		INSERT INTO processes (id, slug, title, description, created_at) VALUES (1, 'p', 'P', '', now());
		INSERT INTO commitments (id, process_id, title, created_at, updated_at) VALUES (5, 1, 'C', now(), now());
		INSERT INTO milestones (id, commitment_id, origin_commitment_id, position, title, due, created_at) VALUES (8, 5, 5, 1, 'M', '2020-01-01', now());
		INSERT INTO notifications (id, account_id, kind, commitment_id, commitment_title, link, created_at)
			VALUES (3, 1, 'commitment_approved', 5, 'C', '/commitments/5', '2017-01-01');
		INSERT INTO notifications (id, account_id, kind, commitment_id, commitment_title, milestone_id, milestone_title, status, link, created_at, read_at)
			VALUES (4, 2, 'milestone_status', 5, 'C', 8, 'M', 'late', '/commitments/5#milestone-8', '2017-01-02', '2017-01-03')`)
	type row struct {
		ID       int64   `db:"id"`
		Account  int64   `db:"account_id"`
		Kind     string  `db:"kind"`
		Channel  string  `db:"channel"`
		Params   string  `db:"params"`
		Lang     string  `db:"lang"`
		ReadAt   *string `db:"read_at"`
		Link     string  `db:"link"`
		Title    string  `db:"commitment_title"`
		Status   *string `db:"status"`
		Mileston *int64  `db:"milestone_id"`
	}
	if _, err := provider.UpTo(ctx, 6); err != nil {
		t.Fatal(err)
	}
	var moved []row
	if err := db.Select(&moved, `SELECT id, account_id, kind, channel, params::text AS params, lang, read_at::date::text AS read_at FROM outbox ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if len(moved) != 2 || moved[0].ID != 3 || moved[0].Params != `{"title": "C"}` || moved[0].ReadAt != nil || moved[0].Channel != "in_app" || moved[0].Lang != "fi" ||
		moved[1].ID != 4 || moved[1].Params != `{"title": "C", "status": "late", "milestone_id": 8, "milestone_title": "M"}` || *moved[1].ReadAt != "2017-01-03" {
		t.Fatalf("moved %+v", moved)
	}
	// New messages follow the moved ones.
	var next int64
	if err := db.Get(&next, `INSERT INTO outbox (account_id, channel, kind, subject_kind, subject_id, params, lang, created_at)
		VALUES (1, 'in_app', 'commitment_approved', 'commitment', 5, '{"title": "D"}', 'fi', now()) RETURNING id`); err != nil || next != 5 {
		t.Fatalf("next id %d %v", next, err)
	}

	if _, err := provider.DownTo(ctx, 5); err != nil {
		t.Fatal(err)
	}
	var back []row
	if err := db.Select(&back, `SELECT id, account_id, kind, link, commitment_title, status, milestone_id, read_at::date::text AS read_at FROM notifications ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if len(back) != 3 || back[0].Link != "/commitments/5" || back[1].Link != "/commitments/5#milestone-8" || *back[1].Status != "late" ||
		*back[1].Mileston != 8 || *back[1].ReadAt != "2017-01-03" || back[2].ID != 5 || back[0].Title != "C" {
		t.Fatalf("back %+v", back)
	}
	if _, err := provider.Up(ctx); err != nil {
		t.Fatal(err)
	}
	// 00013 has dropped the notifications view that 00006 left.
	var tables []string
	if err := db.Select(&tables, `SELECT table_name FROM information_schema.tables WHERE table_name IN ('outbox', 'notifications') ORDER BY 1`); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tables, []string{"outbox"}) {
		t.Fatalf("tables %v", tables)
	}
}

// TestDropNotificationsView: 00013 drops the notifications view and its
// trigger function; undone, they are back as 00006 made them (an insert
// through the view is an in-app message in the recipient's language).
func TestDropNotificationsView(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	migrations, err := fs.Sub(schema.Migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	provider, err := goose.NewProvider(goose.DialectPostgres, db.DB, migrations)
	if err != nil {
		t.Fatal(err)
	}
	objects := func() (views, functions int) {
		t.Helper()
		if err := db.Get(&views, `SELECT count(*) FROM information_schema.views WHERE table_name = 'notifications'`); err != nil {
			t.Fatal(err)
		}
		if err := db.Get(&functions, `SELECT count(*) FROM pg_proc WHERE proname = 'notifications_insert'`); err != nil {
			t.Fatal(err)
		}
		return views, functions
	}
	if v, f := objects(); v != 0 || f != 0 {
		t.Fatalf("after 00013: %d views, %d functions", v, f)
	}
	if _, err := provider.DownTo(ctx, 12); err != nil { // undo 00013 and every later one
		t.Fatal(err)
	}
	if v, f := objects(); v != 1 || f != 1 {
		t.Fatalf("undone: %d views, %d functions", v, f)
	}
	db.MustExec(`
		INSERT INTO accounts (id, email, name, created_at, lang) VALUES (1, 'a@example.fi', 'A', now(), 'sv');
		INSERT INTO processes (id, slug, title, description, created_at) VALUES (1, 'p', 'P', '', now());
		INSERT INTO commitments (id, process_id, title, created_at, updated_at) VALUES (5, 1, 'C', now(), now());
		INSERT INTO notifications (account_id, kind, commitment_id, commitment_title, link, created_at)
			VALUES (1, 'commitment_approved', 5, 'C', '/commitments/5', now())`)
	var lang string
	if err := db.Get(&lang, `SELECT lang FROM outbox WHERE account_id = 1 AND channel = 'in_app' AND subject_id = 5`); err != nil || lang != "sv" {
		t.Fatalf("through the view: %q %v", lang, err)
	}
	if _, err := provider.Up(ctx); err != nil {
		t.Fatal(err)
	}
	if v, f := objects(); v != 0 || f != 0 {
		t.Fatalf("done again: %d views, %d functions", v, f)
	}
}
