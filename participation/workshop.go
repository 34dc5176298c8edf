package participation

import (
	"context"
	"crypto/rand"
	"math/big"
	"slices"
	"sort"
	"strings"
	"time"
)

// Workshop is a live session of a process: participants join on their
// phones with the join code and vote in its polls while a projector shows
// the tally.
type Workshop struct {
	ID        int64     `json:"id" db:"id"`
	ProcessID int64     `json:"process_id" db:"process_id"`
	Title     string    `json:"title" db:"title"`
	StartsAt  time.Time `json:"starts_at" db:"starts_at"`
	// JoinCode is shown to officials only (the API gives null to others): it
	// is meant for the people in the room, from the projector.
	JoinCode        *string   `json:"join_code" db:"join_code"`
	ShowResultsLive bool      `json:"show_results_live" db:"show_results_live"`
	CreatedAt       time.Time `json:"created_at" db:"created_at"`
	Polls           []*Poll   `json:"polls" db:"-"`
	ProcessSlug     string    `json:"-" db:"process_slug"`
	ProcessTitle    string    `json:"-" db:"process_title"`
}

// Status is the workshop's status on the process timeline: open while any
// poll is open, upcoming until a poll has opened, closed afterwards.
func (w *Workshop) Status() string {
	status := StatusUpcoming
	for _, p := range w.Polls {
		switch p.Status {
		case PollOpen:
			return StatusOpen
		case PollClosed:
			status = StatusClosed
		}
	}
	return status
}

// NewWorkshop is what an official gives to add a workshop to a process.
type NewWorkshop struct {
	Title    string     `json:"title"`
	StartsAt *time.Time `json:"starts_at"`
	// ShowResultsLive defaults to true: the bars move as votes come in.
	ShowResultsLive *bool `json:"show_results_live"`
}

// Validate checks a new workshop.
func (n *NewWorkshop) Validate() error {
	n.Title = strings.TrimSpace(n.Title)
	f := FieldErrors{}
	f.Text("title", n.Title, 1, 200)
	if n.StartsAt == nil {
		f.Add("starts_at", RuleRequired, 0)
	}
	return f.Err()
}

// WorkshopUpdate changes a workshop's settings; nil fields stay as they are.
type WorkshopUpdate struct {
	ShowResultsLive *bool `json:"show_results_live"`
}

// Join codes: six characters of A–Z and 2–9 without O, I and L (and without
// 0 and 1), so that a code read from a projector across a room cannot be
// mistaken; joining ignores case.
const (
	JoinCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
	JoinCodeLength   = 6
)

// NewJoinCode returns a random join code. Uniqueness is the store's job
// (it tries again on a clash); 31⁶ ≈ 887 million codes make clashes rare.
func NewJoinCode() (string, error) {
	b := make([]byte, JoinCodeLength)
	max := big.NewInt(int64(len(JoinCodeAlphabet)))
	for i := range b {
		n, err := rand.Int(rand.Reader, max)
		if err != nil {
			return "", err
		}
		b[i] = JoinCodeAlphabet[n.Int64()]
	}
	return string(b), nil
}

