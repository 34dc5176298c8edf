package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/lib/pq"

	"osallistu/participation"
)

// CreateCommitment starts a draft commitment in a process (officials only):
// its text, sources and milestones, as version 1.
func (s *Store) CreateCommitment(ctx context.Context, slug string, n participation.NewCommitment) (*participation.Commitment, error) {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var processID int64
	if err := tx.GetContext(ctx, &processID, `SELECT id FROM processes WHERE slug = $1`, slug); err != nil {
		return nil, storeErr(err, "process")
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	if err := checkSources(ctx, tx, processID, n.SourceIdeaIDs, n.SourceThemeIDs); err != nil {
		return nil, err
	}
	var id int64
	if err := tx.GetContext(ctx, &id, `
		INSERT INTO commitments (process_id, title, problem, description, how_it_addresses, relevance,
		                         lead_agency, other_actors, starts_on, ends_on, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
		processID, n.Title, n.Problem, n.Description, n.HowItAddresses, n.Relevance,
		n.LeadAgency, n.OtherActors, n.StartsOn, n.EndsOn, me.ID, tx.now); err != nil {
		return nil, storeErr(err, "commitment")
	}
	if err := addSources(ctx, tx, id, n.SourceIdeaIDs, n.SourceThemeIDs); err != nil {
		return nil, err
	}
	for i, m := range n.Milestones {
		if err := insertMilestone(ctx, tx, id, i, m); err != nil {
			return nil, err
		}
	}
	c, err := findCommitment(ctx, tx, id, false)
	if err != nil {
		return nil, err
	}
	if err := insertVersion(ctx, tx, c, nil, me.ID, nil, nil); err != nil {
		return nil, err
	}
	return c, tx.Commit()
}

// checkSources makes sure every idea and theme belongs to the process: a
// foreign or unknown one is EINVALID on its field.
func checkSources(ctx context.Context, tx *Tx, processID int64, ideaIDs, themeIDs []int64) error {
	f := participation.FieldErrors{}
	var n int
	if len(ideaIDs) > 0 {
		if err := tx.GetContext(ctx, &n, `
			SELECT count(*) FROM ideas i JOIN idea_rounds r ON r.id = i.round_id
			WHERE i.id = ANY($1) AND r.process_id = $2`, pq.Array(ideaIDs), processID); err != nil {
			return fmt.Errorf("check source ideas: %w", err)
		}
		if n != len(ideaIDs) {
			f.Add("source_idea_ids", participation.RuleChoice, 0)
		}
	}
	if len(themeIDs) > 0 {
		if err := tx.GetContext(ctx, &n, `
			SELECT count(*) FROM themes t JOIN idea_rounds r ON r.id = t.round_id
			WHERE t.id = ANY($1) AND r.process_id = $2`, pq.Array(themeIDs), processID); err != nil {
			return fmt.Errorf("check source themes: %w", err)
		}
		if n != len(themeIDs) {
			f.Add("source_theme_ids", participation.RuleChoice, 0)
		}
	}
	if err := f.Err(); err != nil {
		return &participation.Error{Code: participation.EINVALID, Message: "Sources must be ideas and themes of the same process.", Fields: f}
	}
	return nil
}

// addSources adds ideas and themes to a commitment's sources; ones it has
// already are left as they are.
func addSources(ctx context.Context, tx *Tx, commitmentID int64, ideaIDs, themeIDs []int64) error {
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO commitment_sources (commitment_id, idea_id)
		SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`, commitmentID, pq.Array(ideaIDs)); err != nil {
		return fmt.Errorf("add source ideas: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO commitment_sources (commitment_id, theme_id)
		SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`, commitmentID, pq.Array(themeIDs)); err != nil {
		return fmt.Errorf("add source themes: %w", err)
	}
	return nil
}

func insertMilestone(ctx context.Context, tx *Tx, commitmentID int64, position int, m participation.MilestoneText) error {
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO milestones (commitment_id, origin_commitment_id, position, title, due, responsible, created_at)
		VALUES ($1, $1, $2, $3, $4, $5, $6)`,
		commitmentID, position, m.Title, m.Due, m.Responsible, tx.now); err != nil {
		return storeErr(err, "milestone")
	}
	return nil
}

// insertVersion records c as it is now as its current version: changed
// from before (nil for the first version, which "changes" what it fills in).
func insertVersion(ctx context.Context, tx *Tx, c *participation.Commitment, before *participation.CommitmentSnapshot, authorID int64, note *string, mergedFrom *int64) error {
	snap := c.Snapshot()
	if before == nil {
		before = &participation.CommitmentSnapshot{}
	}
	changed := participation.ChangedFields(before, &snap)
	b, err := json.Marshal(snap) // sent as text: a []byte parameter goes as binary, which jsonb reads otherwise
	if err != nil {
		return fmt.Errorf("version snapshot: %w", err)
	}
	if note != nil && *note == "" {
		note = nil
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO commitment_versions (commitment_id, version, author_id, created_at, change_note, snapshot, changed_fields, merged_from)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		c.ID, c.Version, authorID, tx.now, note, string(b), pq.Array(changed), mergedFrom); err != nil {
		return storeErr(err, "commitment version")
	}
	return nil
}

const commitmentSelect = `
	SELECT c.id, c.process_id, c.status, c.version, c.merged_into, c.title, c.problem, c.description,
	       c.how_it_addresses, c.relevance, c.lead_agency, c.other_actors,
	       c.starts_on::text AS starts_on, c.ends_on::text AS ends_on,
	       c.created_at, c.updated_at, c.approved_at, c.merged_at, p.slug AS process_slug, p.title AS process_title
	FROM commitments c JOIN processes p ON p.id = c.process_id`

// findCommitment reads one commitment with everything fillCommitments adds;
// lock takes its row for the rest of the transaction.
func findCommitment(ctx context.Context, tx *Tx, id int64, lock bool) (*participation.Commitment, error) {
	q := commitmentSelect + ` WHERE c.id = $1`
	if lock {
		q += ` FOR UPDATE OF c`
	}
	var c participation.Commitment
	if err := tx.GetContext(ctx, &c, q, id); err != nil {
		return nil, storeErr(err, "commitment")
	}
	if err := fillCommitments(ctx, tx, []*participation.Commitment{&c}); err != nil {
		return nil, err
	}
	return &c, nil
}

type milestoneRow struct {
	participation.Milestone
	EvidenceLinks pq.StringArray `db:"evidence_links"`
}

const milestoneColumns = `m.id, m.commitment_id, m.origin_commitment_id, m.title, m.due::text AS due, m.responsible,
	m.status, m.note, m.evidence_links, m.updated_at`

func (r *milestoneRow) milestone(tx *Tx) participation.Milestone {
	m := r.Milestone
	m.EvidenceLinks = []string(r.EvidenceLinks)
	if m.EvidenceLinks == nil {
		m.EvidenceLinks = []string{}
	}
	m.Overdue = participation.Overdue(m.Due, m.Status, tx.now)
	return m
}

// fillCommitments loads the sources, themes, milestones and merges of
// several commitments, a query each, and works out their completion.
// Hidden ideas are left out of the sources, except for officials.
func fillCommitments(ctx context.Context, tx *Tx, list []*participation.Commitment) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	byID := make(map[int64]*participation.Commitment, len(list))
	for i, c := range list {
		ids[i] = c.ID
		byID[c.ID] = c
		c.Sources = participation.Sources{Ideas: []participation.SourceRef{}, Themes: []participation.SourceRef{}}
		c.Themes = []participation.SourceRef{}
		c.Milestones = []participation.Milestone{}
		c.MergedFrom = []int64{}
		c.Statements = []any{}
		c.SurveyResults = []any{}
	}
	official := participation.AccountFromContext(ctx).HasRole(participation.RoleOfficial)
	var sources []struct {
		CommitmentID int64  `db:"commitment_id"`
		IdeaID       *int64 `db:"idea_id"`
		ThemeID      *int64 `db:"theme_id"`
		Title        string `db:"title"`
	}
	if err := tx.SelectContext(ctx, &sources, `
		SELECT s.commitment_id, s.idea_id, s.theme_id, coalesce(i.title, t.title) AS title
		FROM commitment_sources s LEFT JOIN ideas i ON i.id = s.idea_id LEFT JOIN themes t ON t.id = s.theme_id
		WHERE s.commitment_id = ANY($1) AND (i.hidden_at IS NULL OR $2)
		ORDER BY s.commitment_id, s.theme_id NULLS LAST, s.idea_id`, pq.Array(ids), official); err != nil {
		return fmt.Errorf("find sources: %w", err)
	}
	for _, src := range sources {
		c := byID[src.CommitmentID]
		if src.IdeaID != nil {
			c.Sources.Ideas = append(c.Sources.Ideas, participation.SourceRef{ID: *src.IdeaID, Title: src.Title})
		} else if src.ThemeID != nil {
			c.Sources.Themes = append(c.Sources.Themes, participation.SourceRef{ID: *src.ThemeID, Title: src.Title})
		}
	}
	var themes []struct {
		CommitmentID int64 `db:"commitment_id"`
		participation.SourceRef
	}
	if err := tx.SelectContext(ctx, &themes, `
		SELECT DISTINCT x.commitment_id, t.id, t.title FROM (
			SELECT commitment_id, theme_id FROM commitment_sources
			WHERE commitment_id = ANY($1) AND theme_id IS NOT NULL
			UNION
			SELECT s.commitment_id, i.theme_id FROM commitment_sources s JOIN ideas i ON i.id = s.idea_id
			WHERE s.commitment_id = ANY($1) AND i.theme_id IS NOT NULL AND i.hidden_at IS NULL
		) x JOIN themes t ON t.id = x.theme_id
		ORDER BY x.commitment_id, t.id`, pq.Array(ids)); err != nil {
		return fmt.Errorf("find source themes: %w", err)
	}
	for _, t := range themes {
		byID[t.CommitmentID].Themes = append(byID[t.CommitmentID].Themes, t.SourceRef)
	}
	var milestones []milestoneRow
	if err := tx.SelectContext(ctx, &milestones, `SELECT `+milestoneColumns+` FROM milestones m
		WHERE m.commitment_id = ANY($1) ORDER BY m.commitment_id, m.position, m.id`, pq.Array(ids)); err != nil {
		return fmt.Errorf("find milestones: %w", err)
	}
	for i := range milestones {
		m := milestones[i].milestone(tx)
		byID[m.CommitmentID].Milestones = append(byID[m.CommitmentID].Milestones, m)
	}
	var merged []struct {
		ID         int64 `db:"id"`
		MergedInto int64 `db:"merged_into"`
	}
	if err := tx.SelectContext(ctx, &merged, `
		SELECT id, merged_into FROM commitments WHERE merged_into = ANY($1) ORDER BY id`, pq.Array(ids)); err != nil {
		return fmt.Errorf("find merges: %w", err)
	}
	for _, m := range merged {
		byID[m.MergedInto].MergedFrom = append(byID[m.MergedInto].MergedFrom, m.ID)
	}
	for _, c := range list {
		c.Completion = completionOf(c.Milestones)
	}
	return nil
}

func completionOf(ms []participation.Milestone) string {
	statuses := make([]string, len(ms))
	for i, m := range ms {
		statuses[i] = m.Status
	}
	return participation.Completion(statuses)
}

// FindCommitment returns one commitment with its sources, milestones and merges.
func (s *Store) FindCommitment(ctx context.Context, id int64) (*participation.Commitment, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := findCommitment(ctx, tx, id, false)
	if err != nil {
		return nil, err
	}
	return c, tx.Commit()
}

// FindCommitments lists a process's commitments, oldest first, optionally
// of one status.
func (s *Store) FindCommitments(ctx context.Context, f participation.CommitmentFilter) ([]*participation.Commitment, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var processID int64
	if err := tx.GetContext(ctx, &processID, `SELECT id FROM processes WHERE slug = $1`, f.ProcessSlug); err != nil {
		return nil, 0, storeErr(err, "process")
	}
	where := ` WHERE c.process_id = $1 AND ($2 = '' OR c.status = $2)`
	var total int
	if err := tx.GetContext(ctx, &total, `SELECT count(*) FROM commitments c`+where, processID, f.Status); err != nil {
		return nil, 0, fmt.Errorf("count commitments: %w", err)
	}
	var list []*participation.Commitment
	if err := tx.SelectContext(ctx, &list, commitmentSelect+where+` ORDER BY c.id LIMIT $3 OFFSET $4`,
		processID, f.Status, f.Limit, f.Offset); err != nil {
		return nil, 0, fmt.Errorf("find commitments: %w", err)
	}
	if err := fillCommitments(ctx, tx, list); err != nil {
		return nil, 0, err
	}
	return list, total, tx.Commit()
}

// UpdateCommitment applies a patch as a new version (officials only). A
// merged commitment is ECONFLICT: it lives on in the one it was merged into.
func (s *Store) UpdateCommitment(ctx context.Context, id int64, p participation.CommitmentPatch) (*participation.Commitment, error) {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := findCommitment(ctx, tx, id, true)
	if err != nil {
		return nil, err
	}
	if c.Status == participation.CommitmentMerged {
		return nil, participation.Errorf(participation.ECONFLICT, "A merged commitment cannot be changed; change the one it was merged into.")
	}
	before := c.Snapshot()
	text := p.Apply(c.CommitmentText)
	if err := p.Validate(&text); err != nil {
		return nil, err
	}
	if p.SourceIdeaIDs != nil || p.SourceThemeIDs != nil {
		if err := replaceSources(ctx, tx, c, p.SourceIdeaIDs, p.SourceThemeIDs); err != nil {
			return nil, err
		}
	}
	if p.Milestones != nil {
		if err := replaceMilestones(ctx, tx, c, *p.Milestones); err != nil {
			return nil, err
		}
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE commitments SET title = $2, problem = $3, description = $4, how_it_addresses = $5, relevance = $6,
		       lead_agency = $7, other_actors = $8, starts_on = $9, ends_on = $10, version = version + 1, updated_at = $11
		WHERE id = $1`,
		id, text.Title, text.Problem, text.Description, text.HowItAddresses, text.Relevance,
		text.LeadAgency, text.OtherActors, text.StartsOn, text.EndsOn, tx.now); err != nil {
		return nil, storeErr(err, "commitment")
	}
	if c, err = findCommitment(ctx, tx, id, false); err != nil {
		return nil, err
	}
	if err := insertVersion(ctx, tx, c, &before, me.ID, &p.ChangeNote, nil); err != nil {
		return nil, err
	}
	return c, tx.Commit()
}

// replaceSources makes the given ids the commitment's sources of their kind
// (nil leaves a kind as it is).
func replaceSources(ctx context.Context, tx *Tx, c *participation.Commitment, ideaIDs, themeIDs *[]int64) error {
	var ideas, themes []int64
	if ideaIDs != nil {
		ideas = *ideaIDs
	}
	if themeIDs != nil {
		themes = *themeIDs
	}
	if err := checkSources(ctx, tx, c.ProcessID, ideas, themes); err != nil {
		return err
	}
	if ideaIDs != nil {
		if _, err := tx.ExecContext(ctx, `DELETE FROM commitment_sources WHERE commitment_id = $1 AND idea_id IS NOT NULL AND NOT idea_id = ANY($2)`,
			c.ID, pq.Array(ideas)); err != nil {
			return fmt.Errorf("replace source ideas: %w", err)
		}
	}
	if themeIDs != nil {
		if _, err := tx.ExecContext(ctx, `DELETE FROM commitment_sources WHERE commitment_id = $1 AND theme_id IS NOT NULL AND NOT theme_id = ANY($2)`,
			c.ID, pq.Array(themes)); err != nil {
			return fmt.Errorf("replace source themes: %w", err)
		}
	}
	return addSources(ctx, tx, c.ID, ideas, themes)
}

// replaceMilestones makes ms the commitment's milestones: those with an id
// are changed, those without are added, and those left out are removed,
// unless they have a status history (every change is kept): that is
// ECONFLICT.
func replaceMilestones(ctx context.Context, tx *Tx, c *participation.Commitment, ms []participation.MilestoneText) error {
	existing := map[int64]bool{}
	for _, m := range c.Milestones {
		existing[m.ID] = true
	}
	keep := map[int64]bool{}
	f := participation.FieldErrors{}
	for i, m := range ms {
		if m.ID != 0 {
			if !existing[m.ID] {
				f.Add(participation.FieldMilestones+"["+strconv.Itoa(i)+"].id", participation.RuleChoice, 0)
			}
			keep[m.ID] = true
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	var gone []int64
	for _, m := range c.Milestones {
		if !keep[m.ID] {
			gone = append(gone, m.ID)
		}
	}
	if len(gone) > 0 {
		var reported int
		if err := tx.GetContext(ctx, &reported, `SELECT count(*) FROM milestone_changes WHERE milestone_id = ANY($1)`, pq.Array(gone)); err != nil {
			return fmt.Errorf("check milestone history: %w", err)
		}
		if reported > 0 {
			return participation.Errorf(participation.ECONFLICT, "A milestone with status reports cannot be removed; its history is kept.")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM milestones WHERE id = ANY($1)`, pq.Array(gone)); err != nil {
			return fmt.Errorf("remove milestones: %w", err)
		}
	}
	for i, m := range ms {
		if m.ID == 0 {
			if err := insertMilestone(ctx, tx, c.ID, i, m); err != nil {
				return err
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE milestones SET title = $2, due = $3, responsible = $4, position = $5 WHERE id = $1`,
			m.ID, m.Title, m.Due, m.Responsible, i); err != nil {
			return storeErr(err, "milestone")
		}
	}
	return nil
}

type versionRow struct {
	participation.CommitmentVersion
	ChangedFields pq.StringArray `db:"changed_fields"`
	Snapshot      []byte         `db:"snapshot"`
}

// FindCommitmentVersions lists every version of a commitment, the first first.
func (s *Store) FindCommitmentVersions(ctx context.Context, id int64, limit, offset int) ([]*participation.CommitmentVersion, int, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.GetContext(ctx, &total, `SELECT version FROM commitments WHERE id = $1`, id); err != nil {
		return nil, 0, storeErr(err, "commitment")
	}
	var rows []versionRow
	if err := tx.SelectContext(ctx, &rows, `
		SELECT v.commitment_id, v.version, v.author_id, a.name AS author_name, v.created_at, v.change_note,
		       v.changed_fields, v.merged_from, v.snapshot
		FROM commitment_versions v LEFT JOIN accounts a ON a.id = v.author_id
		WHERE v.commitment_id = $1 ORDER BY v.version LIMIT $2 OFFSET $3`, id, limit, offset); err != nil {
		return nil, 0, fmt.Errorf("find versions: %w", err)
	}
	out := make([]*participation.CommitmentVersion, len(rows))
	for i := range rows {
		v := rows[i].CommitmentVersion
		v.ChangedFields = []string(rows[i].ChangedFields)
		if v.ChangedFields == nil {
			v.ChangedFields = []string{}
		}
		if err := json.Unmarshal(rows[i].Snapshot, &v.Snapshot); err != nil {
			return nil, 0, fmt.Errorf("version snapshot: %w", err)
		}
		out[i] = &v
	}
	return out, total, tx.Commit()
}

// MergeCommitment merges commitment id into m.IntoID (officials only): the
// target gains its sources (once each) and its milestones (moved, with their
// history) and its text (appended under its title, as a new version of the
// target); this one becomes merged, pointing to the target. Nothing is
// deleted. Merging a merged one, into itself or into a merged one is
// ECONFLICT. It returns the merged commitment.
func (s *Store) MergeCommitment(ctx context.Context, id int64, m participation.Merge) (*participation.Commitment, error) {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	from, err := findCommitment(ctx, tx, id, false)
	if err != nil {
		return nil, err
	}
	if from.Status == participation.CommitmentMerged { // state before content
		return nil, participation.CheckMerge(from, from)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if *m.IntoID == id {
		return nil, participation.CheckMerge(from, from)
	}
	// Lock both in id order, so that crossing merges cannot deadlock.
	var locked []int64
	if err := tx.SelectContext(ctx, &locked, `SELECT id FROM commitments WHERE id = ANY($1) ORDER BY id FOR UPDATE`,
		pq.Array([]int64{id, *m.IntoID})); err != nil {
		return nil, fmt.Errorf("lock commitments: %w", err)
	}
	if from, err = findCommitment(ctx, tx, id, false); err != nil {
		return nil, err
	}
	into, err := findCommitment(ctx, tx, *m.IntoID, false)
	if participation.ErrorCode(err) == participation.ENOTFOUND {
		f := participation.FieldErrors{}
		f.Add("into_id", participation.RuleChoice, 0)
		return nil, &participation.Error{Code: participation.EINVALID, Message: "There is no commitment to merge into with that id.", Fields: f}
	} else if err != nil {
		return nil, err
	}
	if err := participation.CheckMerge(from, into); err != nil {
		return nil, err
	}
	if from.ProcessID != into.ProcessID {
		f := participation.FieldErrors{}
		f.Add("into_id", participation.RuleChoice, 0)
		return nil, &participation.Error{Code: participation.EINVALID, Message: "Commitments of different processes cannot be merged.", Fields: f}
	}
	before := into.Snapshot()
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO commitment_sources (commitment_id, idea_id, theme_id, merged_from)
		SELECT $2, idea_id, theme_id, $1 FROM commitment_sources WHERE commitment_id = $1 ORDER BY id
		ON CONFLICT DO NOTHING`, from.ID, into.ID); err != nil {
		return nil, fmt.Errorf("merge sources: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE milestones m SET commitment_id = $2, position = x.position FROM (
			SELECT id, (SELECT coalesce(max(position), -1) FROM milestones WHERE commitment_id = $2)
			           + row_number() OVER (ORDER BY position, id) AS position
			FROM milestones WHERE commitment_id = $1
		) x WHERE m.id = x.id`, from.ID, into.ID); err != nil {
		return nil, fmt.Errorf("move milestones: %w", err)
	}
	text := participation.MergeText(into.CommitmentText, from.CommitmentText)
	if _, err := tx.ExecContext(ctx, `
		UPDATE commitments SET problem = $2, description = $3, how_it_addresses = $4, relevance = $5,
		       other_actors = $6, starts_on = $7, ends_on = $8, version = version + 1, updated_at = $9
		WHERE id = $1`,
		into.ID, text.Problem, text.Description, text.HowItAddresses, text.Relevance,
		text.OtherActors, text.StartsOn, text.EndsOn, tx.now); err != nil {
		return nil, storeErr(err, "commitment")
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE commitments SET status = 'merged', merged_into = $2, merged_at = $3, updated_at = $3 WHERE id = $1`,
		from.ID, into.ID, tx.now); err != nil {
		return nil, storeErr(err, "commitment")
	}
	if into, err = findCommitment(ctx, tx, into.ID, false); err != nil {
		return nil, err
	}
	note := m.Note
	if note == "" {
		note = fmt.Sprintf("Merged #%d %s", from.ID, from.Title)
	}
	if err := insertVersion(ctx, tx, into, &before, me.ID, &note, &from.ID); err != nil {
		return nil, err
	}
	if from, err = findCommitment(ctx, tx, id, false); err != nil {
		return nil, err
	}
	return from, tx.Commit()
}

// ApproveCommitment approves a draft (officials only); any other status is
// ECONFLICT. The people who follow the commitment, or an idea that fed it,
// are told in the same transaction.
func (s *Store) ApproveCommitment(ctx context.Context, id int64) (*participation.Commitment, error) {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := findCommitment(ctx, tx, id, true)
	if err != nil {
		return nil, err
	}
	if c.Status != participation.CommitmentDraft {
		return nil, participation.Errorf(participation.ECONFLICT, "Only a draft can be approved; this commitment is %s.", c.Status)
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE commitments SET status = 'approved', approved_at = $2, approved_by = $3, updated_at = $2 WHERE id = $1`,
		id, tx.now, me.ID); err != nil {
		return nil, storeErr(err, "commitment")
	}
	if err := notifyFollowers(ctx, tx, participation.NotifyCommitmentApproved, c, nil, me.ID); err != nil {
		return nil, err
	}
	if c, err = findCommitment(ctx, tx, id, false); err != nil {
		return nil, err
	}
	return c, tx.Commit()
}

// notifyFollowers writes a notification, once per person, to everyone who
// follows the commitment (or one merged into it) or an idea that fed it
// directly or through its theme, except the person who made the change.
func notifyFollowers(ctx context.Context, tx *Tx, kind string, c *participation.Commitment, m *participation.Milestone, actorID int64) error {
	link := "/commitments/" + strconv.FormatInt(c.ID, 10)
	var milestoneID *int64
	var milestoneTitle, status *string
	if m != nil {
		milestoneID, milestoneTitle, status = &m.ID, &m.Title, &m.Status
		link += "#milestone-" + strconv.FormatInt(m.ID, 10)
	}
	if _, err := tx.ExecContext(ctx, `
		WITH RECURSIVE chain(id) AS (
			SELECT $1::bigint
			UNION
			SELECT c.id FROM commitments c JOIN chain ON c.merged_into = chain.id
		), fed(id) AS (
			SELECT s.idea_id FROM commitment_sources s WHERE s.commitment_id IN (SELECT id FROM chain) AND s.idea_id IS NOT NULL
			UNION
			SELECT i.id FROM commitment_sources s JOIN ideas i ON i.theme_id = s.theme_id
			WHERE s.commitment_id IN (SELECT id FROM chain)
		)
		INSERT INTO notifications (account_id, kind, commitment_id, commitment_title, milestone_id, milestone_title, status, link, created_at)
		SELECT DISTINCT f.account_id, $2::text, $1::bigint, $3::text, $4::bigint, $5::text, $6::text, $7::text, $8::timestamptz
		FROM follows f
		WHERE f.account_id <> $9 AND (
			(f.kind = 'commitment' AND f.item_id IN (SELECT id FROM chain)) OR
			(f.kind = 'idea' AND f.item_id IN (SELECT id FROM fed)))`,
		c.ID, kind, c.Title, milestoneID, milestoneTitle, status, link, tx.now, actorID); err != nil {
		return fmt.Errorf("notify followers: %w", err)
	}
	return nil
}

// UpdateMilestone sets a milestone's status, note and evidence links
// (officials only). Every change is kept with its author and time; when the
// status changes, the followers are told.
func (s *Store) UpdateMilestone(ctx context.Context, id int64, u participation.MilestoneUpdate) (*participation.Milestone, error) {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var old milestoneRow
	if err := tx.GetContext(ctx, &old, `SELECT `+milestoneColumns+` FROM milestones m WHERE m.id = $1 FOR UPDATE`, id); err != nil {
		return nil, storeErr(err, "milestone")
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE milestones SET status = $2, note = $3, evidence_links = $4, updated_at = $5 WHERE id = $1`,
		id, u.Status, u.Note, pq.Array(u.EvidenceLinks), tx.now); err != nil {
		return nil, storeErr(err, "milestone")
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO milestone_changes (milestone_id, status, note, evidence_links, author_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		id, u.Status, u.Note, pq.Array(u.EvidenceLinks), me.ID, tx.now); err != nil {
		return nil, storeErr(err, "milestone change")
	}
	var row milestoneRow
	if err := tx.GetContext(ctx, &row, `SELECT `+milestoneColumns+` FROM milestones m WHERE m.id = $1`, id); err != nil {
		return nil, storeErr(err, "milestone")
	}
	m := row.milestone(tx)
	if old.Status != u.Status {
		c, err := findCommitment(ctx, tx, m.CommitmentID, false)
		if err != nil {
			return nil, err
		}
		if err := notifyFollowers(ctx, tx, participation.NotifyMilestoneStatus, c, &m, me.ID); err != nil {
			return nil, err
		}
	}
	return &m, tx.Commit()
}

// FindMilestone returns one milestone.
func (s *Store) FindMilestone(ctx context.Context, id int64) (*participation.Milestone, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var row milestoneRow
	if err := tx.GetContext(ctx, &row, `SELECT `+milestoneColumns+` FROM milestones m WHERE m.id = $1`, id); err != nil {
		return nil, storeErr(err, "milestone")
	}
	m := row.milestone(tx)
	return &m, tx.Commit()
}

type changeRow struct {
	participation.MilestoneChange
	EvidenceLinks pq.StringArray `db:"evidence_links"`
}

const changeSelect = `
	SELECT mc.id, mc.milestone_id, mc.status, mc.note, mc.evidence_links, mc.author_id, a.name AS author_name, mc.created_at
	FROM milestone_changes mc LEFT JOIN accounts a ON a.id = mc.author_id`

func changes(rows []changeRow) []*participation.MilestoneChange {
	out := make([]*participation.MilestoneChange, len(rows))
	for i := range rows {
		c := rows[i].MilestoneChange
		c.EvidenceLinks = []string(rows[i].EvidenceLinks)
		if c.EvidenceLinks == nil {
			c.EvidenceLinks = []string{}
		}
		out[i] = &c
	}
	return out
}

// FindMilestoneChanges lists every status report of a milestone, newest first.
func (s *Store) FindMilestoneChanges(ctx context.Context, milestoneID int64) ([]*participation.MilestoneChange, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var exists bool
	if err := tx.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM milestones WHERE id = $1)`, milestoneID); err != nil {
		return nil, fmt.Errorf("find milestone: %w", err)
	} else if !exists {
		return nil, participation.Errorf(participation.ENOTFOUND, "milestone not found")
	}
	var rows []changeRow
	if err := tx.SelectContext(ctx, &rows, changeSelect+` WHERE mc.milestone_id = $1 ORDER BY mc.id DESC`, milestoneID); err != nil {
		return nil, fmt.Errorf("find milestone changes: %w", err)
	}
	return changes(rows), tx.Commit()
}

// FindCommitmentChanges lists the status reports of every milestone that a
// commitment has now (moved ones with their history), newest first.
func (s *Store) FindCommitmentChanges(ctx context.Context, commitmentID int64) ([]*participation.MilestoneChange, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var rows []changeRow
	if err := tx.SelectContext(ctx, &rows, changeSelect+`
		JOIN milestones m ON m.id = mc.milestone_id WHERE m.commitment_id = $1 ORDER BY mc.id DESC`, commitmentID); err != nil {
		return nil, fmt.Errorf("find milestone changes: %w", err)
	}
	return changes(rows), tx.Commit()
}

// FindReport returns the implementation report of a process: its approved
// commitments with their milestones, and the milestones counted by status.
func (s *Store) FindReport(ctx context.Context, slug string) (*participation.ImplementationReport, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var processID int64
	if err := tx.GetContext(ctx, &processID, `SELECT id FROM processes WHERE slug = $1`, slug); err != nil {
		return nil, storeErr(err, "process")
	}
	var list []*participation.Commitment
	if err := tx.SelectContext(ctx, &list, commitmentSelect+`
		WHERE c.process_id = $1 AND c.status = 'approved' ORDER BY c.id`, processID); err != nil {
		return nil, fmt.Errorf("find commitments: %w", err)
	}
	if err := fillCommitments(ctx, tx, list); err != nil {
		return nil, err
	}
	return participation.NewImplementationReport(processID, list, tx.now), tx.Commit()
}

// themePollsQuery gives, for the themes $1, their results in every workshop
// poll that has them as an option and has opened: votes counted from the
// ballots (a ballot counts for every option it names) and the rank among
// the poll's options (rank() makes ties share: 1, 2, 2, 4).
const themePollsQuery = `
	WITH counted AS (
		SELECT o.id AS option_id, o.poll_id, o.theme_id,
		       (SELECT count(*) FROM ballots b WHERE b.poll_id = o.poll_id AND o.id = ANY(b.option_ids)) AS votes
		FROM poll_options o JOIN polls p ON p.id = o.poll_id
		WHERE p.status <> 'draft' AND o.poll_id IN (SELECT poll_id FROM poll_options WHERE theme_id = ANY($1))
	), ranked AS (
		SELECT counted.*, rank() OVER (PARTITION BY poll_id ORDER BY votes DESC) AS rank,
		       count(*) OVER (PARTITION BY poll_id) AS options
		FROM counted
	)
	SELECT r.poll_id, p.question, r.option_id, r.votes, r.rank, r.options, p.status,
	       w.id AS workshop_id, w.title AS workshop_title, r.theme_id
	FROM ranked r JOIN polls p ON p.id = r.poll_id JOIN workshops w ON w.id = p.workshop_id
	WHERE r.theme_id = ANY($1)
	ORDER BY w.starts_at, w.id, p.position, p.id`

type themePoll struct {
	participation.TracePoll
	ThemeID int64 `db:"theme_id"`
}

func findThemePolls(ctx context.Context, tx *Tx, themeIDs []int64) ([]themePoll, error) {
	var rows []themePoll
	if err := tx.SelectContext(ctx, &rows, themePollsQuery, pq.Array(themeIDs)); err != nil {
		return nil, fmt.Errorf("count theme votes: %w", err)
	}
	return rows, nil
}

// FindTrace returns what became of an idea: its theme, the theme's rank in
// each workshop poll, the commitments it fed directly or through its theme
// and, for merged ones, the commitments they ended in, and the milestones
// of the commitments it ended in. A hidden idea is ENOTFOUND except for
// officials.
func (s *Store) FindTrace(ctx context.Context, ideaID int64) (*participation.Trace, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	idea, err := findVisibleIdea(ctx, tx, ideaID, "")
	if err != nil {
		return nil, err
	}
	tr := &participation.Trace{Idea: idea, Polls: []participation.TracePoll{},
		Commitments: []participation.TraceCommitment{}, Milestones: []participation.Milestone{}}
	if idea.ThemeID != nil {
		var theme participation.SourceRef
		if err := tx.GetContext(ctx, &theme, `SELECT id, title FROM themes WHERE id = $1`, *idea.ThemeID); err != nil {
			return nil, storeErr(err, "theme")
		}
		tr.Theme = &theme
		polls, err := findThemePolls(ctx, tx, []int64{theme.ID})
		if err != nil {
			return nil, err
		}
		for _, p := range polls {
			tr.Polls = append(tr.Polls, p.TracePoll)
		}
	}

	// The commitments it fed: its own, then through its theme.
	var fed []struct {
		participation.TraceCommitment
		Direct bool `db:"direct"`
	}
	if err := tx.SelectContext(ctx, &fed, `
		SELECT c.id, c.title, c.status, c.merged_into, bool_or(s.idea_id IS NOT NULL) AS direct
		FROM commitment_sources s JOIN commitments c ON c.id = s.commitment_id
		WHERE s.idea_id = $1 OR s.theme_id = $2::bigint
		GROUP BY c.id ORDER BY c.id`, idea.ID, idea.ThemeID); err != nil {
		return nil, fmt.Errorf("find fed commitments: %w", err)
	}
	known := map[int64]participation.TraceCommitment{}
	for _, f := range fed {
		known[f.ID] = f.TraceCommitment
	}
	// Follow the merges to their ends, a step per query (merges cannot form
	// a cycle: nothing is merged into a merged commitment).
	for range 100 {
		var next []int64
		for _, c := range known {
			if c.MergedInto != nil {
				if _, ok := known[*c.MergedInto]; !ok && !slices.Contains(next, *c.MergedInto) {
					next = append(next, *c.MergedInto)
				}
			}
		}
		if len(next) == 0 {
			break
		}
		var more []participation.TraceCommitment
		if err := tx.SelectContext(ctx, &more, `SELECT id, title, status, merged_into FROM commitments WHERE id = ANY($1)`, pq.Array(next)); err != nil {
			return nil, fmt.Errorf("follow merges: %w", err)
		}
		for _, c := range more {
			known[c.ID] = c
		}
	}
	end := func(id int64) int64 {
		for range 100 {
			c := known[id]
			if c.MergedInto == nil {
				break
			}
			id = *c.MergedInto
		}
		return id
	}
	index := map[int64]int{}
	add := func(c participation.TraceCommitment, via string) {
		if i, ok := index[c.ID]; ok {
			if via == participation.ViaIdea {
				tr.Commitments[i].Via = via
			}
			return
		}
		c.Via = via
		index[c.ID] = len(tr.Commitments)
		tr.Commitments = append(tr.Commitments, c)
	}
	for _, f := range fed {
		via := participation.ViaTheme
		if f.Direct {
			via = participation.ViaIdea
		}
		add(f.TraceCommitment, via)
	}
	var ends []int64
	for _, f := range fed {
		e := end(f.ID)
		if !slices.Contains(ends, e) {
			ends = append(ends, e)
		}
		if e != f.ID {
			tr.Commitments[index[f.ID]].EndedIn = &e
			add(known[e], tr.Commitments[index[f.ID]].Via)
		}
	}
	if len(ends) > 0 {
		var rows []milestoneRow
		if err := tx.SelectContext(ctx, &rows, `SELECT `+milestoneColumns+` FROM milestones m
			WHERE m.commitment_id = ANY($1) ORDER BY m.commitment_id, m.position, m.id`, pq.Array(ends)); err != nil {
			return nil, fmt.Errorf("find milestones: %w", err)
		}
		byCommitment := map[int64][]participation.Milestone{}
		for i := range rows {
			m := rows[i].milestone(tx)
			tr.Milestones = append(tr.Milestones, m)
			byCommitment[m.CommitmentID] = append(byCommitment[m.CommitmentID], m)
		}
		for i, c := range tr.Commitments {
			if c.MergedInto == nil {
				tr.Commitments[i].Completion = completionOf(byCommitment[c.ID])
			}
		}
	}
	return tr, tx.Commit()
}

// FindDraftingSources ranks a process's themes by the workshop votes (their
// best rank in any poll, then their votes in all), each with its visible
// ideas by supports, and lists the ideas in no theme by supports.
func (s *Store) FindDraftingSources(ctx context.Context, slug string) (*participation.DraftingSources, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var processID int64
	if err := tx.GetContext(ctx, &processID, `SELECT id FROM processes WHERE slug = $1`, slug); err != nil {
		return nil, storeErr(err, "process")
	}
	var themes []*participation.RankedTheme
	if err := tx.SelectContext(ctx, &themes, `
		SELECT t.id, t.title, t.round_id, r.title AS round_title
		FROM themes t JOIN idea_rounds r ON r.id = t.round_id
		WHERE r.process_id = $1 ORDER BY t.id`, processID); err != nil {
		return nil, fmt.Errorf("find themes: %w", err)
	}
	byID := map[int64]*participation.RankedTheme{}
	ids := make([]int64, len(themes))
	for i, t := range themes {
		ids[i] = t.ID
		byID[t.ID] = t
		t.Polls = []participation.TracePoll{}
		t.Ideas = []participation.RankedIdea{}
	}
	polls, err := findThemePolls(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	for _, p := range polls {
		t := byID[p.ThemeID]
		t.Polls = append(t.Polls, p.TracePoll)
		t.Votes += p.Votes
		if t.BestRank == nil || p.Rank < *t.BestRank {
			rank := p.Rank
			t.BestRank = &rank
		}
	}
	sort.SliceStable(themes, func(i, j int) bool {
		a, b := themes[i], themes[j]
		switch {
		case (a.BestRank == nil) != (b.BestRank == nil):
			return a.BestRank != nil
		case a.BestRank != nil && *a.BestRank != *b.BestRank:
			return *a.BestRank < *b.BestRank
		}
		return a.Votes > b.Votes
	})
	var ideas []participation.RankedIdea
	if err := tx.SelectContext(ctx, &ideas, `
		SELECT i.id, i.title, i.language, i.supports, i.theme_id, i.round_id
		FROM ideas i JOIN idea_rounds r ON r.id = i.round_id
		WHERE r.process_id = $1 AND i.hidden_at IS NULL
		ORDER BY i.supports DESC, i.id`, processID); err != nil {
		return nil, fmt.Errorf("find ideas: %w", err)
	}
	out := &participation.DraftingSources{Themes: themes, Unthemed: []participation.RankedIdea{}}
	if out.Themes == nil {
		out.Themes = []*participation.RankedTheme{}
	}
	for _, i := range ideas {
		if t, ok := byID[derefID(i.ThemeID)]; ok {
			t.Ideas = append(t.Ideas, i)
		} else {
			out.Unthemed = append(out.Unthemed, i)
		}
	}
	return out, tx.Commit()
}

func derefID(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}

// followable checks that the item exists and that the caller may see it.
func followable(ctx context.Context, tx *Tx, kind string, id int64) error {
	switch kind {
	case participation.FollowIdea:
		_, err := findVisibleIdea(ctx, tx, id, "")
		return err
	case participation.FollowCommitment:
		var exists bool
		if err := tx.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM commitments WHERE id = $1)`, id); err != nil {
			return fmt.Errorf("find commitment: %w", err)
		} else if !exists {
			return participation.Errorf(participation.ENOTFOUND, "commitment not found")
		}
		return nil
	}
	return participation.Errorf(participation.ENOTFOUND, "Only ideas and commitments can be followed.")
}

