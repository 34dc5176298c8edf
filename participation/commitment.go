package participation

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"osallistu/participation/worddiff"
)

// Commitment statuses: officials draft commitments, merge some into others
// and approve the rest.
const (
	CommitmentDraft    = "draft"
	CommitmentApproved = "approved"
	CommitmentMerged   = "merged"
)

// CommitmentStatuses lists the statuses in the order pages show them.
var CommitmentStatuses = []string{CommitmentDraft, CommitmentApproved, CommitmentMerged}

// SourceRef names an idea or a theme that a commitment was drafted from
// (or, on the pages, another commitment), with its title's language and
// translations: a theme's as its official wrote them, an idea's the
// language its author wrote in and none.
type SourceRef struct {
	ID    int64  `json:"id" db:"id"`
	Title string `json:"title" db:"title"`
	Translatable
}

// Sources are the ideas and themes a commitment was drafted from.
type Sources struct {
	Ideas  []SourceRef `json:"ideas"`
	Themes []SourceRef `json:"themes"`
}

// CommitmentText is what a commitment says, after the Open Government
// Partnership commitment template, in its language and translations. A
// version keeps a snapshot of it.
type CommitmentText struct {
	Title          string `json:"title" db:"title"`
	Problem        string `json:"problem" db:"problem"`                   // the public problem
	Description    string `json:"description" db:"description"`           // what the commitment is
	HowItAddresses string `json:"how_it_addresses" db:"how_it_addresses"` // how it addresses the problem
	Relevance      string `json:"relevance" db:"relevance"`               // to transparency, participation, accountability
	LeadAgency     string `json:"lead_agency" db:"lead_agency"`
	OtherActors    string `json:"other_actors" db:"other_actors"`
	StartsOn       *Date  `json:"starts_on" db:"starts_on"`
	EndsOn         *Date  `json:"ends_on" db:"ends_on"`
	Translatable
}

// Text fields of a commitment, in the template's order: the names of the
// API's fields, of the versions' changed fields and of the history page's
// comparisons. Milestones and sources change as "milestones" and "sources".
const (
	FieldTitle          = "title"
	FieldProblem        = "problem"
	FieldDescription    = "description"
	FieldHowItAddresses = "how_it_addresses"
	FieldRelevance      = "relevance"
	FieldLeadAgency     = "lead_agency"
	FieldOtherActors    = "other_actors"
	FieldStartsOn       = "starts_on"
	FieldEndsOn         = "ends_on"
	FieldMilestones     = "milestones"
	FieldSources        = "sources"
	// FieldTranslations changes with the language of the text and the
	// translations of the commitment and of its milestones.
	FieldTranslations = "translations"
)

// CommitmentTextFields are the text fields in the template's order.
var CommitmentTextFields = []string{FieldTitle, FieldProblem, FieldDescription, FieldHowItAddresses, FieldRelevance, FieldLeadAgency, FieldOtherActors}

// VersionedFields are every field a version can change, in order.
var VersionedFields = append(slices.Clone(CommitmentTextFields), FieldStartsOn, FieldEndsOn, FieldMilestones, FieldSources, FieldTranslations)

// Field returns the text field called name ("" for another name).
func (t *CommitmentText) Field(name string) string {
	switch name {
	case FieldTitle:
		return t.Title
	case FieldProblem:
		return t.Problem
	case FieldDescription:
		return t.Description
	case FieldHowItAddresses:
		return t.HowItAddresses
	case FieldRelevance:
		return t.Relevance
	case FieldLeadAgency:
		return t.LeadAgency
	case FieldOtherActors:
		return t.OtherActors
	case FieldStartsOn:
		return dateString(t.StartsOn)
	case FieldEndsOn:
		return dateString(t.EndsOn)
	}
	return ""
}

func (t *CommitmentText) field(name string) *string {
	switch name {
	case FieldTitle:
		return &t.Title
	case FieldProblem:
		return &t.Problem
	case FieldDescription:
		return &t.Description
	case FieldHowItAddresses:
		return &t.HowItAddresses
	case FieldRelevance:
		return &t.Relevance
	case FieldLeadAgency:
		return &t.LeadAgency
	case FieldOtherActors:
		return &t.OtherActors
	}
	return nil
}

