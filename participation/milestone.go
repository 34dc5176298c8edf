package participation

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Milestone statuses: the traffic light of implementation tracking.
const (
	MilestoneNotStarted = "not_started"
	MilestoneLate       = "late"
	MilestoneOnTrack    = "on_track"
	MilestoneDone       = "done"
)

// MilestoneStatuses lists the four statuses, from the start to the end.
var MilestoneStatuses = []string{MilestoneNotStarted, MilestoneLate, MilestoneOnTrack, MilestoneDone}

// Completion levels of the OGP Independent Reporting Mechanism (IRM) scale.
const (
	CompletionNotStarted  = "not_started"
	CompletionLimited     = "limited"
	CompletionSubstantial = "substantial"
	CompletionComplete    = "complete"
)

// CompletionLevels lists the IRM levels from none to complete.
var CompletionLevels = []string{CompletionNotStarted, CompletionLimited, CompletionSubstantial, CompletionComplete}

// Completion maps a commitment's milestones to the IRM scale by the share of
// done milestones:
//
//   - complete: every milestone done;
//   - substantial: at least half done, not all;
//   - limited: under half done, but something has happened (a milestone
//     done, on track or late: "late" means started late);
//   - not started: no milestones, or none of them started.
func Completion(statuses []string) string {
	done, started := 0, 0
	for _, s := range statuses {
		switch s {
		case MilestoneDone:
			done++
			started++
		case MilestoneOnTrack, MilestoneLate:
			started++
		}
	}
	n := len(statuses)
	switch {
	case n == 0 || started == 0:
		return CompletionNotStarted
	case done == n:
		return CompletionComplete
	case 2*done >= n:
		return CompletionSubstantial
	}
	return CompletionLimited
}

// CompletionOf is the IRM level of a commitment's milestones (see Completion).
func CompletionOf(ms []Milestone) string {
	statuses := make([]string, len(ms))
	for i, m := range ms {
		statuses[i] = m.Status
	}
	return Completion(statuses)
}

// A milestone's lateness at a day, judged from its due date, its status
// and the day that status was reported: the words beside a status must not
// contradict it ("on track" was true when it was said; the due date has
// passed since).
const (
	// LatenessNone: done, or the due date has not passed.
	LatenessNone = "none"
	// LatenessPassedSinceReport: the status was reported on or before the
	// due date, and the due date has passed since, with no newer report.
	LatenessPassedSinceReport = "passed_since_report"
	// LatenessPastDue: the due date had already passed when the status was
	// reported, or it has passed with no report at all.
	LatenessPastDue = "past_due"
)

// Lateness judges at the day asOf a milestone due on due whose status,
// reported on reportedOn (nil: never reported), is status.
func Lateness(due Date, status string, reportedOn *Date, asOf Date) string {
	switch {
	case status == MilestoneDone || due == "" || due >= asOf:
		return LatenessNone
	case reportedOn != nil && *reportedOn <= due:
		return LatenessPassedSinceReport
	}
	return LatenessPastDue
}

// Judge sets the milestone's lateness, and Overdue with it, at the day asOf.
func (m *Milestone) Judge(asOf Date) {
	m.Lateness = Lateness(m.Due, m.Status, m.ReportedOn, asOf)
	m.Overdue = m.Lateness != LatenessNone
}

// Limits of milestones: how many a commitment has, and their lengths in
// characters.
const (
	MilestonesMax     = 50
	MilestoneTitleMax = 500
	MilestoneNoteMax  = 5000
	EvidenceLinksMax  = 10
	EvidenceLinkMax   = 2000
)

// MilestoneText is what a milestone says: what is to be done, by when and
// by whom, in its language (by default its commitment's) and translations.
// Versions keep it; ID is set for an existing milestone.
type MilestoneText struct {
	ID          int64  `json:"id,omitempty"`
	Title       string `json:"title"`
	Due         Date   `json:"due"`
	Responsible string `json:"responsible"`
	TranslationInput
}

// MilestoneTextMax are the longest texts of a milestone, by field: the
// fields its translations may hold.
var MilestoneTextMax = map[string]int{"title": MilestoneTitleMax, "responsible": ActorsMax}

// milestoneTextFields are a milestone's text fields in their order.
var milestoneTextFields = []string{"title", "responsible"}

