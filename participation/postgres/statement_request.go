package postgres

import (
	"context"
	"fmt"
	"slices"

	"github.com/lib/pq"

	"osallistu/participation"
)

// CreateStatementRequest writes a draft statement request in a process
// (officials). A question's commitment is linked to the request too.
//
// Translations are written as $n::text::jsonb here and below: their Value
// is JSON text, which binary parameters would hand to jsonb as its binary form.
func (s *Store) CreateStatementRequest(ctx context.Context, slug string, n participation.NewStatementRequest) (*participation.StatementRequest, error) {
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
	tr, err := n.Validate(tx.now)
	if err != nil {
		return nil, err
	}
	r := &participation.StatementRequest{ProcessID: processID, Title: n.Title, Background: n.Background,
		ContactPerson: n.ContactPerson, Deadline: *n.Deadline, Translatable: tr,
		CommitmentIDs: n.CommitmentIDs, InvitedOrganisationIDs: n.InvitedOrganisationIDs, InvitedEmails: n.InvitedEmails}
	for i, q := range n.Questions {
		r.Questions = append(r.Questions, participation.StatementQuestion{Prompt: q.Prompt, CommitmentID: q.CommitmentID, Position: i + 1,
			Translatable: participation.Translatable{Language: tr.Language, Translations: q.Translations}})
	}
	if err := checkRequestRefs(ctx, tx, r); err != nil {
		return nil, err
	}
	if err := tx.GetContext(ctx, &r.ID, `
		INSERT INTO statement_requests (process_id, title, background, contact_person, deadline, language, translations, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9, $9) RETURNING id`,
		processID, r.Title, r.Background, r.ContactPerson, r.Deadline, r.Language, r.Translations, me.ID, tx.now); err != nil {
		return nil, storeErr(err, "statement request")
	}
	if err := saveQuestions(ctx, tx, r, nil); err != nil {
		return nil, err
	}
	if err := saveDistribution(ctx, tx, r); err != nil {
		return nil, err
	}
	out, err := findStatementRequest(ctx, tx, r.ID, false)
	if err != nil {
		return nil, err
	}
	return out, tx.Commit()
}

// checkRequestRefs makes sure that the request's commitments and its
// questions' belong to its process and that the invited organisations
// exist: anything else is EINVALID on its field. The questions'
// commitments join the linked ones.
func checkRequestRefs(ctx context.Context, tx *Tx, r *participation.StatementRequest) error {
	for _, q := range r.Questions {
		if q.CommitmentID != nil && !slices.Contains(r.CommitmentIDs, *q.CommitmentID) {
			r.CommitmentIDs = append(r.CommitmentIDs, *q.CommitmentID)
		}
	}
	f := participation.FieldErrors{}
	var n int
	if len(r.CommitmentIDs) > 0 {
		if err := tx.GetContext(ctx, &n, `SELECT count(*) FROM commitments WHERE id = ANY($1) AND process_id = $2`,
			pq.Array(r.CommitmentIDs), r.ProcessID); err != nil {
			return fmt.Errorf("check commitments: %w", err)
		}
		if n != len(r.CommitmentIDs) {
			f.Add("commitment_ids", participation.RuleChoice, 0)
		}
	}
	if len(r.InvitedOrganisationIDs) > 0 {
		if err := tx.GetContext(ctx, &n, `SELECT count(*) FROM organisations WHERE id = ANY($1)`,
			pq.Array(r.InvitedOrganisationIDs)); err != nil {
			return fmt.Errorf("check organisations: %w", err)
		}
		if n != len(r.InvitedOrganisationIDs) {
			f.Add("invited_organisation_ids", participation.RuleChoice, 0)
		}
	}
	if err := f.Err(); err != nil {
		return &participation.Error{Code: participation.EINVALID,
			Message: "Commitments must be the process's own, and invited organisations registered ones.", Fields: f}
	}
	return nil
}