// Length limits of commitments, in characters.
const (
	CommitmentTitleMax = 300
	CommitmentTextMax  = 20000
	ActorsMax          = 2000
	ChangeNoteMax      = 2000
)

// CommitmentFieldMax are the longest texts of a commitment, by field: the
// fields its translations may hold.
var CommitmentFieldMax = map[string]int{
	FieldTitle: CommitmentTitleMax, FieldProblem: CommitmentTextMax, FieldDescription: CommitmentTextMax,
	FieldHowItAddresses: CommitmentTextMax, FieldRelevance: CommitmentTextMax,
	FieldLeadAgency: ActorsMax, FieldOtherActors: ActorsMax,
}

// RuleNotBeforeStart is broken by an end date before the start date.
const RuleNotBeforeStart = "not_before_start"

// validate trims and checks the text, recording failures in f.
func (t *CommitmentText) validate(f FieldErrors) {
	for _, name := range CommitmentTextFields {
		p := t.field(name)
		*p = strings.TrimSpace(*p)
	}
	f.Text(FieldTitle, t.Title, 1, CommitmentTitleMax)
	for _, name := range []string{FieldProblem, FieldDescription, FieldHowItAddresses, FieldRelevance} {
		f.Text(name, t.Field(name), 0, CommitmentTextMax)
	}
	f.Text(FieldLeadAgency, t.LeadAgency, 0, ActorsMax)
	f.Text(FieldOtherActors, t.OtherActors, 0, ActorsMax)
	t.StartsOn = checkDate(f, FieldStartsOn, t.StartsOn)
	t.EndsOn = checkDate(f, FieldEndsOn, t.EndsOn)
	if t.StartsOn != nil && t.EndsOn != nil && *t.EndsOn < *t.StartsOn {
		f.Add(FieldEndsOn, RuleNotBeforeStart, 0)
	}
}

// Commitment is one commitment of a process's action plan, from its draft
// to its implementation. A merged commitment stays, pointing to the one it
// was merged into.
type Commitment struct {
	ID        int64  `json:"id" db:"id"`
	ProcessID int64  `json:"process_id" db:"process_id"`
	Status    string `json:"status" db:"status"`
	Version   int    `json:"version" db:"version"`
	CommitmentText
	Sources    Sources     `json:"sources" db:"-"`
	Milestones []Milestone `json:"milestones" db:"-"`
	// Themes are the themes of the sources: the source themes and the
	// themes of the source ideas. Pages group commitments by them.
	Themes     []SourceRef `json:"themes" db:"-"`
	MergedInto *int64      `json:"merged_into" db:"merged_into"`
	MergedFrom []int64     `json:"merged_from" db:"-"`
	// Completion is the IRM level of the milestones (see Completion).
	Completion string `json:"completion" db:"-"`
	// Statements are the submitted answers to statement-request questions
	// that name this commitment, and SurveyResults its two-axis survey
	// ratings: its place in the closed surveys' two-axis ratings.
	Statements    []CommitmentStatement    `json:"statements" db:"-"`
	SurveyResults []CommitmentSurveyResult `json:"survey_results" db:"-"`
	CreatedAt     time.Time                `json:"created_at" db:"created_at"`
	UpdatedAt     time.Time                `json:"updated_at" db:"updated_at"`
	ApprovedAt    *time.Time               `json:"approved_at" db:"approved_at"`
	MergedAt      *time.Time               `json:"merged_at" db:"merged_at"`
	ProcessSlug   string                   `json:"-" db:"process_slug"`
	ProcessTitle  string                   `json:"-" db:"process_title"`
	// ProcessTexts are the process title's language and translations.
	ProcessTexts Translatable `json:"-" db:"process"`
}

