package participation

// The path of a ballot, from the phone to every projector:
//
//	ballot → NOTIFY PollChange → listener → hub.recount → frame
//
// validated here (Ballot.Validate, after Poll.CheckOpen: state before
// content); stored by the store's CastBallot (participation/postgres/ballot.go),
// whose statement also announces it (announceBallot: pg_notify on
// postgres.PollChannel with a PollChange, sent on commit); heard by every
// instance's postgres.Listener; recounted by the hub (server/live/hub.go,
// Hub.recount) and broadcast to the workshop's subscribers as one prepared
// frame per audience.

import (
	"context"
	"slices"
)

// Ballot is one participant's standing choice in a poll; a later ballot
// replaces the earlier.
type Ballot struct {
	PollID    int64   `json:"poll_id"`
	OptionIDs []int64 `json:"option_ids"`
	// ContentErr, when set, is why the ballot's content could not be read
	// (a malformed body, a form's bad ids). It is Validate's answer: the
	// content is looked at only after who votes and the poll's state, so a
	// ballot for a closed poll is told that it is closed whatever it holds.
	ContentErr error `json:"-"`
}

// Validate checks a ballot against its poll: readable (ContentErr), at
// least one option, at most MaxChoices, none twice, every one the poll's
// own. Whether the poll is open is checked before this (state before
// content).
func (b *Ballot) Validate(p *Poll) error {
	if b.ContentErr != nil {
		return b.ContentErr
	}
	f := FieldErrors{}
	switch {
	case len(b.OptionIDs) == 0:
		f.Add("option_ids", RuleRequired, 0)
	case len(b.OptionIDs) > p.MaxChoices:
		f.Add("option_ids", RuleMaxChoices, p.MaxChoices)
	}
	seen := make(map[int64]bool, len(b.OptionIDs))
	for _, id := range b.OptionIDs {
		if seen[id] {
			f.Add("option_ids", RuleDuplicate, 0)
		}
		seen[id] = true
		if !slices.ContainsFunc(p.Options, func(o PollOption) bool { return o.ID == id }) {
			f.Add("option_ids", RuleChoice, 0)
		}
	}
	return f.Err()
}

// BallotService takes participants' ballots.
type BallotService interface {
	// CastBallot records (or replaces) the token's participant's ballot,
	// checking in this order: EUNAUTHENTICATED without a known token,
	// ENOTFOUND for no such poll, EFORBIDDEN for another workshop's
	// participant, ECLOSED unless the poll is open, then the content:
	// b.ContentErr, or EINVALID for a ballot that breaks the poll's rules.
	CastBallot(ctx context.Context, pollID int64, token string, b Ballot) (*Ballot, error)
	// FindBallots returns the token's participant's standing ballots by poll.
	FindBallots(ctx context.Context, token string) (map[int64][]int64, error)
}