// saveQuestions writes the request's questions: those with an id are
// changed, those without are added, and the old ones left out are removed
// (ECONFLICT when a statement has answered one: the answers would go with it).
func saveQuestions(ctx context.Context, tx *Tx, r *participation.StatementRequest, old []participation.StatementQuestion) error {
	var removed []int64
	for _, q := range old {
		if r.Question(q.ID) == nil {
			removed = append(removed, q.ID)
		}
	}
	if len(removed) > 0 {
		var answered bool
		if err := tx.GetContext(ctx, &answered, `SELECT EXISTS (SELECT 1 FROM statement_answers WHERE question_id = ANY($1))`,
			pq.Array(removed)); err != nil {
			return fmt.Errorf("check answers: %w", err)
		}
		if answered {
			return participation.Errorf(participation.ECONFLICT, "A question that statements have answered cannot be removed.")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM statement_questions WHERE id = ANY($1)`, pq.Array(removed)); err != nil {
			return fmt.Errorf("remove questions: %w", err)
		}
	}
	for i := range r.Questions {
		q := &r.Questions[i]
		if q.ID != 0 {
			if _, err := tx.ExecContext(ctx, `
				UPDATE statement_questions SET position = $2, prompt = $3, commitment_id = $4, language = $5, translations = $6::text::jsonb
				WHERE id = $1`, q.ID, q.Position, q.Prompt, q.CommitmentID, q.Language, q.Translations); err != nil {
				return storeErr(err, "question")
			}
			continue
		}
		if err := tx.GetContext(ctx, &q.ID, `
			INSERT INTO statement_questions (request_id, position, prompt, commitment_id, language, translations)
			VALUES ($1, $2, $3, $4, $5, $6::text::jsonb) RETURNING id`,
			r.ID, q.Position, q.Prompt, q.CommitmentID, q.Language, q.Translations); err != nil {
			return storeErr(err, "question")
		}
	}
	return nil
}

// saveDistribution replaces the request's linked commitments, invited
// organisations and invited addresses.
func saveDistribution(ctx context.Context, tx *Tx, r *participation.StatementRequest) error {
	if _, err := tx.ExecContext(ctx, `
		WITH c AS (DELETE FROM statement_request_commitments WHERE request_id = $1),
		     o AS (DELETE FROM statement_request_organisations WHERE request_id = $1)
		DELETE FROM statement_request_emails WHERE request_id = $1`, r.ID); err != nil {
		return fmt.Errorf("clear distribution: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		WITH c AS (INSERT INTO statement_request_commitments (request_id, commitment_id) SELECT $1, unnest($2::bigint[])),
		     o AS (INSERT INTO statement_request_organisations (request_id, organisation_id) SELECT $1, unnest($3::bigint[]))
		INSERT INTO statement_request_emails (request_id, email) SELECT $1, unnest($4::text[])`,
		r.ID, pq.Array(r.CommitmentIDs), pq.Array(r.InvitedOrganisationIDs), pq.Array(r.InvitedEmails)); err != nil {
		return storeErr(err, "distribution list")
	}
	return nil
}

// statementRequestSelect reads statement requests r with their process.
const statementRequestSelect = `
	SELECT r.id, r.process_id, r.title, r.background, r.contact_person, r.deadline, r.published_at, r.language,
	       r.translations, r.created_at, r.updated_at, r.reminded_at, p.slug AS process_slug, p.title AS process_title
	FROM statement_requests r JOIN processes p ON p.id = r.process_id`

// findStatementRequest returns a request with everything in it; a draft
// is ENOTFOUND but for officials. lock takes it FOR UPDATE.
func findStatementRequest(ctx context.Context, tx *Tx, id int64, lock bool) (*participation.StatementRequest, error) {
	var r participation.StatementRequest
	q := statementRequestSelect + ` WHERE r.id = $1`
	if lock {
		q += ` FOR UPDATE OF r`
	}
	if err := tx.GetContext(ctx, &r, q, id); err != nil {
		return nil, storeErr(err, "statement request")
	}
	viewer := participation.AccountFromContext(ctx)
	if r.PublishedAt == nil && !participation.MaySeeDraftRequests(viewer) {
		return nil, participation.Errorf(participation.ENOTFOUND, "statement request not found")
	}
	if err := fillStatementRequests(ctx, tx, []*participation.StatementRequest{&r}); err != nil {
		return nil, err
	}
	r.ShowTo(viewer)
	return &r, nil
}

// fillStatementRequests loads the questions, linked commitments,
// distribution lists, attachments and counts of several requests, a query
// each, and works out their status.
func fillStatementRequests(ctx context.Context, tx *Tx, list []*participation.StatementRequest) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	byID := make(map[int64]*participation.StatementRequest, len(list))
	for i, r := range list {
		ids[i] = r.ID
		byID[r.ID] = r
		r.Status = r.StatusAt(tx.now)
		r.Questions, r.CommitmentIDs, r.Commitments = []participation.StatementQuestion{}, []int64{}, []participation.SourceRef{}
		r.InvitedOrganisationIDs, r.InvitedOrganisations = []int64{}, []participation.OrganisationRef{}
		r.InvitedEmails, r.Attachments = []string{}, []participation.Attachment{}
	}
	var questions []participation.StatementQuestion
	if err := tx.SelectContext(ctx, &questions, `
		SELECT id, request_id, position, prompt, commitment_id, language, translations, response
		FROM statement_questions WHERE request_id = ANY($1) ORDER BY request_id, position, id`, pq.Array(ids)); err != nil {
		return fmt.Errorf("find questions: %w", err)
	}
	for _, q := range questions {
		byID[q.RequestID].Questions = append(byID[q.RequestID].Questions, q)
	}
	var commitments []struct {
		RequestID int64 `db:"request_id"`
		participation.SourceRef
	}
	if err := tx.SelectContext(ctx, &commitments, `
		SELECT l.request_id, c.id, c.title FROM statement_request_commitments l JOIN commitments c ON c.id = l.commitment_id
		WHERE l.request_id = ANY($1) ORDER BY l.request_id, c.id`, pq.Array(ids)); err != nil {
		return fmt.Errorf("find linked commitments: %w", err)
	}
	for _, c := range commitments {
		r := byID[c.RequestID]
		r.CommitmentIDs = append(r.CommitmentIDs, c.ID)
		r.Commitments = append(r.Commitments, c.SourceRef)
	}
	var invited []struct {
		RequestID int64 `db:"request_id"`
		participation.OrganisationRef
	}
	if err := tx.SelectContext(ctx, &invited, `
		SELECT l.request_id, o.id, o.name, o.kind FROM statement_request_organisations l JOIN organisations o ON o.id = l.organisation_id
		WHERE l.request_id = ANY($1) ORDER BY l.request_id, lower(o.name), o.id`, pq.Array(ids)); err != nil {
		return fmt.Errorf("find invited organisations: %w", err)
	}
	for _, o := range invited {
		r := byID[o.RequestID]
		r.InvitedOrganisationIDs = append(r.InvitedOrganisationIDs, o.ID)
		r.InvitedOrganisations = append(r.InvitedOrganisations, o.OrganisationRef)
	}
	var emails []struct {
		RequestID int64  `db:"request_id"`
		Email     string `db:"email"`
	}
	if err := tx.SelectContext(ctx, &emails, `
		SELECT request_id, email FROM statement_request_emails WHERE request_id = ANY($1) ORDER BY request_id, email`, pq.Array(ids)); err != nil {
		return fmt.Errorf("find invited addresses: %w", err)
	}
	for _, e := range emails {
		byID[e.RequestID].InvitedEmails = append(byID[e.RequestID].InvitedEmails, e.Email)
	}
	var attachments []participation.Attachment
	if err := tx.SelectContext(ctx, &attachments, `
		SELECT id, request_id, filename, size, content_type, created_at FROM attachments
		WHERE request_id = ANY($1) ORDER BY request_id, id`, pq.Array(ids)); err != nil {
		return fmt.Errorf("find attachments: %w", err)
	}
	for _, a := range attachments {
		byID[a.RequestID].Attachments = append(byID[a.RequestID].Attachments, a)
	}
	var counts []struct {
		RequestID int64 `db:"request_id"`
		participation.StatementCounts
	}
	if err := tx.SelectContext(ctx, &counts, `
		SELECT r.id AS request_id,
		       (SELECT count(*) FROM statement_request_organisations l WHERE l.request_id = r.id) AS invited,
		       (SELECT count(*) FROM statement_request_organisations l WHERE l.request_id = r.id AND EXISTS (
		            SELECT 1 FROM statements s WHERE s.request_id = r.id AND s.organisation_id = l.organisation_id
		            AND s.submitted_at IS NOT NULL)) AS invited_responded,
		       (SELECT count(*) FROM statements s WHERE s.request_id = r.id AND s.submitted_at IS NOT NULL) AS statements
		FROM unnest($1::bigint[]) AS r(id)`, pq.Array(ids)); err != nil {
		return fmt.Errorf("count statements: %w", err)
	}
	for _, c := range counts {
		byID[c.RequestID].Counts = c.StatementCounts
	}
	return nil
}

