package participation

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Positions a statement takes on a question.
const (
	PositionSupport   = "support"
	PositionOppose    = "oppose"
	PositionNeutral   = "neutral"
	PositionNoComment = "no_comment"
)

// Positions lists the positions in the order pages and summaries show them.
var Positions = []string{PositionSupport, PositionOppose, PositionNeutral, PositionNoComment}

// Statement statuses: a draft is private to its author (or shared by the
// organisation's members); a submitted statement is public and final.
const (
	StatementDraft     = "draft"
	StatementSubmitted = "submitted"
)

// Length limits of statements, in characters.
const (
	StatementSummaryMax = 50000
	AnswerTextMax       = 20000
)

// Statement is one answer to a statement request: an organisation's, by
// one of its members, or a person's own.
type Statement struct {
	ID        int64 `json:"id" db:"id"`
	RequestID int64 `json:"request_id" db:"request_id"`
	// Organisation is who the statement speaks for; nil for a person's own.
	Organisation *OrganisationRef `json:"organisation" db:"-"`
	// AuthorName is the name of the person who submitted it (of a draft,
	// who saved it last); nil once their account is erased.
	AuthorName *string `json:"author_name" db:"author_name"`
	Summary    string  `json:"summary" db:"summary"`
	// Language is the language its summary and answers are written in
	// (ContentLanguages), for marking them on pages.
	Language    string            `json:"language" db:"language"`
	Answers     []StatementAnswer `json:"answers" db:"-"`
	Status      string            `json:"status" db:"status"`
	SubmittedAt *time.Time        `json:"submitted_at" db:"submitted_at"`
	CreatedAt   time.Time         `json:"created_at" db:"created_at"`
	UpdatedAt   time.Time         `json:"updated_at" db:"updated_at"`
}

// StatementAnswer is a statement's answer to one question: a position and
// the reasons for it.
type StatementAnswer struct {
	QuestionID int64  `json:"question_id" db:"question_id"`
	Position   string `json:"position" db:"position"`
	Text       string `json:"text" db:"text"`
}

// CheckWritable returns ECONFLICT for a submitted statement: it is final.
func (s *Statement) CheckWritable() error {
	if s.Status == StatementSubmitted {
		return Errorf(ECONFLICT, "The statement has been submitted: it is final.")
	}
	return nil
}

// StatementInput is what the author sends: who the statement is for (an
// organisation they are a member of, or nil for themselves), its summary
// and answers, the language they are written in, and whether to submit it
// now or keep it as a draft.
type StatementInput struct {
	OrganisationID *int64 `json:"organisation_id"`
	Summary        string `json:"summary"`
	// Language is one of ContentLanguages; when empty, the statement keeps
	// the language it had, and a new one takes its request's language.
	Language string            `json:"language"`
	Answers  []StatementAnswer `json:"answers"`
	Submit   bool              `json:"submit"`
}

// Validate trims and checks a statement against the request's questions:
// each answer names a question of it, once, with a known position; a
// statement submitted says something (a summary or an answer). An empty
// Language becomes fallback (the statement's own or its request's). The
// answers come back in the questions' order.
func (in *StatementInput) Validate(r *StatementRequest, fallback string) error {
	f := FieldErrors{}
	in.Summary = strings.TrimSpace(in.Summary)
	f.Text("summary", in.Summary, 0, StatementSummaryMax)
	if in.Language == "" {
		in.Language = fallback
	}
	checkContentLanguage(f, in.Language)
	if in.OrganisationID != nil && *in.OrganisationID < 1 {
		f.Add("organisation_id", RuleChoice, 0)
	}
	seen := map[int64]bool{}
	for i := range in.Answers {
		a := &in.Answers[i]
		name := "answers." + strconv.Itoa(i)
		a.Text = strings.TrimSpace(a.Text)
		switch {
		case r.Question(a.QuestionID) == nil:
			f.Add(name+".question_id", RuleChoice, 0)
		case seen[a.QuestionID]:
			f.Add(name+".question_id", RuleDuplicate, 0)
		}
		seen[a.QuestionID] = true
		if !slices.Contains(Positions, a.Position) {
			f.Add(name+".position", RuleChoice, 0)
		}
		f.Text(name+".text", a.Text, 0, AnswerTextMax)
	}
	if in.Submit && in.Summary == "" && len(in.Answers) == 0 {
		f.Add("summary", RuleRequired, 0)
	}
	if err := f.Err(); err != nil {
		return err
	}
	order := map[int64]int{}
	for _, q := range r.Questions {
		order[q.ID] = q.Position
	}
	slices.SortFunc(in.Answers, func(a, b StatementAnswer) int { return cmp.Compare(order[a.QuestionID], order[b.QuestionID]) })
	return nil
}

// PositionCounts count the answers to a question by position.
type PositionCounts struct {
	Support   int `json:"support"`
	Oppose    int `json:"oppose"`
	Neutral   int `json:"neutral"`
	NoComment int `json:"no_comment"`
}

// Of returns the count of position.
func (p PositionCounts) Of(position string) int {
	switch position {
	case PositionSupport:
		return p.Support
	case PositionOppose:
		return p.Oppose
	case PositionNeutral:
		return p.Neutral
	case PositionNoComment:
		return p.NoComment
	}
	return 0
}

func (p *PositionCounts) add(position string) {
	switch position {
	case PositionSupport:
		p.Support++
	case PositionOppose:
		p.Oppose++
	case PositionNeutral:
		p.Neutral++
	case PositionNoComment:
		p.NoComment++
	}
}

// Total is the number of answers counted.
func (p PositionCounts) Total() int { return p.Support + p.Oppose + p.Neutral + p.NoComment }

