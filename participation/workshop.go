package participation

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"math/big"
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
	// EndsAt is when the workshop ends by itself, if the official gave a time.
	EndsAt *time.Time `json:"ends_at" db:"ends_at"`
	// EndedAt is when the official ended the workshop, until it is reopened.
	EndedAt *time.Time `json:"ended_at" db:"ended_at"`
	// State is the workshop's state when it was loaded (StateAt): upcoming,
	// running or ended.
	State string `json:"state" db:"-"`
	// JoinCode is shown to officials only (the API gives null to others): it
	// is meant for the people in the room, from the projector.
	JoinCode        *string `json:"join_code" db:"join_code"`
	ShowResultsLive bool    `json:"show_results_live" db:"show_results_live"`
	// RequireAccount lets only signed-in people join: each account is one
	// participant, however often it joins.
	RequireAccount bool `json:"require_account" db:"require_account"`
	// JoiningOpen is whether new participants may join; the official closes
	// it once the room is in.
	JoiningOpen  bool      `json:"joining_open" db:"joining_open"`
	CreatedAt    time.Time `json:"created_at" db:"created_at"`
	Polls        []*Poll   `json:"polls" db:"-"`
	ProcessSlug  string    `json:"-" db:"process_slug"`
	ProcessTitle string    `json:"-" db:"process_title"`
	// ProcessTexts are the process title's language and translations.
	ProcessTexts Translatable `json:"-" db:"process"`
	Translatable
}

// Workshop states: a workshop is upcoming before its start, running, and
// ended after its end or once the official has ended it. Its polls do not
// decide it (more polls can come after one closes), except that a workshop
// with an open poll is running: the room is voting.
const (
	WorkshopUpcoming = "upcoming"
	WorkshopRunning  = "running"
	WorkshopEnded    = "ended"
)

// WorkshopState is the state at now of a workshop that starts at startsAt,
// ends by itself at endsAt (nil: no end set) and was ended by the official
// at endedAt (nil: not ended), with an open poll or not.
func WorkshopState(startsAt time.Time, endsAt, endedAt *time.Time, pollOpen bool, now time.Time) string {
	switch {
	case pollOpen:
		return WorkshopRunning
	case endedAt != nil, endsAt != nil && !now.Before(*endsAt):
		return WorkshopEnded
	case now.Before(startsAt):
		return WorkshopUpcoming
	}
	return WorkshopRunning
}

// StateAt is the workshop's state at now (WorkshopState), from its polls.
func (w *Workshop) StateAt(now time.Time) string {
	open := false
	for _, p := range w.Polls {
		open = open || p.Status == PollOpen
	}
	return WorkshopState(w.StartsAt, w.EndsAt, w.EndedAt, open, now)
}

// StepStatus is the workshop's status on the process timeline, from its
// State: upcoming, open while running, closed once ended.
func (w *Workshop) StepStatus() string {
	switch w.State {
	case WorkshopRunning:
		return StatusOpen
	case WorkshopEnded:
		return StatusClosed
	}
	return StatusUpcoming
}

// HasEnded reports whether the workshop's State is ended.
func (w *Workshop) HasEnded() bool { return w.State == WorkshopEnded }

// CheckOpenPoll returns ECLOSED when a poll of the workshop may not open:
// once the workshop has ended (it must be reopened first).
func (w *Workshop) CheckOpenPoll() error {
	if w.HasEnded() {
		return Errorf(ECLOSED, "The workshop has ended: reopen it to open a poll.")
	}
	return nil
}

// NewWorkshop is what an official gives to add a workshop to a process.
type NewWorkshop struct {
	Title    string     `json:"title"`
	StartsAt *time.Time `json:"starts_at"`
	// EndsAt is when the workshop ends by itself; nil for no set end.
	EndsAt *time.Time `json:"ends_at"`
	// ShowResultsLive defaults to true: the bars move as votes come in.
	ShowResultsLive *bool `json:"show_results_live"`
	TranslationInput
	// Texts are the language and translations that Validate accepted.
	Texts Translatable `json:"-"`
	// RequireAccount defaults to false: people join with the code alone.
	RequireAccount *bool `json:"require_account"`
}

// WorkshopTextMax are the longest texts of a workshop, by field: the
// fields its translations may hold.
var WorkshopTextMax = map[string]int{"title": 200}

