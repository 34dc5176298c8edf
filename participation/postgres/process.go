package postgres

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"osallistu/participation"
)

// CreateProcess creates a process (officials only).
func (s *Store) CreateProcess(ctx context.Context, n participation.NewProcess) (*participation.Process, error) {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var p participation.Process
	err = tx.GetContext(ctx, &p, `
		INSERT INTO processes (slug, title, description, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5)
		RETURNING id, slug, title, description, created_at`,
		n.Slug, n.Title, n.Description, me.ID, tx.now)
	if participation.ErrorCode(storeErr(err, "process")) == participation.ECONFLICT {
		f := participation.FieldErrors{}
		f.Add("slug", participation.RuleTaken, 0)
		return nil, &participation.Error{Code: participation.ECONFLICT, Message: "A process with this address already exists.", Fields: f}
	} else if err != nil {
		return nil, storeErr(err, "process")
	}
	if err := fillProcesses(ctx, tx, []*participation.Process{&p}); err != nil {
		return nil, err
	}
	return &p, tx.Commit()
}

// FindProcesses lists processes, newest first, each with its steps and stats.
func (s *Store) FindProcesses(ctx context.Context, f participation.ProcessFilter) ([]*participation.Process, int, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.GetContext(ctx, &total, `SELECT count(*) FROM processes`); err != nil {
		return nil, 0, fmt.Errorf("count processes: %w", err)
	}
	var list []*participation.Process
	if err := tx.SelectContext(ctx, &list, `
		SELECT id, slug, title, description, created_at FROM processes
		ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2`, f.Limit, f.Offset); err != nil {
		return nil, 0, fmt.Errorf("find processes: %w", err)
	}
	if err := fillProcesses(ctx, tx, list); err != nil {
		return nil, 0, err
	}
	return list, total, tx.Commit()
}

// FindProcessBySlug returns one process with its steps and stats.
func (s *Store) FindProcessBySlug(ctx context.Context, slug string) (*participation.Process, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var p participation.Process
	if err := tx.GetContext(ctx, &p,
		`SELECT id, slug, title, description, created_at FROM processes WHERE slug = $1`, slug); err != nil {
		return nil, storeErr(err, "process")
	}
	if err := fillProcesses(ctx, tx, []*participation.Process{&p}); err != nil {
		return nil, err
	}
	return &p, tx.Commit()
}

// stepsQuery returns every step of the given processes as (process_id, kind,
// id, title, opens_at, closes_at); each step kind adds its table here.
const stepsQuery = `
	SELECT 0::bigint AS process_id, ''::text AS kind, 0::bigint AS id, ''::text AS title,
	       NULL::timestamptz AS opens_at, NULL::timestamptz AS closes_at
	WHERE false`

// statsQuery counts each process's participation; each step kind adds its counts.
const statsQuery = `
	SELECT p.id AS process_id, 0 AS participants, 0 AS ideas, 0 AS comments, 0 AS ballots,
	       0 AS survey_responses, 0 AS statements, 0 AS municipalities
	FROM processes p WHERE p.id = ANY($1)`

// fillProcesses loads the steps and stats of several processes in two queries.
func fillProcesses(ctx context.Context, tx *Tx, list []*participation.Process) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	byID := make(map[int64]*participation.Process, len(list))
	for i, p := range list {
		ids[i] = p.ID
		byID[p.ID] = p
		p.Steps = []participation.Step{}
		p.Stats = &participation.Stats{}
	}
	var steps []struct {
		ProcessID int64 `db:"process_id"`
		participation.Step
	}
	if err := tx.SelectContext(ctx, &steps, `
		SELECT * FROM (`+stepsQuery+`) s WHERE process_id = ANY($1)
		ORDER BY opens_at NULLS LAST, kind, id`, pq.Array(ids)); err != nil {
		return fmt.Errorf("find steps: %w", err)
	}
	for _, s := range steps {
		s.Status = participation.WindowStatus(s.OpensAt, s.ClosesAt, tx.now)
		byID[s.ProcessID].Steps = append(byID[s.ProcessID].Steps, s.Step)
	}
	var stats []struct {
		ProcessID int64 `db:"process_id"`
		participation.Stats
	}
	if err := tx.SelectContext(ctx, &stats, statsQuery, pq.Array(ids)); err != nil {
		return fmt.Errorf("count participation: %w", err)
	}
	for _, st := range stats {
		*byID[st.ProcessID].Stats = st.Stats
	}
	return nil
}
