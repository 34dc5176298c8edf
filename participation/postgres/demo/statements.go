package demo

import (
	"crypto/rand"
	"fmt"
	"time"

	"osallistu/participation"
)

// statementData is sql/demo/statements.json: the statement request of
// January–February 2017 on the ten drafts (lausuntopalvelu.fi), the
// organisations asked and those that answered, and the summary: the
// officials' account of how each question's answers were taken into account.
type statementData struct {
	RegisteredAt  time.Time                         `json:"registered_at"`
	PublishedAt   time.Time                         `json:"published_at"`
	SummarisedAt  time.Time                         `json:"summarised_at"`
	Request       participation.NewStatementRequest `json:"request"`
	Responses     []participation.QuestionResponse  `json:"responses"`
	Organisations []organisationData                `json:"organisations"`
}

// organisationData is an organisation with the member who writes for it,
// and its statement, if it gave one. Answers name questions by index.
type organisationData struct {
	participation.NewOrganisation
	Contact      string `json:"contact"`
	Municipality string `json:"municipality"`
	Invited      bool   `json:"invited"`
	Statement    *struct {
		Summary  string `json:"summary"`
		Language string `json:"language"` // empty: the request's
		Answers  []struct {
			Question int    `json:"question"`
			Position string `json:"position"`
			Text     string `json:"text"`
		} `json:"answers"`
	} `json:"statement"`
}

// statements registers the organisations, each with the member who writes
// for it, sends the request on the drafts, lets the statements come in
// before the deadline and, after it, writes the summary's responses.
func (l *loader) statements() error {
	var d statementData
	if err := decode("statements.json", &d); err != nil {
		return err
	}
	l.now = d.RegisteredAt
	orgIDs := make([]int64, len(d.Organisations))
	members := make([]*participation.Account, len(d.Organisations))
	for i, o := range d.Organisations {
		l.now = l.now.Add(3 * time.Minute)
		m := o.Municipality
		a, err := l.store.CreateAccount(l.ctx, participation.NewAccount{Email: fmt.Sprintf("lausunnot%02d@example.com", i+1),
			Password: rand.Text(), Name: o.Contact, Municipality: &m})
		if err != nil {
			return fmt.Errorf("member of %s: %w", o.Name, err)
		}
		org, err := l.store.CreateOrganisation(participation.NewContextWithAccount(l.ctx, a), o.NewOrganisation)
		if err != nil {
			return fmt.Errorf("organisation %s: %w", o.Name, err)
		}
		orgIDs[i], members[i] = org.ID, a
		if o.Invited {
			d.Request.InvitedOrganisationIDs = append(d.Request.InvitedOrganisationIDs, org.ID)
		}
	}
	d.Request.CommitmentIDs = l.draftIDs
	l.now = d.PublishedAt.Add(-time.Hour)
	r, err := l.store.CreateStatementRequest(l.official, Slug, d.Request)
	if err != nil {
		return err
	}
	l.now = d.PublishedAt
	if _, err := l.store.PublishStatementRequest(l.official, r.ID); err != nil {
		return err
	}
	step := d.Request.Deadline.Sub(d.PublishedAt) / time.Duration(len(d.Organisations)+1)
	for i, o := range d.Organisations {
		if o.Statement == nil {
			continue
		}
		l.now = d.PublishedAt.Add(time.Duration(i+1) * step)
		in := participation.StatementInput{OrganisationID: &orgIDs[i], Summary: o.Statement.Summary,
			Language: o.Statement.Language, Submit: true}
		for _, a := range o.Statement.Answers {
			in.Answers = append(in.Answers, participation.StatementAnswer{QuestionID: r.Questions[a.Question].ID, Position: a.Position, Text: a.Text})
		}
		if _, err := l.store.SaveStatement(participation.NewContextWithAccount(l.ctx, members[i]), r.ID, in); err != nil {
			return fmt.Errorf("statement of %s: %w", o.Name, err)
		}
	}
	l.now = d.SummarisedAt
	for i, resp := range d.Responses {
		if _, err := l.store.SetQuestionResponse(l.official, r.ID, r.Questions[i].ID, resp); err != nil {
			return fmt.Errorf("summary of question %d: %w", i+1, err)
		}
	}
	return nil
}
