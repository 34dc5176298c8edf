package postgres

// A process's officials, and the one check of every official write: who
// manages the process a thing belongs to (processOf, requireProcessOfficial).

import (
	"context"
	"fmt"
	"strings"

	"github.com/lib/pq"

	"osallistu/participation"
)

// AddProcessOfficial makes the account with the given email, which must
// hold the official role, an official of the process (its officials and
// admins). Adding one twice is harmless.
func (s *Store) AddProcessOfficial(ctx context.Context, slug string, n participation.NewProcessOfficial) ([]participation.ProcessOfficial, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
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
	processID, err := requireProcessOfficial(ctx, tx, participation.ProcessRef{Kind: participation.RefProcess, Slug: slug})
	if err != nil {
		return nil, err
	}
	var a struct {
		ID    int64          `db:"id"`
		Roles pq.StringArray `db:"roles"`
	}
	if err := tx.GetContext(ctx, &a, `SELECT id, roles FROM accounts WHERE email = $1 AND erased_at IS NULL`, n.Email); err != nil {
		if participation.ErrorCode(storeErr(err, "account")) == participation.ENOTFOUND {
			f := participation.FieldErrors{}
			f.Add("email", participation.RuleChoice, 0)
			return nil, &participation.Error{Code: participation.EINVALID, Message: "No account has this email address.", Fields: f}
		}
		return nil, storeErr(err, "account")
	}
	if err := participation.CheckCanBeOfficial(&participation.Account{ID: a.ID, Roles: a.Roles}); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO process_officials (process_id, account_id, added_at) VALUES ($1, $2, $3)
		ON CONFLICT DO NOTHING`, processID, a.ID, tx.now); err != nil {
		return nil, storeErr(err, "process official")
	}
	list, err := findProcessOfficials(ctx, tx, processID)
	if err != nil {
		return nil, err
	}
	return list, tx.Commit()
}

// RemoveProcessOfficial removes an official of the process (its officials
// and admins), never the last one.
func (s *Store) RemoveProcessOfficial(ctx context.Context, slug string, accountID int64) ([]participation.ProcessOfficial, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	processID, err := requireProcessOfficial(ctx, tx, participation.ProcessRef{Kind: participation.RefProcess, Slug: slug})
	if err != nil {
		return nil, err
	}
	// Locked, so that two officials removing each other at once cannot leave none.
	if _, err := tx.ExecContext(ctx, `SELECT 1 FROM processes WHERE id = $1 FOR UPDATE`, processID); err != nil {
		return nil, storeErr(err, "process")
	}
	list, err := findProcessOfficials(ctx, tx, processID)
	if err != nil {
		return nil, err
	}
	if err := participation.CheckRemoveOfficial(list, accountID); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM process_officials WHERE process_id = $1 AND account_id = $2`, processID, accountID); err != nil {
		return nil, storeErr(err, "process official")
	}
	if list, err = findProcessOfficials(ctx, tx, processID); err != nil {
		return nil, err
	}
	return list, tx.Commit()
}

// findProcessOfficials returns the officials of a process, first added first.
func findProcessOfficials(ctx context.Context, tx *Tx, processID int64) ([]participation.ProcessOfficial, error) {
	list := []participation.ProcessOfficial{}
	if err := tx.SelectContext(ctx, &list, `
		SELECT o.account_id, a.name, a.email, o.added_at
		FROM process_officials o JOIN accounts a ON a.id = o.account_id
		WHERE o.process_id = $1 ORDER BY o.added_at, o.account_id`, processID); err != nil {
		return nil, fmt.Errorf("find process officials: %w", err)
	}
	return list, nil
}

func officialIDs(list []participation.ProcessOfficial) []int64 {
	ids := make([]int64, len(list))
	for i, o := range list {
		ids[i] = o.AccountID
	}
	return ids
}

// processOfRef is, by kind of participation.ProcessRef, the statement that
// finds the processes things belong to, $1 their ids (a process's own: its slug).
var processOfRef = map[string]string{
	participation.RefProcess:          `SELECT id FROM processes WHERE slug = $1::text`,
	participation.RefIdeaRound:        `SELECT process_id FROM idea_rounds WHERE id = ANY($1::bigint[])`,
	participation.RefIdea:             `SELECT r.process_id FROM ideas i JOIN idea_rounds r ON r.id = i.round_id WHERE i.id = ANY($1::bigint[])`,
	participation.RefComment:          `SELECT r.process_id FROM comments c JOIN ideas i ON i.id = c.idea_id JOIN idea_rounds r ON r.id = i.round_id WHERE c.id = ANY($1::bigint[])`,
	participation.RefTheme:            `SELECT r.process_id FROM themes t JOIN idea_rounds r ON r.id = t.round_id WHERE t.id = ANY($1::bigint[])`,
	participation.RefWorkshop:         `SELECT process_id FROM workshops WHERE id = ANY($1::bigint[])`,
	participation.RefPoll:             `SELECT w.process_id FROM polls p JOIN workshops w ON w.id = p.workshop_id WHERE p.id = ANY($1::bigint[])`,
	participation.RefCollection:       `SELECT w.process_id FROM collections c JOIN workshops w ON w.id = c.workshop_id WHERE c.id = ANY($1::bigint[])`,
	participation.RefProposal:         `SELECT w.process_id FROM proposals p JOIN collections c ON c.id = p.collection_id JOIN workshops w ON w.id = c.workshop_id WHERE p.id = ANY($1::bigint[])`,
	participation.RefSurvey:           `SELECT process_id FROM surveys WHERE id = ANY($1::bigint[])`,
	participation.RefStatementRequest: `SELECT process_id FROM statement_requests WHERE id = ANY($1::bigint[])`,
	participation.RefAttachment:       `SELECT r.process_id FROM attachments a JOIN statement_requests r ON r.id = a.request_id WHERE a.id = ANY($1::bigint[])`,
	participation.RefCommitment:       `SELECT process_id FROM commitments WHERE id = ANY($1::bigint[])`,
	participation.RefMilestone:        `SELECT c.process_id FROM milestones m JOIN commitments c ON c.id = m.commitment_id WHERE m.id = ANY($1::bigint[])`,
	participation.RefEvent:            `SELECT process_id FROM events WHERE id = ANY($1::bigint[])`,
}

