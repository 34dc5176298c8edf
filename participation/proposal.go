package participation

// The idea wall of a workshop: besides polls, an official opens "collect"
// activities (collections), one per theme; participants send short
// proposals to them from their phones, with the join code's participant
// token, and support each other's, one support each. The projector shows
// the wall live, grouped by collection, through the same hub as the
// tallies (a PollChange with Wall set: server/live/wall.go). The official
// hides a proposal at once (it leaves the wall, and is kept with the reason
// for the moderation log) and takes chosen ones forward as draft
// commitments or as items of a two-axis survey question, keeping the link.

import (
	"context"
	"strings"
	"time"
)

// KindProposal is a proposal's kind in the moderation log, where hiding
// one is kept with the ideas' and comments' actions.
const KindProposal = "proposal"

// Collection states: participants send proposals while it is open.
const (
	CollectionOpen   = "open"
	CollectionClosed = "closed"
)

// Limits of the wall: a proposal fits on a projector's card; a participant
// sends at most ProposalsPerMinute a minute and ProposalsPerCollection to
// one collection, so that one phone cannot fill the wall.
const (
	ProposalMax            = 280
	ProposalsPerMinute     = 5
	ProposalsPerCollection = 20
	CollectionTitleMax     = 200
	HideReasonMax          = 500
)

// Collection is a "collect" activity of a workshop: proposals under one
// theme (or a title of the official's own).
type Collection struct {
	ID         int64       `json:"id" db:"id"`
	WorkshopID int64       `json:"workshop_id" db:"workshop_id"`
	ThemeID    *int64      `json:"theme_id" db:"theme_id"`
	Title      string      `json:"title" db:"title"`
	Status     string      `json:"status" db:"status"`
	CreatedAt  time.Time   `json:"created_at" db:"created_at"`
	ClosedAt   *time.Time  `json:"closed_at" db:"closed_at"`
	Proposals  []*Proposal `json:"proposals" db:"-"`
}

// CheckOpen returns ECLOSED unless proposals and supports may come in.
func (c *Collection) CheckOpen() error {
	if c.Status != CollectionOpen {
		return Errorf(ECLOSED, "This collection has closed.")
	}
	return nil
}

// NewCollection is what an official gives to open a collection: a theme of
// the process, whose title it takes, or a title, or both.
type NewCollection struct {
	Title   string `json:"title"`
	ThemeID *int64 `json:"theme_id"`
}

// Validate checks a new collection once the store has put the theme's
// title in where none was given.
func (n *NewCollection) Validate() error {
	n.Title = strings.TrimSpace(n.Title)
	f := FieldErrors{}
	f.Text("title", n.Title, 1, CollectionTitleMax)
	return f.Err()
}

// Proposal is one participant's short proposal on a workshop's wall.
// Hidden ones are shown to officials only, with the reason.
type Proposal struct {
	ID           int64      `json:"id" db:"id"`
	CollectionID int64      `json:"collection_id" db:"collection_id"`
	WorkshopID   int64      `json:"workshop_id" db:"workshop_id"`
	Body         string     `json:"body" db:"body"`
	Supports     int        `json:"supports" db:"supports"`
	CreatedAt    time.Time  `json:"created_at" db:"created_at"`
	HiddenAt     *time.Time `json:"hidden_at" db:"hidden_at"`
	HiddenReason *string    `json:"hidden_reason" db:"hidden_reason"`
	CommitmentID *int64     `json:"commitment_id" db:"commitment_id"`
	SurveyItemID *int64     `json:"survey_item_id" db:"survey_item_id"`
}

// IsHidden reports whether an official took the proposal off the wall.
func (p *Proposal) IsHidden() bool { return p.HiddenAt != nil }

// NewProposal is what a participant sends to a collection.
type NewProposal struct {
	Body string `json:"body"`
}

// Validate checks a proposal's text: one to ProposalMax characters.
func (n *NewProposal) Validate() error {
	n.Body = strings.TrimSpace(n.Body)
	f := FieldErrors{}
	f.Text("body", n.Body, 1, ProposalMax)
	return f.Err()
}

// CheckProposalPace returns ERATELIMITED when a participant who sent
// lastMinute proposals in the last minute, and inCollection to this
// collection, may send no more now.
func CheckProposalPace(lastMinute, inCollection int) error {
	switch {
	case inCollection >= ProposalsPerCollection:
		return Errorf(ERATELIMITED, "You have sent %d proposals to this collection, which is as many as one person may.", ProposalsPerCollection)
	case lastMinute >= ProposalsPerMinute:
		return Errorf(ERATELIMITED, "Too many proposals at once: wait a minute.")
	}
	return nil
}

// CheckCollection returns EFORBIDDEN unless the participant belongs to
// the collection's workshop: the wall takes the room's proposals only.
func (p *Participant) CheckCollection(c *Collection) error {
	if c.WorkshopID != p.WorkshopID {
		return Errorf(EFORBIDDEN, "You joined another workshop.")
	}
	return nil
}

