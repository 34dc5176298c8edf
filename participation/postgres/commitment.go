package postgres

import (
	"context"
	"encoding/json"
	"fmt"

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
	if _, err := requireProcessOfficial(ctx, tx, participation.RefToProcess(slug)); err != nil {
		return nil, err
	}
	var processID int64
	if err := tx.GetContext(ctx, &processID, `SELECT id FROM processes WHERE slug = $1`, slug); err != nil {
		return nil, storeErr(err, "process")
	}
	c, err := insertCommitment(ctx, tx, processID, me.ID, n)
	if err != nil {
		return nil, err
	}
	return c, tx.Commit()
}

// insertCommitment validates and adds a draft commitment to a process in
// tx, with its sources, milestones and first version, by account me.
func insertCommitment(ctx context.Context, tx *Tx, processID, me int64, n participation.NewCommitment) (*participation.Commitment, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	if err := checkSources(ctx, tx, processID, n.SourceIdeaIDs, n.SourceThemeIDs); err != nil {
		return nil, err
	}
	var id int64
	if err := tx.GetContext(ctx, &id, `
		INSERT INTO commitments (process_id, title, problem, description, how_it_addresses, relevance,
		                         lead_agency, other_actors, starts_on, ends_on, language, translations, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id`,
		processID, n.Title, n.Problem, n.Description, n.HowItAddresses, n.Relevance,
		n.LeadAgency, n.OtherActors, n.StartsOn, n.EndsOn, n.CommitmentText.Language, n.CommitmentText.Translations, me, tx.now); err != nil {
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
	if err := insertVersion(ctx, tx, c, nil, me, nil, nil); err != nil {
		return nil, err
	}
	return c, nil
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
	       c.starts_on::text AS starts_on, c.ends_on::text AS ends_on, c.language, c.translations,
	       c.created_at, c.updated_at, c.approved_at, c.merged_at, p.slug AS process_slug, p.title AS process_title,
	       p.language AS "process.language", p.translations AS "process.translations"
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

// fillCommitments loads the sources, themes, milestones and merges of
// several commitments, a query each, and works out their completion.
// Hidden ideas are left out of the sources, unless the caller may see them.
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
		c.Statements = []participation.CommitmentStatement{}
		c.SurveyResults = []participation.CommitmentSurveyResult{}
	}
	seeHidden := participation.MaySeeHidden(participation.AccountFromContext(ctx))
	var sources []struct {
		CommitmentID int64  `db:"commitment_id"`
		IdeaID       *int64 `db:"idea_id"`
		ThemeID      *int64 `db:"theme_id"`
		participation.SourceRef
	}
	// An idea is in its author's language, untranslated; a theme as its official wrote it.
	if err := tx.SelectContext(ctx, &sources, `
		SELECT s.commitment_id, s.idea_id, s.theme_id, coalesce(i.title, t.title) AS title,
		       coalesce(i.language, t.language) AS language, coalesce(t.translations, '{}') AS translations
		FROM commitment_sources s LEFT JOIN ideas i ON i.id = s.idea_id LEFT JOIN themes t ON t.id = s.theme_id
		WHERE s.commitment_id = ANY($1) AND (i.hidden_at IS NULL OR $2)
		ORDER BY s.commitment_id, s.theme_id NULLS LAST, s.idea_id`, pq.Array(ids), seeHidden); err != nil {
		return fmt.Errorf("find sources: %w", err)
	}
	for _, src := range sources {
		c := byID[src.CommitmentID]
		ref := src.SourceRef
		if src.IdeaID != nil {
			ref.ID = *src.IdeaID
			c.Sources.Ideas = append(c.Sources.Ideas, ref)
		} else if src.ThemeID != nil {
			ref.ID = *src.ThemeID
			c.Sources.Themes = append(c.Sources.Themes, ref)
		}
	}
	var themes []struct {
		CommitmentID int64 `db:"commitment_id"`
		participation.SourceRef
	}
	if err := tx.SelectContext(ctx, &themes, `
		SELECT DISTINCT ON (x.commitment_id, t.id) x.commitment_id, t.id, t.title, t.language, t.translations FROM (
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
	statements, err := commitmentStatements(ctx, tx, ids)
	if err != nil {
		return err
	}
	for _, c := range list {
		c.Completion = participation.CompletionOf(c.Milestones)
		if st, ok := statements[c.ID]; ok {
			c.Statements = st
		}
	}
	return fillCommitmentSurveyResults(ctx, tx, byID, ids)
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
	if _, err := requireProcessOfficial(ctx, tx, participation.RefTo(participation.RefCommitment, id)); err != nil {
		return nil, err
	}
	c, err := findCommitment(ctx, tx, id, true)
	if err != nil {
		return nil, err
	}
	if err := c.CheckEditable(); err != nil {
		return nil, err
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
		       lead_agency = $7, other_actors = $8, starts_on = $9, ends_on = $10, language = $11, translations = $12,
		       version = version + 1, updated_at = $13
		WHERE id = $1`,
		id, text.Title, text.Problem, text.Description, text.HowItAddresses, text.Relevance,
		text.LeadAgency, text.OtherActors, text.StartsOn, text.EndsOn, text.Language, text.Translations, tx.now); err != nil {
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
		// Versions from before languages were recorded are Finnish, and a
		// milestone is in its commitment's language.
		v.Snapshot.Language = v.Snapshot.OwnLanguage()
		for j := range v.Snapshot.Milestones {
			if m := &v.Snapshot.Milestones[j]; m.Language == nil {
				m.Language = &v.Snapshot.Language
			}
		}
		out[i] = &v
	}
	return out, total, tx.Commit()
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
	if _, err := requireProcessOfficial(ctx, tx, participation.RefTo(participation.RefCommitment, id)); err != nil {
		return nil, err
	}
	c, err := findCommitment(ctx, tx, id, true)
	if err != nil {
		return nil, err
	}
	if err := c.CheckApprovable(); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE commitments SET status = 'approved', approved_at = $2, approved_by = $3, updated_at = $2 WHERE id = $1`,
		id, tx.now, me.ID); err != nil {
		return nil, storeErr(err, "commitment")
	}
	if err := notifyFollowers(ctx, tx, participation.MessageCommitmentApproved, c, nil, me.ID); err != nil {
		return nil, err
	}
	if c, err = findCommitment(ctx, tx, id, false); err != nil {
		return nil, err
	}
	return c, tx.Commit()
}
