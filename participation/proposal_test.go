package participation

import (
	"strings"
	"testing"
	"time"
)

func TestNewProposalValidate(t *testing.T) {
	for _, c := range []struct {
		body string
		ok   bool
	}{
		{"Avoin data", true},
		{"  ", false},
		{"", false},
		{strings.Repeat("ä", ProposalMax), true},
		{strings.Repeat("ä", ProposalMax+1), false},
	} {
		n := NewProposal{Body: c.body}
		if err := n.Validate(); (err == nil) != c.ok {
			t.Errorf("Validate(%d characters) = %v, want ok %v", len([]rune(c.body)), err, c.ok)
		}
	}
}

func TestCheckProposalPace(t *testing.T) {
	for _, c := range []struct {
		lastMinute, inCollection int
		want                     string
	}{
		{0, 0, ""},
		{ProposalsPerMinute - 1, 0, ""},
		{ProposalsPerMinute, 0, ERATELIMITED},
		{0, ProposalsPerCollection - 1, ""},
		{0, ProposalsPerCollection, ERATELIMITED},
	} {
		if got := ErrorCode(CheckProposalPace(c.lastMinute, c.inCollection)); got != c.want {
			t.Errorf("CheckProposalPace(%d, %d) = %q, want %q", c.lastMinute, c.inCollection, got, c.want)
		}
	}
}

func TestProposalChecks(t *testing.T) {
	now, id := time.Now(), int64(3)
	open := &Collection{WorkshopID: 1, Status: CollectionOpen}
	if err := open.CheckOpen(); err != nil {
		t.Error(err)
	}
	if got := ErrorCode((&Collection{Status: CollectionClosed}).CheckOpen()); got != ECLOSED {
		t.Errorf("closed collection: %q", got)
	}
	if got := ErrorCode((&Participant{WorkshopID: 2}).CheckCollection(open)); got != EFORBIDDEN {
		t.Errorf("another workshop's participant: %q", got)
	}
	for _, c := range []struct {
		name         string
		p            Proposal
		toCommitment string
		toSurvey     string
	}{
		{"fresh", Proposal{}, "", ""},
		{"hidden", Proposal{HiddenAt: &now}, ECONFLICT, ECONFLICT},
		{"taken to a commitment", Proposal{CommitmentID: &id}, ECONFLICT, ""},
		{"a survey item", Proposal{SurveyItemID: &id}, "", ECONFLICT},
	} {
		if got := ErrorCode(c.p.CheckToCommitment()); got != c.toCommitment {
			t.Errorf("%s: CheckToCommitment = %q", c.name, got)
		}
		if got := ErrorCode(c.p.CheckToSurveyItem()); got != c.toSurvey {
			t.Errorf("%s: CheckToSurveyItem = %q", c.name, got)
		}
	}
	for _, c := range []PollChange{{WorkshopID: 4, Wall: true}, {WorkshopID: 4, PollID: 2}, {WorkshopID: 4, Joined: true}} {
		if got, err := ParsePollChange(c.Encode()); err != nil || got != c {
			t.Errorf("ParsePollChange(%q) = %+v, %v", c.Encode(), got, err)
		}
	}
}