// sameText reports whether m and o say the same in their own language
// (translations are compared as a field of their own).
func (m MilestoneText) sameText(o MilestoneText) bool {
	return m.ID == o.ID && m.Title == o.Title && m.Due == o.Due && m.Responsible == o.Responsible
}

// validateMilestones checks a list of milestones: each needs a title and a
// due date; their translations are checked against their language, by
// default lang, the commitment's, which it is set to where none is given.
// Errors are named milestones[i].title as the API's fields.
func validateMilestones(f FieldErrors, ms []MilestoneText, lang string) {
	if len(ms) > MilestonesMax {
		f.Add(FieldMilestones, RuleMaxChoices, MilestonesMax)
		return
	}
	seen := map[int64]bool{}
	for i := range ms {
		m := &ms[i]
		m.Title = strings.TrimSpace(m.Title)
		m.Responsible = strings.TrimSpace(m.Responsible)
		m.Due = Date(strings.TrimSpace(string(m.Due)))
		name := FieldMilestones + "[" + strconv.Itoa(i) + "]."
		f.Text(name+"title", m.Title, 1, MilestoneTitleMax)
		f.Text(name+"responsible", m.Responsible, 0, ActorsMax)
		tr := m.TranslationInput.CheckIn(f, name, lang, MilestoneTextMax)
		m.Language, m.Translations = &tr.Language, tr.Translations
		switch {
		case m.Due == "":
			f.Add(name+"due", RuleRequired, 0)
		case !m.Due.Valid():
			f.Add(name+"due", RuleFormat, 0)
		}
		if m.ID != 0 {
			if seen[m.ID] {
				f.Add(name+"id", RuleDuplicate, 0)
			}
			seen[m.ID] = true
		}
	}
}

