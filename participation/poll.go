package participation

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

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
	Translatable
}

// PollOption is one choice of a poll; options made from an idea round's
// themes carry the theme, so that the result feeds back to it. A typed
// option is in its poll's language; a theme's option in its theme's, with
// the translations of the theme's title.
type PollOption struct {
	ID      int64  `json:"id" db:"id"`
	PollID  int64  `json:"-" db:"poll_id"`
	Label   string `json:"label" db:"label"`
	ThemeID *int64 `json:"theme_id" db:"theme_id"`
	Translatable
}

// Poll limits.
const (
	QuestionMax    = 500
	OptionLabelMax = 200
	PollOptionsMax = 50
)

// PollTextMax and PollOptionTextMax are the longest texts of a poll and
// of its options, by field: the fields their translations may hold.
var (
	PollTextMax       = map[string]int{"question": QuestionMax}
	PollOptionTextMax = map[string]int{"label": OptionLabelMax}
)

// NewPollOption is one typed option of a new poll, in the poll's language.
type NewPollOption struct {
	Label        string       `json:"label"`
	Translations Translations `json:"translations"`
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
	TranslationInput
	// Texts are the language and translations that Validate accepted.
	Texts Translatable `json:"-"`
}

// NewOptions are the options Validate accepted: the typed ones in the
// poll's language, or one per theme, labelled with the theme's title in
// its language and translations.
func (n *NewPoll) NewOptions() []PollOption {
	out := make([]PollOption, 0, len(n.Options)+len(n.Themes))
	for _, o := range n.Options {
		out = append(out, PollOption{Label: o.Label, Translatable: Translatable{Language: n.Texts.OwnLanguage(), Translations: o.Translations}})
	}
	for _, t := range n.Themes {
		var tr Translations
		for lang, fields := range t.Translations {
			tr.Set(lang, "label", fields["title"])
		}
		id := t.ID
		out = append(out, PollOption{Label: t.Title, ThemeID: &id, Translatable: Translatable{Language: t.OwnLanguage(), Translations: tr}})
	}
	return out
}

