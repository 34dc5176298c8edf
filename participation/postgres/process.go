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
		WITH p AS (
			INSERT INTO processes (slug, title, description, language, translations, created_by, created_at, status, organiser, contact)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			RETURNING *),
		o AS (INSERT INTO process_officials (process_id, account_id, added_at) SELECT id, $6, $7 FROM p)
		SELECT `+processColumns+` FROM p`,
		n.Slug, n.Title, n.Description, n.Texts.Language, n.Texts.Translations, me.ID, tx.now, *n.Status, n.Organiser, n.Contact)
	if participation.ErrorCode(storeErr(err, "process")) == participation.ECONFLICT {
		f := participation.FieldErrors{}
		f.Add("slug", participation.RuleTaken, 0)
		return nil, &participation.Error{Code: participation.ECONFLICT, Message: "A process with this address already exists.", Fields: f}
	} else if err != nil {
		return nil, storeErr(err, "process")
	}
	p.Manageable = true
	if p.Officials, err = findProcessOfficials(ctx, tx, p.ID); err != nil {
		return nil, err
	}
	if err := fillProcesses(ctx, tx, []*participation.Process{&p}); err != nil {
		return nil, err
	}
	return &p, tx.Commit()
}

// processColumns are the columns of a process row.
const processColumns = `id, slug, title, description, language, translations, created_at, status, organiser, contact`

// visibleProcess is the condition on a process row p that the account $N
// (0 signed out) may see it: published or archived, or a draft that it
// manages (an admin, $N+1 true, manages every one).
func visibleProcess(n int) string {
	return fmt.Sprintf(`(p.status <> 'draft' OR $%d OR EXISTS (
		SELECT 1 FROM process_officials o WHERE o.process_id = p.id AND o.account_id = $%d))`, n+1, n)
}

// viewer returns the asking account's id (0 signed out) and whether it is
// an admin, the parameters of visibleProcess.
func viewer(ctx context.Context) (int64, bool) {
	a := participation.AccountFromContext(ctx)
	if a == nil {
		return 0, false
	}
	return a.ID, a.HasRole(participation.RoleAdmin)
}

// FindProcesses lists processes, newest first, each with its steps and stats.
func (s *Store) FindProcesses(ctx context.Context, f participation.ProcessFilter) ([]*participation.Process, int, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	me, admin := viewer(ctx)
	where := ` FROM processes p WHERE ` + visibleProcess(1) + ` AND ($3 = '' OR p.status = $3)`
	var total int
	if err := tx.GetContext(ctx, &total, `SELECT count(*)`+where, me, admin, f.Status); err != nil {
		return nil, 0, fmt.Errorf("count processes: %w", err)
	}
	// Archived processes come after the active ones.
	var list []*participation.Process
	if err := tx.SelectContext(ctx, &list, `
		SELECT `+processColumns+where+`
		ORDER BY p.status = 'archived', created_at DESC, id DESC LIMIT $4 OFFSET $5`, me, admin, f.Status, f.Limit, f.Offset); err != nil {
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
	p, err := findProcess(ctx, tx, slug)
	if err != nil {
		return nil, err
	}
	return p, tx.Commit()
}

// findProcess returns the process of slug with its steps and stats, and its
// officials when the asking account manages it; a draft it may not see is
// ENOTFOUND.
func findProcess(ctx context.Context, tx *Tx, slug string) (*participation.Process, error) {
	var p participation.Process
	if err := tx.GetContext(ctx, &p,
		`SELECT `+processColumns+` FROM processes WHERE slug = $1`, slug); err != nil {
		return nil, storeErr(err, "process")
	}
	officials, err := findProcessOfficials(ctx, tx, p.ID)
	if err != nil {
		return nil, err
	}
	p.Manageable = participation.CanManage(participation.AccountFromContext(ctx), officialIDs(officials))
	if !p.CanView(p.Manageable) {
		return nil, participation.Errorf(participation.ENOTFOUND, "process not found")
	}
	if p.Manageable {
		p.Officials = officials
	}
	if err := fillProcesses(ctx, tx, []*participation.Process{&p}); err != nil {
		return nil, err
	}
	return &p, nil
}

// stepsQuery returns every step of every process as (process_id, kind, id,
// title, opens_at, closes_at, status, language, translations). A NULL status is derived from the
// window; a kind whose status is not only a window gives its own (a
// workshop is open while a poll is; otherwise its window, from its start
// to its end or the official's, decides: participation.WorkshopState).
// Each step kind adds its branch here.
const stepsQuery = `
	SELECT process_id, 'idea_round' AS kind, id, title, opens_at, closes_at, NULL::text AS status, language, translations
	FROM idea_rounds
	UNION ALL
	SELECT w.process_id, 'workshop', w.id, w.title, w.starts_at, least(w.ended_at, w.ends_at),
	       CASE WHEN bool_or(p.status = 'open') THEN 'open' END,
	       w.language, w.translations
	FROM workshops w LEFT JOIN polls p ON p.workshop_id = w.id
	GROUP BY w.id
	UNION ALL
	SELECT process_id, 'statement_request', id, title, published_at, deadline, NULL, language, translations
	FROM statement_requests WHERE published_at IS NOT NULL
	UNION ALL
	SELECT process_id, 'survey', id, title, opened_at, closed_at, NULL, language, translations FROM surveys
	UNION ALL
	SELECT process_id, 'event', id, title, starts_at, ends_at, NULL, language, translations FROM events`

// contributionsQuery returns one row per public contribution to a process:
// its kind, the step it was made in, who made it ('a:' account,
// 'respondent:' issued respondent, 'r:' hash of a client-made respondent
// token from before the server issued them, 'p:' workshop participant, or
// the contribution itself when nobody can be told apart), the municipality
// it names, the account behind it (whose municipality counts where the
// contribution names none) and when it was made. Hidden ideas and comments
// (moderated, pending or deleted) are left out. Each kind of contribution
// adds its branch here; statsQuery, the statistics and the reach report
// count them.
const contributionsQuery = `
	SELECT r.process_id, 'idea' AS kind, 'idea_round' AS step_kind, r.id AS step_id,
	       coalesce('a:' || i.author_id, 'respondent:' || i.respondent_id, 'r:' || i.respondent, 'idea:' || i.id) AS who,
	       i.municipality, i.author_id AS account_id, i.created_at AS at
	FROM ideas i JOIN idea_rounds r ON r.id = i.round_id WHERE i.hidden_at IS NULL
	UNION ALL
	SELECT r.process_id, 'comment', 'idea_round', r.id,
	       coalesce('a:' || c.author_id, 'respondent:' || c.respondent_id, 'r:' || c.respondent, 'comment:' || c.id), NULL, c.author_id, c.created_at
	FROM comments c JOIN ideas i ON i.id = c.idea_id JOIN idea_rounds r ON r.id = i.round_id
	WHERE c.hidden_at IS NULL AND i.hidden_at IS NULL
	UNION ALL
	SELECT r.process_id, 'support', 'idea_round', r.id, s.supporter, NULL, s.account_id, s.created_at
	FROM supports s JOIN ideas i ON i.id = s.idea_id JOIN idea_rounds r ON r.id = i.round_id WHERE i.hidden_at IS NULL
	UNION ALL
	SELECT w.process_id, 'participant', 'workshop', w.id, coalesce('a:' || pa.account_id, 'p:' || pa.id), pa.municipality, pa.account_id, pa.created_at
	FROM participants pa JOIN workshops w ON w.id = pa.workshop_id
	UNION ALL
	SELECT w.process_id, 'ballot', 'workshop', w.id, coalesce('a:' || pa.account_id, 'p:' || pa.id), pa.municipality, pa.account_id, b.created_at
	FROM ballots b JOIN participants pa ON pa.id = b.participant_id JOIN workshops w ON w.id = pa.workshop_id
	UNION ALL
	SELECT r.process_id, 'statement', 'statement_request', r.id, 'a:' || s.author_id, NULL,
	       CASE WHEN s.organisation_id IS NULL THEN s.author_id END, s.submitted_at
	FROM statements s JOIN statement_requests r ON r.id = s.request_id WHERE s.submitted_at IS NOT NULL
	UNION ALL
	SELECT s.process_id, 'survey_response', 'survey', s.id,
	       coalesce('a:' || r.account_id, 'respondent:' || r.respondent_id, 'invitation:' || r.invitation_id, 'survey_response:' || r.id),
	       r.municipality, r.account_id, r.submitted_at
	FROM survey_responses r JOIN surveys s ON s.id = r.survey_id WHERE r.submitted_at IS NOT NULL`

// statsQuery counts each process's participation from its contributions.
const statsQuery = `
	WITH c AS (SELECT * FROM (` + contributionsQuery + `) c WHERE process_id = ANY($1))
	SELECT p.id AS process_id,
	       count(DISTINCT c.who) AS participants,
	       count(c.kind) FILTER (WHERE c.kind = 'idea') AS ideas,
	       count(c.kind) FILTER (WHERE c.kind = 'comment') AS comments,
	       count(c.kind) FILTER (WHERE c.kind = 'ballot') AS ballots,
	       count(c.kind) FILTER (WHERE c.kind = 'participant') AS workshop_participants,
	       count(c.kind) FILTER (WHERE c.kind = 'survey_response') AS survey_responses,
	       count(c.kind) FILTER (WHERE c.kind = 'statement') AS statements,
	       count(DISTINCT c.municipality) AS municipalities
	FROM processes p LEFT JOIN c ON c.process_id = p.id
	WHERE p.id = ANY($1)
	GROUP BY p.id`

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
		ProcessID int64   `db:"process_id"`
		Status    *string `db:"status"`
		participation.Step
	}
	if err := tx.SelectContext(ctx, &steps, `
		SELECT * FROM (`+stepsQuery+`) s WHERE process_id = ANY($1)
		ORDER BY opens_at NULLS LAST, kind, id`, pq.Array(ids)); err != nil {
		return fmt.Errorf("find steps: %w", err)
	}
	for _, s := range steps {
		if s.Status != nil {
			s.Step.Status = *s.Status
		} else {
			s.Step.Status = participation.WindowStatus(s.OpensAt, s.ClosesAt, tx.now)
		}
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

// UpdateProcess changes a process (its officials and admins); the slug stays.
func (s *Store) UpdateProcess(ctx context.Context, slug string, pt participation.ProcessPatch) (*participation.Process, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := requireProcessManager(ctx, tx, participation.ProcessRef{Kind: participation.RefProcess, Slug: slug}); err != nil {
		return nil, err
	}
	p, err := findProcess(ctx, tx, slug)
	if err != nil {
		return nil, err
	}
	if err := pt.Apply(p); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE processes SET title = $2, description = $3, organiser = $4, contact = $5,
		       language = $6, translations = $7, updated_at = $8
		WHERE id = $1`, p.ID, p.Title, p.Description, p.Organiser, p.Contact, p.Language, p.Translations, tx.now); err != nil {
		return nil, storeErr(err, "process")
	}
	if p, err = findProcess(ctx, tx, slug); err != nil {
		return nil, err
	}
	return p, tx.Commit()
}

// ChangeProcessStatus publishes, archives or un-archives a process (its
// officials and admins): action one of participation.ProcessPublish,
// ProcessArchive, ProcessUnarchive.
func (s *Store) ChangeProcessStatus(ctx context.Context, slug, action string) (*participation.Process, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := requireProcessManager(ctx, tx, participation.ProcessRef{Kind: participation.RefProcess, Slug: slug}); err != nil {
		return nil, err
	}
	p, err := findProcess(ctx, tx, slug)
	if err != nil {
		return nil, err
	}
	to, err := p.ChangeStatus(action)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE processes SET status = $2, updated_at = $3 WHERE id = $1`, p.ID, to, tx.now); err != nil {
		return nil, storeErr(err, "process")
	}
	if p, err = findProcess(ctx, tx, slug); err != nil {
		return nil, err
	}
	return p, tx.Commit()
}