// processAccess is what the rules of a process need: its status and officials.
type processAccess struct {
	participation.Process
	Officials pq.Int64Array `db:"officials"`
}

// processOf returns the processes that ref's things belong to (one,
// unless it names things of several), with their officials; ENOTFOUND when
// none of the things exists.
func processOf(ctx context.Context, tx getter, ref participation.ProcessRef) ([]processAccess, error) {
	q, ok := processOfRef[ref.Kind]
	if !ok {
		return nil, fmt.Errorf("process of %q: unknown kind", ref.Kind)
	}
	var key any = pq.Array(append([]int64{ref.ID}, ref.IDs...))
	if ref.Kind == participation.RefProcess {
		key = ref.Slug
	}
	var list []processAccess
	if err := tx.SelectContext(ctx, &list, `
		SELECT p.id, p.status, array(SELECT account_id FROM process_officials o WHERE o.process_id = p.id) AS officials
		FROM processes p WHERE p.id IN (`+q+`)`, key); err != nil {
		return nil, fmt.Errorf("find process of %s: %w", ref.Kind, err)
	}
	if len(list) == 0 {
		return nil, participation.Errorf(participation.ENOTFOUND, "%s not found", strings.ReplaceAll(ref.Kind, "_", " "))
	}
	return list, nil
}

// getter runs queries: a transaction, or the database for a single statement.
type getter interface {
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
}

// requireProcessOfficial is the check of every official write of every
// concept: the signed-in account must manage the process that ref belongs
// to (be one of its officials, or an admin; else EFORBIDDEN), and the
// process must not be archived (ECLOSED: it is read only). It returns the
// process's id.
func requireProcessOfficial(ctx context.Context, tx getter, ref participation.ProcessRef) (int64, error) {
	list, err := requireManager(ctx, tx, ref)
	if err != nil {
		return 0, err
	}
	for _, p := range list {
		if err := p.CheckOpen(); err != nil {
			return 0, err
		}
	}
	return list[0].ID, nil
}

// beginOfficial begins the transaction of an official write about a thing
// of ref's process: the account must be an official (asked before the
// database is) and manage the process (requireProcessOfficial). The caller
// defers tx.Rollback, as after begin.
func (s *Store) beginOfficial(ctx context.Context, ref participation.ProcessRef) (*Tx, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := requireProcessOfficial(ctx, tx, ref); err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	return tx, nil
}

// requireProcessManager is requireProcessOfficial for the process's own
// changes (editing, publishing, archiving and back), which an archived
// process takes.
func requireProcessManager(ctx context.Context, tx *Tx, ref participation.ProcessRef) error {
	_, err := requireManager(ctx, tx, ref)
	return err
}

func requireManager(ctx context.Context, tx getter, ref participation.ProcessRef) ([]processAccess, error) {
	list, err := processOf(ctx, tx, ref)
	if err != nil {
		return nil, err
	}
	me := participation.AccountFromContext(ctx)
	for _, p := range list {
		if !p.CanView(participation.CanManage(me, p.Officials)) {
			return nil, participation.Errorf(participation.ENOTFOUND, "process not found")
		}
		if err := participation.CheckManage(me, p.Officials); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// CheckProcessAccess returns ENOTFOUND when the process that ref belongs to
// (or the thing itself) does not exist or is a draft the asking account may
// not see, and, for a write, ECLOSED when the process is archived.
func (s *Store) CheckProcessAccess(ctx context.Context, ref participation.ProcessRef, write bool) (bool, error) {
	// One statement, so no transaction: it runs before every request about
	// a thing of a process, kept pages (the server's page cache) included.
	return checkProcessAccess(ctx, s.db, ref, write)
}

// checkProcessAccess is CheckProcessAccess on q: the database, or the
// transaction of a write that names its thing otherwise (a join code).
func checkProcessAccess(ctx context.Context, q getter, ref participation.ProcessRef, write bool) (bool, error) {
	list, err := processOf(ctx, q, ref)
	if err != nil {
		return false, err
	}
	p := list[0]
	manages := participation.CanManage(participation.AccountFromContext(ctx), p.Officials)
	if !p.CanView(manages) {
		return false, participation.Errorf(participation.ENOTFOUND, "%s not found", strings.ReplaceAll(ref.Kind, "_", " "))
	}
	if write {
		if err := p.CheckOpen(); err != nil {
			return false, err
		}
	}
	return manages, nil
}

// ideaThemeRef names the processes of a change of ideas' theme: the
// ideas' (the theme must be in their round, which the change checks).
func ideaThemeRef(ideaIDs []int64) participation.ProcessRef {
	return participation.ProcessRef{Kind: participation.RefIdea, IDs: ideaIDs}
}