// Validate checks a new workshop.
func (n *NewWorkshop) Validate() error {
	n.Title = strings.TrimSpace(n.Title)
	f := FieldErrors{}
	f.Text("title", n.Title, 1, WorkshopTextMax["title"])
	n.Texts = n.TranslationInput.Check(f, WorkshopTextMax)
	if n.StartsAt == nil {
		f.Add("starts_at", RuleRequired, 0)
	} else {
		checkWorkshopEnd(f, *n.StartsAt, n.EndsAt)
	}
	return f.Err()
}

// checkWorkshopEnd records in f an end that is not after the start.
func checkWorkshopEnd(f FieldErrors, startsAt time.Time, endsAt *time.Time) {
	if endsAt != nil && !endsAt.After(startsAt) {
		f.Add("ends_at", RuleAfterOpen, 0)
	}
}

// ResultsLive is whether the new workshop shows results live: as asked, by
// default yes.
func (n *NewWorkshop) ResultsLive() bool {
	return n.ShowResultsLive == nil || *n.ShowResultsLive
}

// AccountsRequired is whether the new workshop lets only signed-in people
// join: as asked, by default not.
func (n *NewWorkshop) AccountsRequired() bool {
	return n.RequireAccount != nil && *n.RequireAccount
}

// MaySeeJoinCode reports whether viewer (nil when signed out) may see
// workshops' join codes: officials only, as the code is for the people in
// the room, who read it from the projector.
func MaySeeJoinCode(viewer *Account) bool { return viewer.HasRole(RoleOfficial) }

// ShowTo leaves out of the workshop what viewer may not see: the join code
// (see MaySeeJoinCode).
func (w *Workshop) ShowTo(viewer *Account) {
	if !MaySeeJoinCode(viewer) {
		w.JoinCode = nil
	}
}

// WorkshopUpdate changes a workshop's settings and texts; nil fields stay
// as they are. EndsAt sent as null clears the end.
type WorkshopUpdate struct {
	ShowResultsLive *bool         `json:"show_results_live"`
	RequireAccount  *bool         `json:"require_account"`
	JoiningOpen     *bool         `json:"joining_open"`
	Title           *string       `json:"title"`
	StartsAt        *time.Time    `json:"starts_at"`
	EndsAt          NullableTime  `json:"ends_at"`
	Language        *string       `json:"language"`
	Translations    *Translations `json:"translations"`
}

// NullableTime is a time field of a change that may be left out (Set is
// false: no change), sent as null (Set, Time nil: cleared) or given.
type NullableTime struct {
	Set  bool
	Time *time.Time
}

// UnmarshalJSON reads null or an RFC 3339 time; it is called only when the
// field is there.
func (n *NullableTime) UnmarshalJSON(b []byte) error {
	n.Set, n.Time = true, nil
	if string(b) == "null" {
		return nil
	}
	var t time.Time
	if err := json.Unmarshal(b, &t); err != nil {
		return err
	}
	n.Time = &t
	return nil
}

// Apply checks the update against w and puts it in w, with the same rules
// as a new workshop (NewWorkshop.Validate). It changes w only when it
// returns nil.
func (u *WorkshopUpdate) Apply(w *Workshop) error {
	f := FieldErrors{}
	out := *w
	if u.Title != nil {
		out.Title = strings.TrimSpace(*u.Title)
		f.Text("title", out.Title, 1, WorkshopTextMax["title"])
	}
	if u.StartsAt != nil {
		out.StartsAt = u.StartsAt.UTC()
	}
	if u.EndsAt.Set {
		out.EndsAt = nil
		if u.EndsAt.Time != nil {
			end := u.EndsAt.Time.UTC()
			out.EndsAt = &end
		}
	}
	if u.StartsAt != nil || u.EndsAt.Set {
		checkWorkshopEnd(f, out.StartsAt, out.EndsAt)
	}
	if u.Language != nil || u.Translations != nil {
		in := TranslationInput{Language: u.Language, Translations: w.Translations}
		if u.Language == nil {
			lang := w.OwnLanguage()
			in.Language = &lang
		}
		if u.Translations != nil {
			in.Translations = *u.Translations
		}
		out.Translatable = in.Check(f, WorkshopTextMax)
	}
	if u.ShowResultsLive != nil {
		out.ShowResultsLive = *u.ShowResultsLive
	}
	if u.RequireAccount != nil {
		out.RequireAccount = *u.RequireAccount
	}
	if u.JoiningOpen != nil {
		out.JoiningOpen = *u.JoiningOpen
	}
	if err := f.Err(); err != nil {
		return err
	}
	*w = out
	return nil
}