// ProposalHide is the official's reason for hiding a proposal, kept for
// the moderation log.
type ProposalHide struct {
	Reason string `json:"reason"`
}

// Validate checks the reason: required, at most HideReasonMax.
func (h *ProposalHide) Validate() error {
	h.Reason = strings.TrimSpace(h.Reason)
	f := FieldErrors{}
	f.Text("reason", h.Reason, 1, HideReasonMax)
	return f.Err()
}

// ProposalToCommitment takes a proposal forward as a draft commitment: to
// the existing draft CommitmentID of the process, or to a new draft titled
// by the proposal when it is nil.
type ProposalToCommitment struct {
	CommitmentID *int64 `json:"commitment_id"`
}

// ProposalToSurveyItem puts a proposal as an item of a two-axis (grid2d)
// question of a survey that has not opened yet.
type ProposalToSurveyItem struct {
	QuestionID int64 `json:"question_id"`
}

// CheckForward returns ECONFLICT for a proposal that may not be taken
// forward: a hidden one.
func (p *Proposal) CheckForward() error {
	if p.IsHidden() {
		return Errorf(ECONFLICT, "A hidden proposal cannot be taken forward.")
	}
	return nil
}

// CheckToCommitment returns ECONFLICT for a proposal that may not be taken
// to a commitment: a hidden one, or one already taken to one.
func (p *Proposal) CheckToCommitment() error {
	if p.CommitmentID != nil {
		return Errorf(ECONFLICT, "This proposal has already been taken to a commitment.")
	}
	return p.CheckForward()
}

// CheckToSurveyItem returns ECONFLICT for a proposal that may not be put
// to a survey: a hidden one, or one that is already an item.
func (p *Proposal) CheckToSurveyItem() error {
	if p.SurveyItemID != nil {
		return Errorf(ECONFLICT, "This proposal is already a survey item.")
	}
	return p.CheckForward()
}

// Wall is a workshop's idea wall: its collections, oldest first, each with
// its proposals on the wall, most supported first.
type Wall struct {
	WorkshopID  int64         `json:"workshop_id"`
	Collections []*Collection `json:"collections"`
}

// ProposalSource names the workshop proposal a commitment was taken from,
// for its trace: "from the workshop of 23.11.2016".
type ProposalSource struct {
	ProposalID    int64     `json:"proposal_id" db:"proposal_id"`
	Body          string    `json:"body" db:"body"`
	WorkshopID    int64     `json:"workshop_id" db:"workshop_id"`
	WorkshopTitle string    `json:"workshop_title" db:"workshop_title"`
	WorkshopDate  time.Time `json:"workshop_starts_at" db:"workshop_starts_at"`
}

// ProposalService runs workshops' idea walls.
type ProposalService interface {
	// CreateCollection opens a collection in a workshop (officials);
	// ECLOSED once the workshop has ended, EINVALID for a theme of another process.
	CreateCollection(ctx context.Context, workshopID int64, n NewCollection) (*Collection, error)
	// CloseCollection closes a collection to new proposals and supports (officials).
	CloseCollection(ctx context.Context, id int64) (*Collection, error)
	// FindWall returns a workshop's wall: hidden proposals only for officials.
	FindWall(ctx context.Context, workshopID int64) (*Wall, error)
	// FindWalls returns the walls of these workshops as everyone sees them,
	// for the live hub; a workshop without collections has none.
	FindWalls(ctx context.Context, workshopIDs []int64) ([]*Wall, error)
	// SubmitProposal adds the token's participant's proposal to a
	// collection, checking in this order: EUNAUTHENTICATED without a known
	// token, ENOTFOUND, EFORBIDDEN for another workshop's participant,
	// ECLOSED unless open, EINVALID for its text, ERATELIMITED past the pace.
	SubmitProposal(ctx context.Context, collectionID int64, token string, n NewProposal) (*Proposal, error)
	// SupportProposal adds the token's participant's support, once: a
	// second changes nothing. The same checks as SubmitProposal's; a
	// hidden proposal is ENOTFOUND.
	SupportProposal(ctx context.Context, proposalID int64, token string) (*Proposal, error)
	// HideProposal takes a proposal off the wall at once (officials).
	HideProposal(ctx context.Context, id int64, h ProposalHide) (*Proposal, error)
	// ProposalToCommitment takes a proposal to a draft commitment (officials).
	ProposalToCommitment(ctx context.Context, id int64, to ProposalToCommitment) (*Proposal, error)
	// ProposalToSurveyItem adds a proposal as an item of a grid2d question
	// of a draft survey of the same process (officials).
	ProposalToSurveyItem(ctx context.Context, id int64, to ProposalToSurveyItem) (*Proposal, error)
	// FindProposalSources lists the workshop proposals a commitment was taken from.
	FindProposalSources(ctx context.Context, commitmentID int64) ([]ProposalSource, error)
}