// Snapshot returns what a version of the commitment keeps.
func (c *Commitment) Snapshot() CommitmentSnapshot {
	s := CommitmentSnapshot{CommitmentText: c.CommitmentText, Sources: c.Sources, Milestones: []MilestoneText{}}
	s.Translations = c.Translations.Clone()
	for _, m := range c.Milestones {
		lang := m.OwnLanguage()
		s.Milestones = append(s.Milestones, MilestoneText{Title: m.Title, Due: m.Due, Responsible: m.Responsible,
			TranslationInput: TranslationInput{Language: &lang, Translations: m.Translations.Clone()}})
	}
	return s
}

// CheckEditable returns ECONFLICT for a merged commitment: it lives on in
// the one it was merged into, which is the one to change.
func (c *Commitment) CheckEditable() error {
	if c.Status == CommitmentMerged {
		return Errorf(ECONFLICT, "A merged commitment cannot be changed; change the one it was merged into.")
	}
	return nil
}

// CheckApprovable returns ECONFLICT unless the commitment is a draft: only
// drafts are approved.
func (c *Commitment) CheckApprovable() error {
	if c.Status != CommitmentDraft {
		return Errorf(ECONFLICT, "Only a draft can be approved; this commitment is %s.", c.Status)
	}
	return nil
}

// NewCommitment is what an official gives to start a draft: the template's
// fields, the ideas and themes it is drafted from, and its milestones. The
// language and translations it gives (TranslationInput, which the JSON
// fields "language" and "translations" fill) become the text's own
// (CommitmentText.Translatable) once Validate has checked them.
type NewCommitment struct {
	CommitmentText
	SourceIdeaIDs  []int64         `json:"source_idea_ids"`
	SourceThemeIDs []int64         `json:"source_theme_ids"`
	Milestones     []MilestoneText `json:"milestones"`
	TranslationInput
}

// Validate checks a new commitment. Only the title is required: a draft
// grows through its versions.
func (n *NewCommitment) Validate() error {
	f := FieldErrors{}
	n.CommitmentText.validate(f)
	n.CommitmentText.Translatable = n.TranslationInput.Check(f, CommitmentFieldMax)
	for _, m := range n.Milestones {
		if m.ID != 0 {
			f.Add(FieldMilestones, RuleChoice, 0)
		}
	}
	validateMilestones(f, n.Milestones, n.CommitmentText.OwnLanguage())
	n.SourceIdeaIDs = uniqueInt64s(n.SourceIdeaIDs)
	n.SourceThemeIDs = uniqueInt64s(n.SourceThemeIDs)
	return f.Err()
}

// CommitmentPatch changes a commitment, making a new version: nil fields
// stay as they are. An empty date clears it. Milestones, when given, is the
// whole new list: items with an id change that milestone, items without one
// are new, and milestones left out are removed (only while they have no
// status history). Source ids, when given, replace the sources. The
// language, when given, is the text's new language; translations, when
// given, replace the old ones.
type CommitmentPatch struct {
	Title          *string          `json:"title"`
	Problem        *string          `json:"problem"`
	Description    *string          `json:"description"`
	HowItAddresses *string          `json:"how_it_addresses"`
	Relevance      *string          `json:"relevance"`
	LeadAgency     *string          `json:"lead_agency"`
	OtherActors    *string          `json:"other_actors"`
	StartsOn       *Date            `json:"starts_on"`
	EndsOn         *Date            `json:"ends_on"`
	SourceIdeaIDs  *[]int64         `json:"source_idea_ids"`
	SourceThemeIDs *[]int64         `json:"source_theme_ids"`
	Milestones     *[]MilestoneText `json:"milestones"`
	ChangeNote     string           `json:"change_note"`
	TranslationInput
}

// Apply returns text with the patch's fields put in it.
func (p *CommitmentPatch) Apply(text CommitmentText) CommitmentText {
	for name, v := range map[string]*string{
		FieldTitle: p.Title, FieldProblem: p.Problem, FieldDescription: p.Description,
		FieldHowItAddresses: p.HowItAddresses, FieldRelevance: p.Relevance,
		FieldLeadAgency: p.LeadAgency, FieldOtherActors: p.OtherActors,
	} {
		if v != nil {
			*text.field(name) = *v
		}
	}
	if p.StartsOn != nil {
		text.StartsOn = p.StartsOn
	}
	if p.EndsOn != nil {
		text.EndsOn = p.EndsOn
	}
	if p.Language != nil {
		text.Language = *p.Language
	}
	if p.Translations != nil {
		text.Translations = p.Translations
	}
	return text
}