// NormalizeJoinCode upper-cases a typed code and drops the spaces and
// hyphens people put in to read it more easily. It reports whether the
// result can be a join code at all.
func NormalizeJoinCode(code string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(code) {
		switch {
		case r == ' ' || r == '-' || r == '\t':
		case r < 128 && strings.IndexByte(JoinCodeAlphabet, byte(r)) >= 0:
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	s := b.String()
	return s, len(s) == JoinCodeLength
}

// Poll statuses: a poll is created as a draft, opened for voting and closed.
const (
	PollDraft  = "draft"
	PollOpen   = "open"
	PollClosed = "closed"
)

// Poll is one question of a workshop: pick up to MaxChoices options.
type Poll struct {
	ID          int64        `json:"id" db:"id"`
	WorkshopID  int64        `json:"workshop_id" db:"workshop_id"`
	Question    string       `json:"question" db:"question"`
	MaxChoices  int          `json:"max_choices" db:"max_choices"`
	Status      string       `json:"status" db:"status"`
	Position    int          `json:"position" db:"position"`
	IdeaRoundID *int64       `json:"idea_round_id" db:"idea_round_id"`
	OpenedAt    *time.Time   `json:"opened_at" db:"opened_at"`
	ClosedAt    *time.Time   `json:"closed_at" db:"closed_at"`
	Options     []PollOption `json:"options" db:"-"`
}

// PollOption is one choice of a poll; options made from an idea round's
// themes carry the theme, so that the result feeds back to it.
type PollOption struct {
	ID      int64  `json:"id" db:"id"`
	PollID  int64  `json:"-" db:"poll_id"`
	Label   string `json:"label" db:"label"`
	ThemeID *int64 `json:"theme_id" db:"theme_id"`
}

// Poll limits.
const (
	QuestionMax    = 500
	OptionLabelMax = 200
	PollOptionsMax = 50
)

// NewPollOption is one typed option of a new poll.
type NewPollOption struct {
	Label string `json:"label"`
}

// NewPoll is what an official gives to add a poll: typed options, or
// OptionsFromIdeaRound to make one option per theme of that round (the
// store fills Themes from it before Validate).
type NewPoll struct {
	Question             string          `json:"question"`
	MaxChoices           *int            `json:"max_choices"`
	Options              []NewPollOption `json:"options"`
	OptionsFromIdeaRound *int64          `json:"options_from_idea_round"`
	// Themes are the round's themes, filled by the store.
	Themes []*Theme `json:"-"`
}

// Validate checks a new poll. With OptionsFromIdeaRound, the store has put
// the round's themes in Themes first.
func (n *NewPoll) Validate() error {
	n.Question = strings.TrimSpace(n.Question)
	f := FieldErrors{}
	f.Text("question", n.Question, 1, QuestionMax)
	count := len(n.Options)
	switch {
	case n.OptionsFromIdeaRound != nil && len(n.Options) > 0:
		f.Add("options", RuleChoice, 0) // one or the other, not both
	case n.OptionsFromIdeaRound != nil:
		count = len(n.Themes)
		if count < 2 {
			f.Add("options_from_idea_round", RuleMinChoices, 2)
		} else if count > PollOptionsMax {
			f.Add("options_from_idea_round", RuleMaxChoices, PollOptionsMax)
		}
	case count == 0:
		f.Add("options", RuleRequired, 0)
	case count < 2:
		f.Add("options", RuleMinChoices, 2)
	case count > PollOptionsMax:
		f.Add("options", RuleMaxChoices, PollOptionsMax)
	default:
		seen := map[string]bool{}
		for i := range n.Options {
			n.Options[i].Label = strings.TrimSpace(n.Options[i].Label)
			l := n.Options[i].Label
			f.Text("options", l, 1, OptionLabelMax)
			if seen[strings.ToLower(l)] {
				f.Add("options", RuleDuplicate, 0)
			}
			seen[strings.ToLower(l)] = true
		}
	}
	switch {
	case n.MaxChoices == nil:
		f.Add("max_choices", RuleRequired, 0)
	case *n.MaxChoices < 1:
		f.Add("max_choices", RuleMinChoices, 1)
	case count >= 2 && *n.MaxChoices > count:
		f.Add("max_choices", RuleMaxChoices, count)
	}
	return f.Err()
}

// Rules of polls and ballots, beyond the common ones of errors.go.
const (
	RuleMinChoices = "min_choices" // fewer items than the limit
	RuleMaxChoices = "max_choices" // more items than the limit
	RuleDuplicate  = "duplicate"   // the same item twice
)

// Ballot is one participant's standing choice in a poll; a later ballot
// replaces the earlier.
type Ballot struct {
	PollID    int64   `json:"poll_id"`
	OptionIDs []int64 `json:"option_ids"`
}

// Validate checks a ballot against its poll: at least one option, at most
// MaxChoices, none twice, every one the poll's own. Whether the poll is open
// is checked before this (state before content).
func (b *Ballot) Validate(p *Poll) error {
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

// CheckOpen returns ECLOSED unless the poll takes ballots.
func (p *Poll) CheckOpen() error {
	switch p.Status {
	case PollOpen:
		return nil
	case PollDraft:
		return Errorf(ECLOSED, "The poll has not opened yet.")
	}
	return Errorf(ECLOSED, "The poll has closed.")
}

// NextStatus returns the status a poll moves to from its current one when
// an official opens (to = PollOpen) or closes it: draft → open → closed,
// repeating a step is harmless, and a closed poll stays closed so that its
// result stands. changed is false when the poll is there already.
func (p *Poll) NextStatus(to string) (changed bool, err error) {
	switch {
	case p.Status == to:
		return false, nil
	case to == PollOpen && p.Status == PollDraft, to == PollClosed && p.Status == PollOpen:
		return true, nil
	case to == PollOpen:
		return false, Errorf(ECONFLICT, "A closed poll cannot be opened again.")
	}
	return false, Errorf(ECONFLICT, "A poll that has not opened cannot be closed.")
}

// NewParticipant is what a person gives to join a workshop: the code and,
// if they like, a name and a municipality.
type NewParticipant struct {
	Code         string  `json:"code"`
	Name         *string `json:"name"`
	Municipality *string `json:"municipality"`
}

// Validate checks the optional fields and normalises the code; an empty code
// is invalid, a code that matches no workshop is the store's ENOTFOUND.
func (n *NewParticipant) Validate() error {
	f := FieldErrors{}
	code, _ := NormalizeJoinCode(n.Code)
	if strings.TrimSpace(n.Code) == "" {
		f.Add("code", RuleRequired, 0)
	}
	n.Code = code
	n.Name = trimOptional(n.Name)
	if n.Name != nil {
		f.Text("name", *n.Name, 1, NameMax)
	}
	n.Municipality = normalizeMunicipality(f, "municipality", n.Municipality)
	return f.Err()
}

// Participant is a person who joined a workshop. Token is set only in the
// answer to joining; the store keeps its hash.
type Participant struct {
	ID           int64   `json:"-" db:"id"`
	WorkshopID   int64   `json:"workshop_id" db:"workshop_id"`
	Token        string  `json:"participant_token" db:"-"`
	Name         *string `json:"name" db:"name"`
	Municipality *string `json:"municipality" db:"municipality"`
}

// Tally is a poll's result counted from its ballots, as the API and the
// live frames give it. AsOf is a time before the count's snapshot was taken:
// every ballot answered before AsOf is in it.
type Tally struct {
	PollID          int64         `json:"poll_id" db:"poll_id"`
	WorkshopID      int64         `json:"workshop_id" db:"workshop_id"`
	Question        string        `json:"question" db:"question"`
	MaxChoices      int           `json:"max_choices" db:"max_choices"`
	Status          string        `json:"status" db:"status"`
	Position        int           `json:"position" db:"position"`
	Ballots         int           `json:"ballots" db:"ballots"`
	ShowResultsLive bool          `json:"show_results_live" db:"show_results_live"`
	OpenedAt        *time.Time    `json:"opened_at" db:"opened_at"`
	ClosedAt        *time.Time    `json:"closed_at" db:"closed_at"`
	AsOf            time.Time     `json:"as_of" db:"-"`
	Options         []TallyOption `json:"options" db:"-"`
}

// TallyOption is one option's votes.
type TallyOption struct {
	ID      int64  `json:"id" db:"id"`
	Label   string `json:"label" db:"label"`
	ThemeID *int64 `json:"theme_id" db:"theme_id"`
	Votes   int    `json:"votes" db:"votes"`
}

// Ranks returns each option's rank by votes, in the options' order: 1 is the
// most votes and ties share a rank (1, 2, 2, 4).
func (t *Tally) Ranks() []int {
	votes := make([]int, len(t.Options))
	for i, o := range t.Options {
		votes[i] = o.Votes
	}
	return Ranks(votes)
}

// Ranks ranks counts, most first, ties sharing a rank (1, 2, 2, 4), in the
// counts' order.
func Ranks(counts []int) []int {
	sorted := slices.Clone(counts)
	sort.Sort(sort.Reverse(sort.IntSlice(sorted)))
	ranks := make([]int, len(counts))
	for i, c := range counts {
		ranks[i] = sort.Search(len(sorted), func(j int) bool { return sorted[j] <= c }) + 1
	}
	return ranks
}

// TallyFilter selects the polls to count: these polls, and every poll of
// these workshops.
type TallyFilter struct {
	PollIDs     []int64
	WorkshopIDs []int64
}

// ThemePollResult is how a theme fared in one closed poll of a workshop.
type ThemePollResult struct {
	PollID   int64  `json:"poll_id" db:"poll_id"`
	Question string `json:"question" db:"question"`
	OptionID int64  `json:"option_id" db:"option_id"`
	Votes    int    `json:"votes" db:"votes"`
	Rank     int    `json:"rank" db:"rank"`
}

// IdeaRoundRef names an idea round that a poll can take its options from.
type IdeaRoundRef struct {
	ID     int64  `json:"id" db:"id"`
	Title  string `json:"title" db:"title"`
	Themes int    `json:"themes" db:"themes"`
}

// PollChange tells that a poll changed (created, opened, closed, ballots);
// PollID 0 means the whole workshop changed (its settings). The store
// publishes one per change to every server instance.
type PollChange struct {
	WorkshopID int64
	PollID     int64
}

// WorkshopService runs workshops, their polls, participants and ballots.
type WorkshopService interface {
	// CreateWorkshop adds a workshop with a fresh join code to a process (officials).
	CreateWorkshop(ctx context.Context, processSlug string, n NewWorkshop) (*Workshop, error)
	// FindWorkshop returns a workshop with its polls; the join code only for officials.
	FindWorkshop(ctx context.Context, id int64) (*Workshop, error)
	// FindWorkshops lists a process's workshops, earliest first, with their polls.
	FindWorkshops(ctx context.Context, processID int64) ([]*Workshop, error)
	// UpdateWorkshop changes a workshop's settings (officials).
	UpdateWorkshop(ctx context.Context, id int64, u WorkshopUpdate) (*Workshop, error)
	// FindIdeaRoundRefs lists the idea rounds of a workshop's process, for polls made of themes.
	FindIdeaRoundRefs(ctx context.Context, workshopID int64) ([]IdeaRoundRef, error)

	// CreatePoll adds a draft poll to a workshop (officials).
	CreatePoll(ctx context.Context, workshopID int64, n NewPoll) (*Poll, error)
	// FindPoll returns a poll with its options.
	FindPoll(ctx context.Context, id int64) (*Poll, error)
	// OpenPoll opens a draft poll for ballots (officials).
	OpenPoll(ctx context.Context, id int64) (*Poll, error)
	// ClosePoll closes an open poll; ballots after it get ECLOSED (officials).
	ClosePoll(ctx context.Context, id int64) (*Poll, error)

	// JoinWorkshop makes a participant of the workshop with the code; ENOTFOUND for an unknown code.
	JoinWorkshop(ctx context.Context, n NewParticipant) (*Participant, error)
	// FindParticipant returns the participant of a token; EUNAUTHENTICATED when there is none.
	FindParticipant(ctx context.Context, token string) (*Participant, error)
	// CastBallot records (or replaces) the token's participant's ballot:
	// EUNAUTHENTICATED without a known token, ENOTFOUND for no such poll,
	// EFORBIDDEN for another workshop's participant, ECLOSED unless the poll
	// is open, EINVALID for a ballot that breaks the poll's rules.
	CastBallot(ctx context.Context, pollID int64, token string, b Ballot) (*Ballot, error)
	// FindBallots returns the token's participant's standing ballots by poll.
	FindBallots(ctx context.Context, token string) (map[int64][]int64, error)

	// FindTally counts one poll's ballots.
	FindTally(ctx context.Context, pollID int64) (*Tally, error)
	// FindTallies counts several polls' ballots in one snapshot, ordered by workshop and position.
	FindTallies(ctx context.Context, f TallyFilter) ([]*Tally, error)
	// FindClosedTallies returns the results of every closed poll of a process's workshops.
	FindClosedTallies(ctx context.Context, processID int64) ([]*Tally, error)
	// FindThemeResults returns, for each theme of an idea round, its votes
	// and rank in every closed poll that had it as an option.
	FindThemeResults(ctx context.Context, roundID int64) (map[int64][]ThemePollResult, error)
}