// RemovedMilestones checks a commitment's new list of milestones against
// the ones it has and returns the ids of those left out, to be removed. An
// id that is not one of the commitment's milestones is EINVALID on its
// item (milestones[i].id). Whether the removed ones may go (no status
// history) is for the caller to check.
func RemovedMilestones(existing []Milestone, ms []MilestoneText) ([]int64, error) {
	has := map[int64]bool{}
	for _, m := range existing {
		has[m.ID] = true
	}
	keep := map[int64]bool{}
	f := FieldErrors{}
	for i, m := range ms {
		if m.ID != 0 {
			if !has[m.ID] {
				f.Add(FieldMilestones+"["+strconv.Itoa(i)+"].id", RuleChoice, 0)
			}
			keep[m.ID] = true
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var gone []int64
	for _, m := range existing {
		if !keep[m.ID] {
			gone = append(gone, m.ID)
		}
	}
	return gone, nil
}

// Milestone is one step of a commitment's implementation with its traffic
// light. Merging moves a milestone, with its history, to the target.
type Milestone struct {
	ID            int64    `json:"id" db:"id"`
	CommitmentID  int64    `json:"commitment_id" db:"commitment_id"`
	Title         string   `json:"title" db:"title"`
	Due           Date     `json:"due" db:"due"`
	Responsible   string   `json:"responsible" db:"responsible"`
	Status        string   `json:"status" db:"status"`
	Note          *string  `json:"note" db:"note"`
	EvidenceLinks []string `json:"evidence_links" db:"-"`
	// Overdue: the due date has passed and the milestone is not done (see
	// Lateness for how).
	Overdue   bool       `json:"overdue" db:"-"`
	UpdatedAt *time.Time `json:"updated_at" db:"updated_at"`
	// ReportedOn is the day (in Finland) the status in force was reported,
	// nil when it never was; Lateness is one of the Lateness* constants.
	ReportedOn *Date  `json:"reported_on" db:"-"`
	Lateness   string `json:"lateness" db:"-"`
	// OriginID is the commitment the milestone was drafted in; it differs
	// from CommitmentID after a merge.
	OriginID int64 `json:"origin_commitment_id" db:"origin_commitment_id"`
	Translatable
	// NoteLanguage and NoteTranslations are the language of Note and its
	// translations ({"sv": {"note": ...}}), as the status report in force
	// gave them: a note is written when reported, not with the milestone.
	NoteLanguage     string       `json:"note_language" db:"note_language"`
	NoteTranslations Translations `json:"note_translations" db:"note_translations"`
}

// NoteTexts is the note's language and translations, for choosing the
// reader's language: m.NoteTexts().In(lang, "note", *m.Note).
func (m Milestone) NoteTexts() Translatable {
	return Translatable{Language: m.NoteLanguage, Translations: m.NoteTranslations}
}

// MilestoneChange is one status change of a milestone; every one is kept.
type MilestoneChange struct {
	ID            int64     `json:"id" db:"id"`
	MilestoneID   int64     `json:"milestone_id" db:"milestone_id"`
	Status        string    `json:"status" db:"status"`
	Note          *string   `json:"note" db:"note"`
	EvidenceLinks []string  `json:"evidence_links" db:"-"`
	AuthorID      *int64    `json:"author_id" db:"author_id"`
	AuthorName    *string   `json:"author_name" db:"author_name"` // null once the account is erased
	CreatedAt     time.Time `json:"created_at" db:"created_at"`
	// Translatable is the note's language and its translations.
	Translatable
}

// MilestoneNoteTextMax is the longest note of a status report: the field
// its translations may hold.
var MilestoneNoteTextMax = map[string]int{"note": MilestoneNoteMax}

// MilestoneUpdate is an official's report on a milestone: its status, a
// note in its language (Finnish unless given) with translations, and links
// to evidence.
type MilestoneUpdate struct {
	Status        string   `json:"status"`
	Note          *string  `json:"note"`
	EvidenceLinks []string `json:"evidence_links"`
	TranslationInput
}

// Validate checks a milestone update: the status is one of the four, the
// evidence links are web addresses, the note's language is a content
// language and its translations are of the note into the others (a
// translation needs a note). It sets Language and Translations to what is
// to be stored.
// KeepNoteTexts keeps the language and translations of the note in force
// (m's) for an update that sends that same note and names neither, as the
// commitment page's short status form does: a new status must not drop the
// note's translations. An edited note is a new text, with none.
func (u *MilestoneUpdate) KeepNoteTexts(m *Milestone) {
	if u.Language != nil || len(u.Translations) > 0 || u.Note == nil || m.Note == nil || *m.Note != strings.TrimSpace(*u.Note) {
		return
	}
	lang := m.NoteTexts().OwnLanguage()
	u.Language, u.Translations = &lang, m.NoteTranslations.Clone()
}

func (u *MilestoneUpdate) Validate() error {
	f := FieldErrors{}
	u.Status = strings.TrimSpace(u.Status)
	switch {
	case u.Status == "":
		f.Add("status", RuleRequired, 0)
	case !slices.Contains(MilestoneStatuses, u.Status):
		f.Add("status", RuleChoice, 0)
	}
	u.Note = trimOptional(u.Note)
	if u.Note != nil {
		f.Text("note", *u.Note, 0, MilestoneNoteMax)
	}
	tr := u.TranslationInput.Check(f, MilestoneNoteTextMax)
	u.Language, u.Translations = &tr.Language, tr.Translations
	if u.Note == nil && len(u.Translations) > 0 {
		f.Add("note", RuleRequired, 0)
	}
	links := []string{}
	for _, l := range u.EvidenceLinks {
		if l = strings.TrimSpace(l); l != "" {
			links = append(links, l)
		}
	}
	u.EvidenceLinks = links
	if len(links) > EvidenceLinksMax {
		f.Add("evidence_links", RuleMaxChoices, EvidenceLinksMax)
	}
	for _, l := range links {
		if len(l) > EvidenceLinkMax || !validWebAddress(l) {
			f.Add("evidence_links", RuleFormat, 0)
		}
	}
	return f.Err()
}

// MilestoneService reports on milestones and keeps every report.
type MilestoneService interface {
	// FindMilestone returns one milestone.
	FindMilestone(ctx context.Context, id int64) (*Milestone, error)
	// UpdateMilestone sets a milestone's status (officials), keeping the change.
	UpdateMilestone(ctx context.Context, id int64, u MilestoneUpdate) (*Milestone, error)
	// FindMilestoneChanges lists the changes of a milestone, newest first.
	FindMilestoneChanges(ctx context.Context, milestoneID int64) ([]*MilestoneChange, error)
	// FindCommitmentChanges lists the changes of every milestone of a commitment, newest first.
	FindCommitmentChanges(ctx context.Context, commitmentID int64) ([]*MilestoneChange, error)
}