// Validate checks the patch against the text it makes (text is the result
// of Apply, which Validate normalises): the translations kept are checked
// again, as the language may have changed.
func (p *CommitmentPatch) Validate(text *CommitmentText) error {
	f := FieldErrors{}
	text.validate(f)
	lang := text.OwnLanguage()
	text.Translatable = TranslationInput{Language: &lang, Translations: text.Translations}.Check(f, CommitmentFieldMax)
	if p.Milestones != nil {
		validateMilestones(f, *p.Milestones, text.OwnLanguage())
	}
	if p.SourceIdeaIDs != nil {
		*p.SourceIdeaIDs = uniqueInt64s(*p.SourceIdeaIDs)
	}
	if p.SourceThemeIDs != nil {
		*p.SourceThemeIDs = uniqueInt64s(*p.SourceThemeIDs)
	}
	p.ChangeNote = strings.TrimSpace(p.ChangeNote)
	f.Text("change_note", p.ChangeNote, 0, ChangeNoteMax)
	return f.Err()
}

// CommitmentSnapshot is what one version of a commitment said.
type CommitmentSnapshot struct {
	CommitmentText
	Milestones []MilestoneText `json:"milestones"`
	Sources    Sources         `json:"sources"`
}

// Text returns the named field as text, for comparisons: the text fields
// as they are, dates as YYYY-MM-DD, milestones one per line ("title, due,
// responsible"), sources one title per line, and translations one per
// line ("sv title: ...", then the milestones' as "sv milestone 1 title:
// ..."), after the language where it is not Finnish.
func (s *CommitmentSnapshot) Text(name string) string { return s.text(name, nil) }

// text is Text with the milestones' due dates written by day; nil writes
// them YYYY-MM-DD.
func (s *CommitmentSnapshot) text(name string, day func(Date) string) string {
	switch name {
	case FieldTranslations:
		var lines []string
		own := s.OwnLanguage()
		if own != "fi" {
			lines = append(lines, "language: "+own)
		}
		lines = append(lines, s.Translations.Lines("", CommitmentTextFields)...)
		for i, m := range s.Milestones {
			prefix := "milestone " + strconv.Itoa(i+1) + " "
			if m.Language != nil && *m.Language != own {
				lines = append(lines, prefix+"language: "+*m.Language)
			}
			lines = append(lines, m.Translations.Lines(prefix, milestoneTextFields)...)
		}
		return strings.Join(lines, "\n")
	case FieldMilestones:
		lines := make([]string, len(s.Milestones))
		for i, m := range s.Milestones {
			due := string(m.Due)
			if day != nil {
				due = day(m.Due)
			}
			line := m.Title + ", " + due
			if m.Responsible != "" {
				line += ", " + m.Responsible
			}
			lines[i] = line
		}
		return strings.Join(lines, "\n")
	case FieldSources:
		var lines []string
		for _, r := range s.Sources.Themes {
			lines = append(lines, r.Title)
		}
		for _, r := range s.Sources.Ideas {
			lines = append(lines, r.Title)
		}
		return strings.Join(lines, "\n")
	}
	return s.CommitmentText.Field(name)
}

// ChangedFields names the fields that differ between two snapshots, in
// VersionedFields order. Sources compare by their ids.
func ChangedFields(before, after *CommitmentSnapshot) []string {
	changed := []string{}
	for _, name := range VersionedFields {
		differs := false
		switch name {
		case FieldMilestones:
			differs = !slices.EqualFunc(before.Milestones, after.Milestones, MilestoneText.sameText)
		case FieldSources:
			differs = !sameRefs(before.Sources.Ideas, after.Sources.Ideas) || !sameRefs(before.Sources.Themes, after.Sources.Themes)
		default:
			differs = before.Text(name) != after.Text(name)
		}
		if differs {
			changed = append(changed, name)
		}
	}
	return changed
}