// Validate checks a new poll. With OptionsFromIdeaRound, the store has put
// the round's themes in Themes first.
func (n *NewPoll) Validate() error {
	n.Question = strings.TrimSpace(n.Question)
	f := FieldErrors{}
	f.Text("question", n.Question, 1, QuestionMax)
	n.Texts = n.TranslationInput.Check(f, PollTextMax)
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
			n.Options[i].Translations = checkTranslations(f, "options["+strconv.Itoa(i)+"].",
				n.Options[i].Translations, n.Texts.OwnLanguage(), PollOptionTextMax)
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

// PollPatch changes a draft poll: nil fields stay as they are. Options,
// when given, is the whole new list in its order: an item with the id of
// one of the poll's options changes that option (keeping its theme), an
// item without one is new, and options left out are removed.
type PollPatch struct {
	Question     *string            `json:"question"`
	MaxChoices   *int               `json:"max_choices"`
	Options      *[]PollOptionPatch `json:"options"`
	Language     *string            `json:"language"`
	Translations *Translations      `json:"translations"`
}

// PollOptionPatch is one option of a PollPatch.
type PollOptionPatch struct {
	ID           *int64       `json:"id"`
	Label        string       `json:"label"`
	Translations Translations `json:"translations"`
}

// CheckEdit returns ECONFLICT unless the poll may be edited: only while it
// is a draft, as ballots are cast on what it was when it opened.
func (p *Poll) CheckEdit() error {
	if p.Status != PollDraft {
		return Errorf(ECONFLICT, "A poll can be changed only until it opens.")
	}
	return nil
}

// Apply checks the patch against the draft poll p with the rules of a new
// poll (NewPoll.Validate) and puts it in p; new options get id 0. It
// changes p only when it returns nil.
func (u *PollPatch) Apply(p *Poll) error {
	n := NewPoll{Question: p.Question, MaxChoices: &p.MaxChoices}
	if u.Question != nil {
		n.Question = *u.Question
	}
	if u.MaxChoices != nil {
		n.MaxChoices = u.MaxChoices
	}
	lang := p.OwnLanguage()
	n.Language, n.Translations = &lang, p.Translations
	if u.Language != nil {
		n.Language = u.Language
	}
	if u.Translations != nil {
		n.Translations = *u.Translations
	}
	// The options as they will be: kept ones by id, with their theme.
	kept := map[int64]PollOption{}
	for _, o := range p.Options {
		kept[o.ID] = o
	}
	var opts []PollOption
	f := FieldErrors{}
	if u.Options == nil {
		opts = p.Options
	} else {
		for i, o := range *u.Options {
			var po PollOption
			if o.ID != nil {
				old, ok := kept[*o.ID]
				if !ok {
					f.Add("options["+strconv.Itoa(i)+"].id", RuleChoice, 0)
					continue
				}
				po = old
				delete(kept, *o.ID) // once
			}
			po.Label, po.Translations = o.Label, o.Translations
			opts = append(opts, po)
		}
	}
	for _, o := range opts {
		n.Options = append(n.Options, NewPollOption{Label: o.Label, Translations: o.Translations})
	}
	err := n.Validate()
	if e, ok := err.(*Error); ok {
		for k, v := range e.Fields {
			f[k] = v
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	for i := range opts {
		opts[i].Label, opts[i].Translations = n.Options[i].Label, n.Options[i].Translations
		if opts[i].ThemeID == nil {
			opts[i].Language = n.Texts.OwnLanguage() // typed options are in the poll's language
		}
	}
	p.Question, p.MaxChoices, p.Options, p.Translatable = n.Question, *n.MaxChoices, opts, n.Texts
	return nil
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

// IdeaRoundRef names an idea round that a poll can take its options from.
type IdeaRoundRef struct {
	ID     int64  `json:"id" db:"id"`
	Title  string `json:"title" db:"title"`
	Themes int    `json:"themes" db:"themes"`
	Translatable
}

// PollChange tells that a poll changed (created, opened, closed, ballots);
// PollID 0 means the whole workshop changed (its settings), and Joined that
// someone joined it (its count of participants changed), Wall that its idea
// wall changed (participation/proposal.go). The store
// publishes one per change to every server instance, written by Encode and
// read by ParsePollChange: this is the one place that knows its form.
type PollChange struct {
	WorkshopID int64
	PollID     int64
	Joined     bool
	Wall       bool
}

// joinedMark and wallMark stand for the poll id in a Joined and a Wall change.
const (
	joinedMark = "joined"
	wallMark   = "wall"
)

// Encode writes the change as "<workshop_id>:<poll_id>",
// "<workshop_id>:joined" or "<workshop_id>:wall": ids only, so that it is short (PostgreSQL's
// NOTIFY takes under 8000 bytes) and says nothing private.
func (c PollChange) Encode() string {
	switch {
	case c.Joined:
		return strconv.FormatInt(c.WorkshopID, 10) + ":" + joinedMark
	case c.Wall:
		return strconv.FormatInt(c.WorkshopID, 10) + ":" + wallMark
	}
	return strconv.FormatInt(c.WorkshopID, 10) + ":" + strconv.FormatInt(c.PollID, 10)
}

// ParsePollChange reads a change that Encode wrote.
func ParsePollChange(s string) (PollChange, error) {
	w, p, ok := strings.Cut(s, ":")
	if !ok {
		return PollChange{}, fmt.Errorf("poll change: no colon in %q", s)
	}
	wid, err1 := strconv.ParseInt(w, 10, 64)
	if p == joinedMark && err1 == nil && wid >= 1 {
		return PollChange{WorkshopID: wid, Joined: true}, nil
	}
	if p == wallMark && err1 == nil && wid >= 1 {
		return PollChange{WorkshopID: wid, Wall: true}, nil
	}
	pid, err2 := strconv.ParseInt(p, 10, 64)
	if err1 != nil || err2 != nil || wid < 1 || pid < 0 {
		return PollChange{}, fmt.Errorf("poll change: bad ids in %q", s)
	}
	return PollChange{WorkshopID: wid, PollID: pid}, nil
}

// PollService adds polls to workshops and opens and closes them.
type PollService interface {
	// CreatePoll adds a draft poll to a workshop (officials).
	CreatePoll(ctx context.Context, workshopID int64, n NewPoll) (*Poll, error)
	// FindPoll returns a poll with its options.
	FindPoll(ctx context.Context, id int64) (*Poll, error)
	// UpdatePoll changes a draft poll (officials): ECONFLICT once it has opened.
	UpdatePoll(ctx context.Context, id int64, u PollPatch) (*Poll, error)
	// OpenPoll opens a draft poll for ballots (officials).
	OpenPoll(ctx context.Context, id int64) (*Poll, error)
	// ClosePoll closes an open poll; ballots after it get ECLOSED (officials).
	ClosePoll(ctx context.Context, id int64) (*Poll, error)
	// FindIdeaRoundRefs lists the idea rounds of a workshop's process, for polls made of themes.
	FindIdeaRoundRefs(ctx context.Context, workshopID int64) ([]IdeaRoundRef, error)
}
