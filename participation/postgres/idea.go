package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/lib/pq"

	"osallistu/participation"
)

// CreateIdeaRound opens an idea round in a process (officials only).
func (s *Store) CreateIdeaRound(ctx context.Context, slug string, n participation.NewIdeaRound) (*participation.IdeaRound, error) {
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
	var id int64
	if err := tx.GetContext(ctx, &id, `
		INSERT INTO idea_rounds (process_id, title, description, opens_at, closes_at, allow_anonymous, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		processID, n.Title, n.Description, n.OpensAt, n.ClosesAt, n.AllowAnonymous, me.ID, tx.now); err != nil {
		return nil, storeErr(err, "idea round")
	}
	r, err := findIdeaRound(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return r, tx.Commit()
}

// FindIdeaRound returns one round with its status and count of visible ideas.
func (s *Store) FindIdeaRound(ctx context.Context, id int64) (*participation.IdeaRound, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, err := findIdeaRound(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return r, tx.Commit()
}

// FindIdeaRounds returns a process's rounds, earliest first.
func (s *Store) FindIdeaRounds(ctx context.Context, processID int64) ([]*participation.IdeaRound, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var list []*participation.IdeaRound
	if err := tx.SelectContext(ctx, &list, ideaRoundSelect+` WHERE r.process_id = $1 ORDER BY r.opens_at, r.id`, processID); err != nil {
		return nil, fmt.Errorf("find idea rounds: %w", err)
	}
	for _, r := range list {
		r.Status = participation.WindowStatus(&r.OpensAt, &r.ClosesAt, tx.now)
	}
	return list, tx.Commit()
}

const ideaRoundSelect = `
	SELECT r.id, r.process_id, r.title, r.description, r.opens_at, r.closes_at, r.allow_anonymous, r.created_at,
	       r.idea_count, p.slug AS process_slug, p.title AS process_title
	FROM idea_rounds r JOIN processes p ON p.id = r.process_id`

func findIdeaRound(ctx context.Context, tx *Tx, id int64) (*participation.IdeaRound, error) {
	var r participation.IdeaRound
	if err := tx.GetContext(ctx, &r, ideaRoundSelect+` WHERE r.id = $1`, id); err != nil {
		return nil, storeErr(err, "idea round")
	}
	r.Status = participation.WindowStatus(&r.OpensAt, &r.ClosesAt, tx.now)
	return &r, nil
}

// contributor is who writes an idea or comment: the signed-in account, or
// an anonymous person where the round allows it.
type contributor struct {
	accountID  *int64
	respondent *string // hash of the respondent token, when one was given
}

// checkContributor applies a round's window and anonymity rules, in that
// order: the state is checked before who is asking and before the content.
func checkContributor(ctx context.Context, tx *Tx, r *participation.IdeaRound, respondentToken string) (contributor, error) {
	if err := r.CheckOpen(tx.now); err != nil {
		return contributor{}, err
	}
	var c contributor
	if a := participation.AccountFromContext(ctx); a != nil {
		c.accountID = &a.ID
	} else if !r.AllowAnonymous {
		return c, participation.Errorf(participation.EUNAUTHENTICATED, "Sign in to take part in this idea round.")
	}
	if respondentToken != "" && c.accountID == nil {
		h := hashRespondent(respondentToken)
		c.respondent = &h
	}
	return c, nil
}

// CreateIdea adds an idea to an open round.
func (s *Store) CreateIdea(ctx context.Context, roundID int64, n participation.NewIdea, lang string) (*participation.Idea, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, err := findIdeaRound(ctx, tx, roundID)
	if err != nil {
		return nil, err
	}
	who, err := checkContributor(ctx, tx, r, n.RespondentToken)
	if err != nil {
		return nil, err
	}
	if err := n.Validate(lang); err != nil {
		return nil, err
	}
	var id int64
	if err := tx.GetContext(ctx, &id, `
		INSERT INTO ideas (round_id, title, body, author_id, author_name, respondent, municipality, language, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		roundID, n.Title, n.Body, who.accountID, n.AuthorName, who.respondent, n.Municipality, n.Language, tx.now); err != nil {
		return nil, storeErr(err, "idea")
	}
	if err := countIdeas(ctx, tx, roundID, +1); err != nil {
		return nil, err
	}
	idea, err := findIdea(ctx, tx, id, "")
	if err != nil {
		return nil, err
	}
	return idea, tx.Commit()
}

// ideaColumns are an idea's columns; author_gone says whether the author's
// account was deleted, so that pages can say "deleted user", not "anonymous".
const ideaColumns = `i.id, i.round_id, i.title, i.body, i.author_name, i.municipality, i.language, i.theme_id,
	i.supports, i.comments, i.hidden_at IS NOT NULL AS hidden, i.hidden_reason, i.created_at, i.author_id, i.hidden_at,
	EXISTS (SELECT 1 FROM accounts a WHERE a.id = i.author_id AND a.erased_at IS NOT NULL) AS author_gone`

// countIdeas keeps a round's count of visible ideas, in the transaction
// that adds, hides or restores one.
func countIdeas(ctx context.Context, tx *Tx, roundID int64, delta int) error {
	if _, err := tx.ExecContext(ctx, `UPDATE idea_rounds SET idea_count = idea_count + $2 WHERE id = $1`, roundID, delta); err != nil {
		return fmt.Errorf("count ideas: %w", err)
	}
	return nil
}

// findIdea reads one idea; supporter, when set, fills Supported.
func findIdea(ctx context.Context, tx *Tx, id int64, supporter string) (*participation.Idea, error) {
	var idea participation.Idea
	if err := tx.GetContext(ctx, &idea, `
		SELECT `+ideaColumns+`,
		       EXISTS (SELECT 1 FROM supports s WHERE s.idea_id = i.id AND s.supporter = $2) AS supported
		FROM ideas i WHERE i.id = $1`, id, supporter); err != nil {
		return nil, storeErr(err, "idea")
	}
	return &idea, nil
}

// findVisibleIdea reads an idea that the caller may see: hidden ideas only
// for officials.
func findVisibleIdea(ctx context.Context, tx *Tx, id int64, supporter string) (*participation.Idea, error) {
	idea, err := findIdea(ctx, tx, id, supporter)
	if err != nil {
		return nil, err
	}
	if idea.Hidden && !participation.AccountFromContext(ctx).HasRole(participation.RoleOfficial) {
		return nil, participation.Errorf(participation.ENOTFOUND, "idea not found")
	}
	return idea, nil
}

// FindIdea returns one idea, as FindIdeas shows it, with whether the
// caller supports it.
func (s *Store) FindIdea(ctx context.Context, id int64, sup participation.Supporter) (*participation.Idea, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	key, _ := supporterKey(ctx, sup)
	idea, err := findVisibleIdea(ctx, tx, id, key)
	if err != nil {
		return nil, err
	}
	return idea, tx.Commit()
}

// searchQuery is the tsquery of a search (parameter $5, renumbered where
// used): the words stemmed as
// Finnish, as Swedish, as English and as they are, so that a query finds
// texts in any of the content languages.
const searchQuery = `(SELECT websearch_to_tsquery('finnish', $5) || websearch_to_tsquery('swedish', $5) ||
	websearch_to_tsquery('english', $5) || websearch_to_tsquery('simple', $5) AS q)`

// FindIdeas lists a round's ideas: filtered by theme, searched in the ideas
// and their comments, sorted, a page at a time.
func (s *Store) FindIdeas(ctx context.Context, f participation.IdeaFilter) ([]*participation.Idea, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	if f.WithHidden {
		if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
			return nil, 0, err
		}
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var visible int // the round's count of visible ideas: the total of an unfiltered list
	if err := tx.GetContext(ctx, &visible, `SELECT idea_count FROM idea_rounds WHERE id = $1`, f.RoundID); err != nil {
		return nil, 0, storeErr(err, "idea round")
	}
	// Only the conditions in use go into the query, so that the planner can
	// use the partial indexes of visible ideas.
	args := []any{f.RoundID}
	where := `i.round_id = $1`
	if !f.WithHidden {
		where += ` AND i.hidden_at IS NULL`
	}
	if f.ThemeID != nil {
		args = append(args, *f.ThemeID)
		where += fmt.Sprintf(` AND i.theme_id = $%d`, len(args))
	}
	if f.Unthemed {
		where += ` AND i.theme_id IS NULL`
	}
	query := strings.TrimSpace(f.Query)
	from, rank, order := `ideas i`, `0::real`, `p.created_at DESC, p.id DESC`
	if f.Sort == participation.SortSupports {
		order = `p.supports DESC, p.id DESC`
	}
	if query != "" {
		args = append(args, query)
		search := strings.ReplaceAll(searchQuery, "$5", fmt.Sprintf("$%d", len(args)))
		// The index covers the idea's own text and its visible comments;
		// ts_rank weighs a match in the idea above one in a comment.
		from = `ideas i, ` + search + ` s`
		where += ` AND i.search @@ s.q`
		rank = `ts_rank(i.search, s.q)`
		if f.Sort == participation.SortRank {
			order = `p.rank DESC, p.id DESC`
		}
	}
	// The page is chosen on the few columns that order it (a search counts
	// its matches in the same pass, through the window); only the page's
	// rows are then read in full.
	total := visible
	counted := query == "" && f.ThemeID == nil && !f.Unthemed && !f.WithHidden
	window := `count(*) OVER ()`
	if counted || query == "" {
		window = `0` // known already, or counted below on the index alone
	}
	n := len(args)
	var rows []struct {
		participation.Idea
		Total int `db:"total"`
	}
	if err := tx.SelectContext(ctx, &rows, fmt.Sprintf(`
		SELECT `+ideaColumns+`, p.total FROM (
			SELECT i.id, i.created_at, i.supports, %s AS rank, %s AS total FROM %s WHERE %s
			ORDER BY %s LIMIT $%d OFFSET $%d
		) p JOIN ideas i ON i.id = p.id ORDER BY %s`,
		rank, window, from, where, strings.ReplaceAll(order, "p.", ""), n+1, n+2, order),
		append(args, f.Limit, f.Offset)...); err != nil {
		return nil, 0, fmt.Errorf("find ideas: %w", err)
	}
	list := make([]*participation.Idea, len(rows))
	for i := range rows {
		list[i] = &rows[i].Idea
		if !counted && query != "" {
			total = rows[i].Total
		}
	}
	if !counted && (query == "" || len(rows) == 0) {
		if err := tx.GetContext(ctx, &total, `SELECT count(*) FROM `+from+` WHERE `+where, args...); err != nil {
			return nil, 0, fmt.Errorf("count ideas: %w", err)
		}
	}
	return list, total, tx.Commit()
}

// CreateTheme adds a theme to a round (officials only).
func (s *Store) CreateTheme(ctx context.Context, roundID int64, n participation.NewTheme) (*participation.Theme, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := findIdeaRound(ctx, tx, roundID); err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var id int64
	if err := tx.GetContext(ctx, &id, `
		INSERT INTO themes (round_id, title, description, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		roundID, n.Title, n.Description, tx.now); err != nil {
		return nil, storeErr(err, "theme")
	}
	t, err := findTheme(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return t, tx.Commit()
}

const themeSelect = `
	SELECT t.id, t.round_id, t.title, t.description,
	       (SELECT count(*) FROM ideas i WHERE i.theme_id = t.id AND i.hidden_at IS NULL) AS idea_count
	FROM themes t`

func findTheme(ctx context.Context, tx *Tx, id int64) (*participation.Theme, error) {
	var t participation.Theme
	if err := tx.GetContext(ctx, &t, themeSelect+` WHERE t.id = $1`, id); err != nil {
		return nil, storeErr(err, "theme")
	}
	return &t, nil
}

// FindTheme returns one theme with its count of visible ideas.
func (s *Store) FindTheme(ctx context.Context, id int64) (*participation.Theme, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	t, err := findTheme(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return t, tx.Commit()
}

// FindThemes returns a round's themes in the order they were made.
func (s *Store) FindThemes(ctx context.Context, roundID int64) ([]*participation.Theme, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := findIdeaRound(ctx, tx, roundID); err != nil {
		return nil, err
	}
	var list []*participation.Theme
	if err := tx.SelectContext(ctx, &list, themeSelect+` WHERE t.round_id = $1 ORDER BY t.id`, roundID); err != nil {
		return nil, fmt.Errorf("find themes: %w", err)
	}
	return list, tx.Commit()
}

// SetIdeaTheme puts ideas into a theme of their round, or takes them out
// of any theme when themeID is nil (officials only). All or nothing.
func (s *Store) SetIdeaTheme(ctx context.Context, themeID *int64, ideaIDs ...int64) ([]*participation.Idea, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var roundID *int64
	if themeID != nil {
		t, err := findTheme(ctx, tx, *themeID)
		if participation.ErrorCode(err) == participation.ENOTFOUND {
			f := participation.FieldErrors{}
			f.Add("theme_id", participation.RuleChoice, 0)
			return nil, f.Err()
		} else if err != nil {
			return nil, err
		}
		roundID = &t.RoundID
	}
	var found []struct {
		ID      int64 `db:"id"`
		RoundID int64 `db:"round_id"`
	}
	if err := tx.SelectContext(ctx, &found, `SELECT id, round_id FROM ideas WHERE id = ANY($1) FOR UPDATE`, pq.Array(ideaIDs)); err != nil {
		return nil, fmt.Errorf("find ideas: %w", err)
	}
	if len(found) != len(uniqueIDs(ideaIDs)) {
		return nil, participation.Errorf(participation.ENOTFOUND, "idea not found")
	}
	for _, idea := range found {
		if roundID != nil && idea.RoundID != *roundID {
			f := participation.FieldErrors{}
			f.Add("theme_id", participation.RuleChoice, 0)
			return nil, &participation.Error{Code: participation.EINVALID, Message: "The theme belongs to another idea round.", Fields: f}
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE ideas SET theme_id = $1 WHERE id = ANY($2)`, themeID, pq.Array(ideaIDs)); err != nil {
		return nil, fmt.Errorf("set theme: %w", err)
	}
	var ideas []*participation.Idea
	if err := tx.SelectContext(ctx, &ideas, `SELECT `+ideaColumns+` FROM ideas i WHERE i.id = ANY($1) ORDER BY i.id`,
		pq.Array(ideaIDs)); err != nil {
		return nil, fmt.Errorf("find ideas: %w", err)
	}
	return ideas, tx.Commit()
}

func uniqueIDs(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// CreateComment adds a comment, or a reply to a top-level comment, to a
// visible idea while its round is open.
func (s *Store) CreateComment(ctx context.Context, ideaID int64, n participation.NewComment, lang string) (*participation.Comment, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	idea, err := findVisibleIdea(ctx, tx, ideaID, "")
	if err != nil {
		return nil, err
	}
	if idea.Hidden {
		return nil, participation.Errorf(participation.ECLOSED, "A hidden idea takes no comments.")
	}
	r, err := findIdeaRound(ctx, tx, idea.RoundID)
	if err != nil {
		return nil, err
	}
	who, err := checkContributor(ctx, tx, r, n.RespondentToken)
	if err != nil {
		return nil, err
	}
	if err := n.Validate(lang); err != nil {
		return nil, err
	}
	if n.ParentID != nil {
		var ok bool
		if err := tx.GetContext(ctx, &ok, `
			SELECT EXISTS (SELECT 1 FROM comments WHERE id = $1 AND idea_id = $2 AND parent_id IS NULL AND hidden_at IS NULL)`,
			*n.ParentID, ideaID); err != nil {
			return nil, fmt.Errorf("find parent comment: %w", err)
		}
		if !ok {
			f := participation.FieldErrors{}
			f.Add("parent_id", participation.RuleChoice, 0)
			return nil, f.Err()
		}
	}
	var c participation.Comment
	if err := tx.GetContext(ctx, &c, `
		INSERT INTO comments (idea_id, parent_id, body, author_id, author_name, respondent, language, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		RETURNING `+commentColumns,
		ideaID, n.ParentID, n.Body, who.accountID, n.AuthorName, who.respondent, n.Language, tx.now); err != nil {
		return nil, storeErr(err, "comment")
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE ideas SET comments = comments + 1, discussion = discussion || to_tsvector(osallistu_tsconfig($2), $3)
		WHERE id = $1`, ideaID, n.Language, n.Body); err != nil {
		return nil, fmt.Errorf("count comment: %w", err)
	}
	return &c, tx.Commit()
}

// commentColumns masks a hidden comment: it keeps its place and shows the
// moderator's reason, not its text or author.
const commentColumns = `id, idea_id, parent_id,
	CASE WHEN hidden_at IS NULL THEN body END AS body,
	CASE WHEN hidden_at IS NULL THEN author_name END AS author_name,
	language, hidden_at IS NOT NULL AS hidden, hidden_reason, created_at,
	EXISTS (SELECT 1 FROM accounts a WHERE a.id = comments.author_id AND a.erased_at IS NOT NULL) AS author_gone`

// FindComments lists an idea's comments in the order they were written,
// replies included (a page at a time).
func (s *Store) FindComments(ctx context.Context, ideaID int64, limit, offset int) ([]*participation.Comment, int, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	if _, err := findVisibleIdea(ctx, tx, ideaID, ""); err != nil {
		return nil, 0, err
	}
	var total int
	if err := tx.GetContext(ctx, &total, `SELECT count(*) FROM comments WHERE idea_id = $1`, ideaID); err != nil {
		return nil, 0, fmt.Errorf("count comments: %w", err)
	}
	var list []*participation.Comment
	if err := tx.SelectContext(ctx, &list, `SELECT `+commentColumns+` FROM comments WHERE idea_id = $1
		ORDER BY id LIMIT $2 OFFSET $3`, ideaID, limit, offset); err != nil {
		return nil, 0, fmt.Errorf("find comments: %w", err)
	}
	return list, total, tx.Commit()
}

// FindComment returns one comment of an idea the caller may see.
func (s *Store) FindComment(ctx context.Context, id int64) (*participation.Comment, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var c participation.Comment
	if err := tx.GetContext(ctx, &c, `SELECT `+commentColumns+` FROM comments WHERE id = $1`, id); err != nil {
		return nil, storeErr(err, "comment")
	}
	if _, err := findVisibleIdea(ctx, tx, c.IdeaID, ""); err != nil {
		return nil, err
	}
	return &c, tx.Commit()
}

// supporterKey identifies a supporter: 'a:<account id>' for the signed-in
// account, else 'r:<hash of the respondent token>'. ok is false for neither.
func supporterKey(ctx context.Context, s participation.Supporter) (key string, ok bool) {
	if a := participation.AccountFromContext(ctx); a != nil {
		return fmt.Sprintf("a:%d", a.ID), true
	}
	if s.RespondentToken != "" {
		return "r:" + hashRespondent(s.RespondentToken), true
	}
	return "", false
}

func hashRespondent(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// SupportIdea records the caller's support of an idea, once per account or
// respondent token; repeating it changes nothing. It returns the count.
func (s *Store) SupportIdea(ctx context.Context, ideaID int64, sup participation.Supporter) (int, error) {
	key, ok := supporterKey(ctx, sup)
	if !ok {
		return 0, participation.Errorf(participation.EUNAUTHENTICATED, "Sign in, or send X-Respondent-Token, to support an idea.")
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	idea, err := findVisibleIdea(ctx, tx, ideaID, "")
	if err != nil {
		return 0, err
	}
	r, err := findIdeaRound(ctx, tx, idea.RoundID)
	if err != nil {
		return 0, err
	}
	if err := r.CheckOpen(tx.now); err != nil {
		return 0, err
	}
	var accountID *int64
	if a := participation.AccountFromContext(ctx); a != nil {
		accountID = &a.ID
	}
	// The primary key (idea, supporter) decides under concurrent requests:
	// the second insert waits for the first and then does nothing.
	res, err := tx.ExecContext(ctx, `
		INSERT INTO supports (idea_id, supporter, account_id, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING`, ideaID, key, accountID, tx.now)
	if err != nil {
		return 0, fmt.Errorf("support idea: %w", err)
	}
	var count int
	if n, _ := res.RowsAffected(); n == 1 {
		err = tx.GetContext(ctx, &count, `UPDATE ideas SET supports = supports + 1 WHERE id = $1 RETURNING supports`, ideaID)
	} else {
		err = tx.GetContext(ctx, &count, `SELECT supports FROM ideas WHERE id = $1`, ideaID)
	}
	if err != nil {
		return 0, fmt.Errorf("count supports: %w", err)
	}
	return count, tx.Commit()
}

// moderated is an idea or comment as moderation sees it.
type moderated struct {
	IdeaID  int64 `db:"idea_id"`
	RoundID int64 `db:"round_id"`
	Hidden  bool  `db:"hidden"`
}

func findModerated(ctx context.Context, tx *Tx, kind string, id int64, lock bool) (*moderated, error) {
	var q string
	switch kind {
	case participation.KindIdea:
		q = `SELECT id AS idea_id, round_id, hidden_at IS NOT NULL AS hidden FROM ideas WHERE id = $1`
	case participation.KindComment:
		q = `SELECT c.idea_id, i.round_id, c.hidden_at IS NOT NULL AS hidden FROM comments c JOIN ideas i ON i.id = c.idea_id WHERE c.id = $1`
	default:
		return nil, participation.Errorf(participation.ENOTFOUND, "no such kind of item")
	}
	if lock {
		q += ` FOR UPDATE`
	}
	var m moderated
	if err := tx.GetContext(ctx, &m, q, id); err != nil {
		return nil, storeErr(err, kind)
	}
	return &m, nil
}

// ReportItem records anyone's report of a visible idea or comment; a
// signed-in person's report replaces their earlier one of the same item
// until a moderator acts on it.
func (s *Store) ReportItem(ctx context.Context, kind string, id int64, r participation.Report) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	m, err := findModerated(ctx, tx, kind, id, false)
	if err != nil {
		return err
	}
	if m.Hidden {
		return participation.Errorf(participation.ENOTFOUND, "%s not found", kind)
	}
	if err := r.Validate(); err != nil {
		return err
	}
	var reporter *int64
	if a := participation.AccountFromContext(ctx); a != nil {
		reporter = &a.ID
	}
	// A signed-in person's new report of an item that still waits for a
	// moderator replaces their earlier one: the queue counts people.
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO reports (kind, item_id, reason, reporter_id, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (kind, item_id, reporter_id) WHERE resolved_at IS NULL
		DO UPDATE SET reason = EXCLUDED.reason, created_at = EXCLUDED.created_at`,
		kind, id, r.Reason, reporter, tx.now); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return tx.Commit()
}

// HideItem hides an idea or comment from the public with a reason shown in
// its place (officials only); hiding a hidden item updates the reason.
func (s *Store) HideItem(ctx context.Context, kind string, id int64, h participation.Hide) error {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	m, err := findModerated(ctx, tx, kind, id, true)
	if err != nil {
		return err
	}
	if err := h.Validate(); err != nil {
		return err
	}
	table := kind + "s"
	if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET hidden_at = coalesce(hidden_at, $2), hidden_reason = $3 WHERE id = $1`,
		id, tx.now, h.Reason); err != nil {
		return fmt.Errorf("hide %s: %w", kind, err)
	}
	if kind == participation.KindComment && !m.Hidden {
		if err := recountDiscussion(ctx, tx, m.IdeaID); err != nil {
			return err
		}
	}
	if kind == participation.KindIdea && !m.Hidden {
		if err := countIdeas(ctx, tx, m.RoundID, -1); err != nil {
			return err
		}
	}
	if err := logModeration(ctx, tx, kind, id, "hide", h.Reason, me.ID); err != nil {
		return err
	}
	return tx.Commit()
}

// RestoreItem shows a hidden idea or comment again (officials only).
func (s *Store) RestoreItem(ctx context.Context, kind string, id int64) error {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	m, err := findModerated(ctx, tx, kind, id, true)
	if err != nil {
		return err
	}
	if !m.Hidden {
		return participation.Errorf(participation.ECONFLICT, "The %s is not hidden.", kind)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE `+kind+`s SET hidden_at = NULL, hidden_reason = NULL WHERE id = $1`, id); err != nil {
		return fmt.Errorf("restore %s: %w", kind, err)
	}
	if kind == participation.KindComment {
		if err := recountDiscussion(ctx, tx, m.IdeaID); err != nil {
			return err
		}
	} else if err := countIdeas(ctx, tx, m.RoundID, +1); err != nil {
		return err
	}
	if err := logModeration(ctx, tx, kind, id, "restore", "", me.ID); err != nil {
		return err
	}
	return tx.Commit()
}

// recountDiscussion sets an idea's count of visible comments and the words
// its search finds in them, after a comment is hidden or restored.
func recountDiscussion(ctx context.Context, tx *Tx, ideaID int64) error {
	if _, err := tx.ExecContext(ctx, `
		UPDATE ideas i SET (comments, discussion) = (
			SELECT count(*), coalesce(osallistu_tsvector_agg(to_tsvector(osallistu_tsconfig(c.language), c.body) ORDER BY c.id), '')
			FROM comments c WHERE c.idea_id = i.id AND c.hidden_at IS NULL)
		WHERE i.id = $1`, ideaID); err != nil {
		return fmt.Errorf("recount discussion: %w", err)
	}
	return nil
}

// logModeration keeps a moderation action in the audit log and settles the
// item's open reports.
func logModeration(ctx context.Context, tx *Tx, kind string, id int64, action, reason string, actor int64) error {
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO moderation_log (kind, item_id, action, reason, actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		kind, id, action, reason, actor, tx.now); err != nil {
		return fmt.Errorf("log moderation: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE reports SET resolved_at = $3 WHERE kind = $1 AND item_id = $2 AND resolved_at IS NULL`,
		kind, id, tx.now); err != nil {
		return fmt.Errorf("resolve reports: %w", err)
	}
	return nil
}

// FindModerationQueue lists reported items that are not hidden and have
// reports no moderator has acted on, most reported first (officials only).
func (s *Store) FindModerationQueue(ctx context.Context, limit, offset int) ([]*participation.ModerationItem, int, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, 0, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	const queue = `
		SELECT r.kind, r.item_id AS id, count(*) AS reports, array_agg(r.reason ORDER BY r.id) AS reasons,
		       max(r.id) AS last_report,
		       coalesce(i.id, c.idea_id) AS idea_id, left(coalesce(i.title, c.body), 200) AS excerpt
		FROM reports r
		LEFT JOIN ideas i ON r.kind = 'idea' AND i.id = r.item_id
		LEFT JOIN comments c ON r.kind = 'comment' AND c.id = r.item_id
		WHERE r.resolved_at IS NULL AND i.hidden_at IS NULL AND c.hidden_at IS NULL
		GROUP BY r.kind, r.item_id, i.id, c.idea_id, i.title, c.body`
	var total int
	if err := tx.GetContext(ctx, &total, `SELECT count(*) FROM (`+queue+`) q`); err != nil {
		return nil, 0, fmt.Errorf("count moderation queue: %w", err)
	}
	var rows []struct {
		participation.ModerationItem
		Reasons    pq.StringArray `db:"reasons"`
		LastReport int64          `db:"last_report"`
	}
	if err := tx.SelectContext(ctx, &rows, queue+` ORDER BY reports DESC, last_report DESC LIMIT $1 OFFSET $2`, limit, offset); err != nil {
		return nil, 0, fmt.Errorf("find moderation queue: %w", err)
	}
	list := make([]*participation.ModerationItem, len(rows))
	for i := range rows {
		item := rows[i].ModerationItem
		item.Reasons = rows[i].Reasons
		list[i] = &item
	}
	return list, total, tx.Commit()
}

// FindModerationLog lists moderation actions, newest first (officials only).
func (s *Store) FindModerationLog(ctx context.Context, limit, offset int) ([]*participation.ModerationAction, int, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, 0, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.GetContext(ctx, &total, `SELECT count(*) FROM moderation_log`); err != nil {
		return nil, 0, fmt.Errorf("count moderation log: %w", err)
	}
	var list []*participation.ModerationAction
	if err := tx.SelectContext(ctx, &list, `
		SELECT m.id, m.kind, m.item_id, coalesce(c.idea_id, m.item_id) AS idea_id, m.action, m.reason,
		       a.name AS actor_name, m.created_at
		FROM moderation_log m LEFT JOIN accounts a ON a.id = m.actor_id
		LEFT JOIN comments c ON m.kind = 'comment' AND c.id = m.item_id
		ORDER BY m.id DESC LIMIT $1 OFFSET $2`, limit, offset); err != nil {
		return nil, 0, fmt.Errorf("find moderation log: %w", err)
	}
	return list, total, tx.Commit()
}