// FindStatementRequest returns one request; a draft only to officials.
func (s *Store) FindStatementRequest(ctx context.Context, id int64) (*participation.StatementRequest, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, err := findStatementRequest(ctx, tx, id, false)
	if err != nil {
		return nil, err
	}
	return r, tx.Commit()
}

// FindStatementRequests lists a process's requests by deadline; drafts
// only for officials.
func (s *Store) FindStatementRequests(ctx context.Context, f participation.StatementRequestFilter) ([]*participation.StatementRequest, int, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var processID int64
	if err := tx.GetContext(ctx, &processID, `SELECT id FROM processes WHERE slug = $1`, f.ProcessSlug); err != nil {
		return nil, 0, storeErr(err, "process")
	}
	viewer := participation.AccountFromContext(ctx)
	where := ` WHERE r.process_id = $1 AND (r.published_at IS NOT NULL OR $2)`
	drafts := participation.MaySeeDraftRequests(viewer)
	var total int
	if err := tx.GetContext(ctx, &total, `SELECT count(*) FROM statement_requests r`+where, processID, drafts); err != nil {
		return nil, 0, fmt.Errorf("count statement requests: %w", err)
	}
	list := []*participation.StatementRequest{}
	if err := tx.SelectContext(ctx, &list, statementRequestSelect+where+` ORDER BY r.deadline, r.id LIMIT $3 OFFSET $4`,
		processID, drafts, f.Limit, f.Offset); err != nil {
		return nil, 0, fmt.Errorf("find statement requests: %w", err)
	}
	if err := fillStatementRequests(ctx, tx, list); err != nil {
		return nil, 0, err
	}
	for _, r := range list {
		r.ShowTo(viewer)
	}
	return list, total, tx.Commit()
}