func sameRefs(a, b []SourceRef) bool {
	ids := func(rs []SourceRef) []int64 {
		out := make([]int64, len(rs))
		for i, r := range rs {
			out[i] = r.ID
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(ids(a), ids(b))
}

// CommitmentVersion is one version of a commitment: who made it, when, why,
// what it changed and what the commitment then said. Version 1 is the draft
// as created; its changed fields are those it filled in.
type CommitmentVersion struct {
	CommitmentID  int64              `json:"commitment_id" db:"commitment_id"`
	Version       int                `json:"version" db:"version"`
	AuthorID      *int64             `json:"author_id" db:"author_id"`
	AuthorName    *string            `json:"author_name" db:"author_name"` // null once the account is erased
	CreatedAt     time.Time          `json:"created_at" db:"created_at"`
	ChangeNote    *string            `json:"change_note" db:"change_note"`
	ChangedFields []string           `json:"changed_fields" db:"-"`
	MergedFrom    *int64             `json:"merged_from" db:"merged_from"` // the commitment whose merge made this version
	Snapshot      CommitmentSnapshot `json:"snapshot" db:"-"`
}

// FieldDiff is one field's word-by-word difference between two versions.
type FieldDiff struct {
	Field   string
	Changed bool
	Ops     []worddiff.Op
}

// CompareSnapshots returns the word-by-word difference of every field of
// two versions, in VersionedFields order.
func CompareSnapshots(from, to *CommitmentSnapshot) []FieldDiff {
	return CompareSnapshotsDated(from, to, nil)
}

// CompareSnapshotsDated is CompareSnapshots with the milestones' due dates
// written by day, as the reader's language writes a date (nil: YYYY-MM-DD).
func CompareSnapshotsDated(from, to *CommitmentSnapshot, day func(Date) string) []FieldDiff {
	out := make([]FieldDiff, 0, len(VersionedFields))
	for _, name := range VersionedFields {
		a, b := from.text(name, day), to.text(name, day)
		out = append(out, FieldDiff{Field: name, Changed: a != b, Ops: worddiff.Diff(a, b)})
	}
	return out
}

// CommitmentFilter selects a process's commitments.
type CommitmentFilter struct {
	ProcessSlug string
	Status      string // "" for every status
	Limit       int
	Offset      int
}

// Validate checks the status filter.
func (f *CommitmentFilter) Validate() error {
	if f.Status != "" && !slices.Contains(CommitmentStatuses, f.Status) {
		fe := FieldErrors{}
		fe.Add("status", RuleChoice, 0)
		return fe.Err()
	}
	return nil
}

// CommitmentService drafts, revises and approves commitments and keeps
// their versions. Merging, milestones, the report, traces and following
// have services of their own.
type CommitmentService interface {
	// CreateCommitment starts a draft in a process (officials), version 1.
	CreateCommitment(ctx context.Context, processSlug string, n NewCommitment) (*Commitment, error)
	// FindCommitment returns a commitment with its sources, milestones and merges.
	FindCommitment(ctx context.Context, id int64) (*Commitment, error)
	// FindCommitments lists a process's commitments, oldest first.
	FindCommitments(ctx context.Context, f CommitmentFilter) ([]*Commitment, int, error)
	// UpdateCommitment makes a new version (officials); ECONFLICT for a merged one.
	UpdateCommitment(ctx context.Context, id int64, p CommitmentPatch) (*Commitment, error)
	// FindCommitmentVersions lists every version, the first first.
	FindCommitmentVersions(ctx context.Context, id int64, limit, offset int) ([]*CommitmentVersion, int, error)
	// ApproveCommitment approves a draft (officials); ECONFLICT for any other status.
	ApproveCommitment(ctx context.Context, id int64) (*Commitment, error)
}

// uniqueInt64s returns ids without repeats, in their first order (never nil).
func uniqueInt64s(ids []int64) []int64 {
	out := []int64{}
	seen := map[int64]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