// CheckJoin says whether joiner (nil when signed out) may join the
// workshop: EUNAUTHENTICATED where it requires an account and there is
// none; ECLOSED for a new participant (known is false) once the workshop
// has ended (its State) or joining has closed. A person who joined before
// comes back in even then: they are already in the room, on another page
// or after a reload, and see the results there.
func (w *Workshop) CheckJoin(joiner *Account, known bool) error {
	switch {
	case w.RequireAccount && joiner == nil:
		return Errorf(EUNAUTHENTICATED, "This workshop is for signed-in participants: sign in first.")
	case !known && w.HasEnded():
		return Errorf(ECLOSED, "The workshop has ended.")
	case !known && !w.JoiningOpen:
		return Errorf(ECLOSED, "Joining this workshop has closed.")
	}
	return nil
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

// NewParticipant is what a person gives to join a workshop: the code and,
// if they like, a name and a municipality. Token is the participant token
// the joiner already holds (a browser's cookie), if any: one of this
// workshop's gets its participant back instead of a new one.
type NewParticipant struct {
	Code         string  `json:"code"`
	Name         *string `json:"name"`
	Municipality *string `json:"municipality"`
	Token        string  `json:"-"`
}

// Validate checks the optional fields and normalises the code; an empty code
// is invalid, a code that matches no workshop is the store's ENOTFOUND. The
// municipality must be one on the list (participation/municipality.go), in
// Finnish or Swedish: a workshop's counts by municipality are its
// statistics, and a free text would split or pad them.
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
	n.Municipality = listedMunicipality(f, "municipality", n.Municipality)
	return f.Err()
}

// Participant is a person who joined a workshop. Token is set only in the
// answer to joining; the store keeps its hash. AccountID is the signed-in
// account that joined, so that it gets the same participant when it joins
// again.
type Participant struct {
	ID           int64   `json:"-" db:"id"`
	WorkshopID   int64   `json:"workshop_id" db:"workshop_id"`
	Token        string  `json:"participant_token" db:"-"`
	Name         *string `json:"name" db:"name"`
	Municipality *string `json:"municipality" db:"municipality"`
	AccountID    *int64  `json:"-" db:"account_id"`
}

// IsJoinedBy reports whether the participant is who joiner (nil when signed
// out), holding its token, is when joining workshopID again: a participant
// of that workshop, and not another account's (a shared device).
func (p *Participant) IsJoinedBy(workshopID int64, joiner *Account) bool {
	return p.WorkshopID == workshopID && (p.AccountID == nil || (joiner != nil && *p.AccountID == joiner.ID))
}

// CheckPoll returns EFORBIDDEN unless the participant may vote in poll:
// a participant votes in the polls of the workshop they joined.
func (p *Participant) CheckPoll(poll *Poll) error {
	if poll.WorkshopID != p.WorkshopID {
		return Errorf(EFORBIDDEN, "You joined another workshop.")
	}
	return nil
}

// WorkshopService runs workshops and lets people join them.
type WorkshopService interface {
	// CreateWorkshop adds a workshop with a fresh join code to a process (officials).
	CreateWorkshop(ctx context.Context, processSlug string, n NewWorkshop) (*Workshop, error)
	// FindWorkshop returns a workshop with its polls; the join code only for officials.
	FindWorkshop(ctx context.Context, id int64) (*Workshop, error)
	// FindWorkshops lists a process's workshops, earliest first, with their polls.
	FindWorkshops(ctx context.Context, processID int64) ([]*Workshop, error)
	// UpdateWorkshop changes a workshop's settings and texts (officials).
	UpdateWorkshop(ctx context.Context, id int64, u WorkshopUpdate) (*Workshop, error)
	// EndWorkshop ends a workshop now, closing its open polls (officials);
	// ending an ended one changes nothing.
	EndWorkshop(ctx context.Context, id int64) (*Workshop, error)
	// ReopenWorkshop makes an ended workshop run again (officials): the
	// official's end is undone, and an end time that has passed is cleared.
	ReopenWorkshop(ctx context.Context, id int64) (*Workshop, error)
	// JoinWorkshop makes a participant of the workshop with the code, or
	// gives back the one that n.Token or the signed-in account already is:
	// ENOTFOUND for an unknown code, EUNAUTHENTICATED where the workshop
	// requires an account, ECLOSED for a new participant once joining has closed.
	JoinWorkshop(ctx context.Context, n NewParticipant) (*Participant, error)
	// CountParticipants returns how many have joined each of these workshops.
	CountParticipants(ctx context.Context, workshopIDs []int64) (map[int64]int, error)
	// FindParticipant returns the participant of a token; EUNAUTHENTICATED when there is none.
	FindParticipant(ctx context.Context, token string) (*Participant, error)
}