// UpdateStatementRequest changes a request (officials), in any status.
// Organisations and addresses added to an open request's distribution
// list are invited at once.
func (s *Store) UpdateStatementRequest(ctx context.Context, id int64, p participation.StatementRequestPatch) (*participation.StatementRequest, error) {
	tx, err := s.beginOfficial(ctx, participation.RefTo(participation.RefStatementRequest, id))
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, err := findStatementRequest(ctx, tx, id, true)
	if err != nil {
		return nil, err
	}
	before := *r
	if err := p.Apply(r, tx.now); err != nil {
		return nil, err
	}
	if err := checkRequestRefs(ctx, tx, r); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE statement_requests SET title = $2, background = $3, contact_person = $4, deadline = $5, language = $6,
		       translations = $7::text::jsonb, updated_at = $8
		WHERE id = $1`, r.ID, r.Title, r.Background, r.ContactPerson, r.Deadline, r.Language, r.Translations, tx.now); err != nil {
		return nil, storeErr(err, "statement request")
	}
	if p.Questions != nil {
		if err := saveQuestions(ctx, tx, r, before.Questions); err != nil {
			return nil, err
		}
	} else if p.Language != nil {
		if _, err := tx.ExecContext(ctx, `UPDATE statement_questions SET language = $2 WHERE request_id = $1`, r.ID, r.Language); err != nil {
			return nil, fmt.Errorf("update questions' language: %w", err)
		}
	}
	if err := saveDistribution(ctx, tx, r); err != nil {
		return nil, err
	}
	if before.PublishedAt != nil {
		added := *r
		added.InvitedOrganisationIDs = newIDs(before.InvitedOrganisationIDs, r.InvitedOrganisationIDs)
		added.InvitedEmails = newStrings(before.InvitedEmails, r.InvitedEmails)
		if err := invite(ctx, tx, &added); err != nil {
			return nil, err
		}
	}
	out, err := findStatementRequest(ctx, tx, id, false)
	if err != nil {
		return nil, err
	}
	return out, tx.Commit()
}

// newIDs returns the ids of after that before lacks.
func newIDs(before, after []int64) []int64 {
	out := []int64{}
	for _, id := range after {
		if !slices.Contains(before, id) {
			out = append(out, id)
		}
	}
	return out
}

// newStrings returns the strings of after that before lacks.
func newStrings(before, after []string) []string {
	out := []string{}
	for _, s := range after {
		if !slices.Contains(before, s) {
			out = append(out, s)
		}
	}
	return out
}

// PublishStatementRequest opens a draft (officials): it shows on the
// process's timeline, and every member of every invited organisation,
// and every invited address, gets an invitation in the same transaction.
func (s *Store) PublishStatementRequest(ctx context.Context, id int64) (*participation.StatementRequest, error) {
	tx, err := s.beginOfficial(ctx, participation.RefTo(participation.RefStatementRequest, id))
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, err := findStatementRequest(ctx, tx, id, true)
	if err != nil {
		return nil, err
	}
	if err := r.CheckPublishable(tx.now); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE statement_requests SET published_at = $2, updated_at = $2 WHERE id = $1`, id, tx.now); err != nil {
		return nil, fmt.Errorf("publish statement request: %w", err)
	}
	if err := invite(ctx, tx, r); err != nil {
		return nil, err
	}
	out, err := findStatementRequest(ctx, tx, id, false)
	if err != nil {
		return nil, err
	}
	return out, tx.Commit()
}
