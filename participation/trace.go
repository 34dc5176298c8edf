package participation

import "context"

// Ways a commitment was fed by an idea: the idea itself is a source, or the
// idea's theme is.
const (
	ViaIdea  = "idea"
	ViaTheme = "theme"
)

// TracePoll is how an idea's theme fared in one workshop poll.
type TracePoll struct {
	PollID        int64  `json:"poll_id" db:"poll_id"`
	Question      string `json:"question" db:"question"`
	OptionID      int64  `json:"option_id" db:"option_id"`
	Votes         int    `json:"votes" db:"votes"`
	Rank          int    `json:"rank" db:"rank"` // 1 for the most votes; ties share a rank
	Options       int    `json:"options" db:"options"`
	Status        string `json:"status" db:"status"`
	WorkshopID    int64  `json:"workshop_id" db:"workshop_id"`
	WorkshopTitle string `json:"workshop_title" db:"workshop_title"`
	// Translatable is the question's; WorkshopTexts the workshop title's.
	Translatable
	WorkshopTexts Translatable `json:"-" db:"workshop"`
}

// TraceCommitment is a commitment that an idea fed, or the one a merged
// commitment it fed ended in.
type TraceCommitment struct {
	ID         int64  `json:"id" db:"id"`
	Title      string `json:"title" db:"title"`
	Status     string `json:"status" db:"status"`
	Via        string `json:"via" db:"-"`
	MergedInto *int64 `json:"merged_into" db:"merged_into"`
	// EndedIn is, for a merged commitment, the one its merges ended in.
	EndedIn *int64 `json:"ended_in" db:"-"`
	// Completion is the IRM level of a commitment that was not merged.
	Completion string `json:"completion" db:"-"`
	// Translatable is the title's.
	Translatable
}

// Trace is the path from an idea to what became of it: its theme, the
// theme's ranks in the workshop polls, the commitments it fed (following
// merges to where they ended) and their milestones.
type Trace struct {
	Idea        *Idea             `json:"idea"`
	Theme       *SourceRef        `json:"theme"`
	Polls       []TracePoll       `json:"polls"`
	Commitments []TraceCommitment `json:"commitments"`
	Milestones  []Milestone       `json:"milestones"`
}

// AddCommitment puts c, which the idea fed via ViaIdea or ViaTheme, in the
// trace's commitments once: a commitment fed both ways counts as fed via
// the idea.
func (tr *Trace) AddCommitment(c TraceCommitment, via string) {
	if i := tr.find(c.ID); i >= 0 {
		if via == ViaIdea {
			tr.Commitments[i].Via = via
		}
		return
	}
	c.Via = via
	tr.Commitments = append(tr.Commitments, c)
}

// AddEnd records that the fed commitment fedID (added already) was merged,
// its merges ending in end, which joins the trace as fed the same way.
func (tr *Trace) AddEnd(fedID int64, end TraceCommitment) {
	i := tr.find(fedID)
	endID := end.ID
	tr.Commitments[i].EndedIn = &endID
	tr.AddCommitment(end, tr.Commitments[i].Via)
}

// SetMilestones puts in the trace the milestones of the commitments the
// idea's commitments ended in, and with them the completion of each
// commitment that was not merged.
func (tr *Trace) SetMilestones(ms []Milestone) {
	tr.Milestones = append(tr.Milestones[:0], ms...)
	byCommitment := map[int64][]Milestone{}
	for _, m := range ms {
		byCommitment[m.CommitmentID] = append(byCommitment[m.CommitmentID], m)
	}
	for i, c := range tr.Commitments {
		if c.MergedInto == nil {
			tr.Commitments[i].Completion = CompletionOf(byCommitment[c.ID])
		}
	}
}

// find returns the place of commitment id in the trace, or -1.
func (tr *Trace) find(id int64) int {
	for i, c := range tr.Commitments {
		if c.ID == id {
			return i
		}
	}
	return -1
}

// TraceService follows an idea to what became of it.
type TraceService interface {
	// FindTrace returns what became of an idea.
	FindTrace(ctx context.Context, ideaID int64) (*Trace, error)
}