// Follow makes the signed-in account follow an idea or a commitment.
func (s *Store) Follow(ctx context.Context, kind string, id int64) error {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := followable(ctx, tx, kind, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO follows (account_id, kind, item_id, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING`, me.ID, kind, id, tx.now); err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	return tx.Commit()
}

// Unfollow ends following an item.
func (s *Store) Unfollow(ctx context.Context, kind string, id int64) error {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := followable(ctx, tx, kind, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM follows WHERE account_id = $1 AND kind = $2 AND item_id = $3`, me.ID, kind, id); err != nil {
		return fmt.Errorf("unfollow: %w", err)
	}
	return tx.Commit()
}

// IsFollowing reports whether the signed-in account follows the item.
func (s *Store) IsFollowing(ctx context.Context, kind string, id int64) (bool, error) {
	me := participation.AccountFromContext(ctx)
	if me == nil {
		return false, nil
	}
	var following bool
	if err := s.db.GetContext(ctx, &following, `
		SELECT EXISTS (SELECT 1 FROM follows WHERE account_id = $1 AND kind = $2 AND item_id = $3)`, me.ID, kind, id); err != nil {
		return false, fmt.Errorf("find follow: %w", err)
	}
	return following, nil
}

const notificationColumns = `id, kind, commitment_id, commitment_title, milestone_id, milestone_title, status, link, created_at, read_at`

// FindNotifications lists the signed-in account's notifications, newest first.
func (s *Store) FindNotifications(ctx context.Context, f participation.NotificationFilter) ([]*participation.Notification, int, error) {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return nil, 0, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	where := ` WHERE account_id = $1 AND (NOT $2 OR read_at IS NULL)`
	var total int
	if err := tx.GetContext(ctx, &total, `SELECT count(*) FROM notifications`+where, me.ID, f.UnreadOnly); err != nil {
		return nil, 0, fmt.Errorf("count notifications: %w", err)
	}
	list := []*participation.Notification{}
	if err := tx.SelectContext(ctx, &list, `SELECT `+notificationColumns+` FROM notifications`+where+`
		ORDER BY id DESC LIMIT $3 OFFSET $4`, me.ID, f.UnreadOnly, f.Limit, f.Offset); err != nil {
		return nil, 0, fmt.Errorf("find notifications: %w", err)
	}
	return list, total, tx.Commit()
}

// MarkNotificationsRead marks the signed-in account's notifications read:
// those of ids, or all when ids is empty. It returns how many stay unread.
// Ids that are not the account's notifications are passed over; an id
// below 1 is no id at all (EINVALID).
func (s *Store) MarkNotificationsRead(ctx context.Context, ids []int64) (int, error) {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return 0, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if ids == nil {
		ids = []int64{}
	}
	for _, id := range ids {
		if id < 1 {
			f := participation.FieldErrors{}
			f.Add("ids", participation.RuleFormat, 0)
			return 0, f.Err()
		}
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE notifications SET read_at = $2
		WHERE account_id = $1 AND read_at IS NULL AND (cardinality($3::bigint[]) = 0 OR id = ANY($3))`,
		me.ID, tx.now, pq.Array(ids)); err != nil {
		return 0, fmt.Errorf("mark notifications read: %w", err)
	}
	var unread int
	if err := tx.GetContext(ctx, &unread, `SELECT count(*) FROM notifications WHERE account_id = $1 AND read_at IS NULL`, me.ID); err != nil {
		return 0, fmt.Errorf("count notifications: %w", err)
	}
	return unread, tx.Commit()
}

// CountUnreadNotifications counts the signed-in account's unread
// notifications, for the navigation of every page: one indexed count.
func (s *Store) CountUnreadNotifications(ctx context.Context) (int, error) {
	me := participation.AccountFromContext(ctx)
	if me == nil {
		return 0, nil
	}
	var n int
	if err := s.db.GetContext(ctx, &n, `SELECT count(*) FROM notifications WHERE account_id = $1 AND read_at IS NULL`, me.ID); err != nil {
		return 0, fmt.Errorf("count notifications: %w", err)
	}
	return n, nil
}