// StatementSummary is what came of a request: the answers to each question
// counted and listed, who was invited and did not answer, and the
// officials' account of how the answers were taken into account.
type StatementSummary struct {
	RequestID        int64             `json:"request_id"`
	Statements       int               `json:"statements"`
	Invited          int               `json:"invited"`
	InvitedResponded int               `json:"invited_responded"`
	NotResponded     []OrganisationRef `json:"not_responded"`
	Questions        []QuestionSummary `json:"questions"`
}

// QuestionSummary is one question's answers.
type QuestionSummary struct {
	QuestionID   int64          `json:"question_id"`
	Prompt       string         `json:"prompt"`
	CommitmentID *int64         `json:"commitment_id"`
	Positions    PositionCounts `json:"positions"`
	// Answers are every submitted answer, no_comment included, grouped by
	// the kind of organisation (in OrganisationKinds order, people for
	// themselves last), then by name.
	Answers  []SummaryAnswer `json:"answers"`
	Response *string         `json:"response"`
	Translatable
}

// SummaryAnswer is one statement's answer to a question, in the summary.
type SummaryAnswer struct {
	StatementID  int64            `json:"statement_id"`
	Organisation *OrganisationRef `json:"organisation"`
	AuthorName   *string          `json:"author_name"`
	Position     string           `json:"position"`
	Text         string           `json:"text"`
	Language     string           `json:"language"` // the statement's
}

// Summarise compiles the summary of request r from its submitted
// statements and its invited organisations.
func Summarise(r *StatementRequest, statements []*Statement, invited []OrganisationRef) *StatementSummary {
	sum := &StatementSummary{RequestID: r.ID, Statements: len(statements), Invited: len(invited),
		NotResponded: []OrganisationRef{}, Questions: []QuestionSummary{}}
	answered := map[int64]bool{}
	for _, s := range statements {
		if s.Organisation != nil {
			answered[s.Organisation.ID] = true
		}
	}
	for _, o := range invited {
		if answered[o.ID] {
			sum.InvitedResponded++
		} else {
			sum.NotResponded = append(sum.NotResponded, o)
		}
	}
	ordered := slices.Clone(statements)
	slices.SortStableFunc(ordered, compareAuthors)
	for _, q := range r.Questions {
		qs := QuestionSummary{QuestionID: q.ID, Prompt: q.Prompt, CommitmentID: q.CommitmentID, Response: q.Response,
			Translatable: q.Translatable, Answers: []SummaryAnswer{}}
		for _, s := range ordered {
			for _, a := range s.Answers {
				if a.QuestionID == q.ID {
					qs.Positions.add(a.Position)
					qs.Answers = append(qs.Answers, SummaryAnswer{StatementID: s.ID, Organisation: s.Organisation,
						AuthorName: s.AuthorName, Position: a.Position, Text: a.Text, Language: s.Language})
				}
			}
		}
		sum.Questions = append(sum.Questions, qs)
	}
	return sum
}

// compareAuthors orders statements by their organisation's kind (in
// OrganisationKinds order; people for themselves last), then name, then id.
func compareAuthors(a, b *Statement) int {
	rank := func(s *Statement) int {
		if s.Organisation == nil {
			return len(OrganisationKinds)
		}
		return slices.Index(OrganisationKinds, s.Organisation.Kind)
	}
	name := func(s *Statement) string {
		if s.Organisation == nil {
			return ""
		}
		return strings.ToLower(s.Organisation.Name)
	}
	return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(name(a), name(b)), cmp.Compare(a.ID, b.ID))
}

// CommitmentStatement is a submitted answer to a question that names a
// commitment, as the commitment shows it.
type CommitmentStatement struct {
	StatementID  int64            `json:"statement_id" db:"statement_id"`
	RequestID    int64            `json:"request_id" db:"request_id"`
	RequestTitle string           `json:"request_title" db:"request_title"`
	QuestionID   int64            `json:"question_id" db:"question_id"`
	Prompt       string           `json:"prompt" db:"prompt"`
	Organisation *OrganisationRef `json:"organisation" db:"-"`
	AuthorName   *string          `json:"author_name" db:"author_name"`
	Position     string           `json:"position" db:"position"`
	Text         string           `json:"text" db:"text"`
	Language     string           `json:"language" db:"language"` // the statement's
	SubmittedAt  time.Time        `json:"submitted_at" db:"submitted_at"`
}

// StatementService takes statements and compiles their summary.
type StatementService interface {
	// SaveStatement writes the signed-in account's statement on a request,
	// for itself or for an organisation it is a member of (EFORBIDDEN
	// otherwise): a draft, or submitted (then final: ECONFLICT after).
	// ECLOSED unless the request is open.
	SaveStatement(ctx context.Context, requestID int64, in StatementInput) (*Statement, error)
	// FindMyStatement returns the signed-in account's own statement on a
	// request, or, given an organisation it is a member of, the
	// organisation's; ENOTFOUND when there is none.
	FindMyStatement(ctx context.Context, requestID int64, organisationID *int64) (*Statement, error)
	// FindStatement returns a submitted statement (or a draft to whom may edit it).
	FindStatement(ctx context.Context, id int64) (*Statement, error)
	// FindStatements lists a request's submitted statements, first submitted first.
	FindStatements(ctx context.Context, requestID int64, limit, offset int) ([]*Statement, int, error)
	// SetQuestionResponse writes the officials' account of how a
	// question's answers were taken into account (officials).
	SetQuestionResponse(ctx context.Context, requestID, questionID int64, r QuestionResponse) (*StatementQuestion, error)
	// FindStatementSummary compiles a request's summary.
	FindStatementSummary(ctx context.Context, requestID int64) (*StatementSummary, error)
}
