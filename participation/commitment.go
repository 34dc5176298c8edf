package participation

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // due dates are Finnish days, on any host
	"unicode"
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

// Date is a calendar day written YYYY-MM-DD, as the API gives due dates and
// the date inputs of the pages send them. The empty Date is no date.
type Date string

// dateLayout is Date's format.
const dateLayout = "2006-01-02"

// Valid reports whether d is a real day in YYYY-MM-DD form.
func (d Date) Valid() bool {
	t, err := time.Parse(dateLayout, string(d))
	return err == nil && t.Format(dateLayout) == string(d)
}

// Time returns the day's start in UTC (zero for an invalid Date).
func (d Date) Time() time.Time {
	t, _ := time.Parse(dateLayout, string(d))
	return t
}

// finnishTime is where the days of due dates begin and end.
var finnishTime = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// DateOf returns the day that t falls on in Finland.
func DateOf(t time.Time) Date { return Date(t.In(finnishTime).Format(dateLayout)) }

// Overdue reports whether a milestone due on due with status is overdue at
// now: its due day has passed in Finland and it is not done.
func Overdue(due Date, status string, now time.Time) bool {
	return status != MilestoneDone && due != "" && due < DateOf(now)
}

// SourceRef names an idea or a theme that a commitment was drafted from.
type SourceRef struct {
	ID    int64  `json:"id" db:"id"`
	Title string `json:"title" db:"title"`
}

// Sources are the ideas and themes a commitment was drafted from.
type Sources struct {
	Ideas  []SourceRef `json:"ideas"`
	Themes []SourceRef `json:"themes"`
}

// CommitmentText is what a commitment says, after the Open Government
// Partnership commitment template. A version keeps a snapshot of it.
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
)

// CommitmentTextFields are the text fields in the template's order.
var CommitmentTextFields = []string{FieldTitle, FieldProblem, FieldDescription, FieldHowItAddresses, FieldRelevance, FieldLeadAgency, FieldOtherActors}

// VersionedFields are every field a version can change, in order.
var VersionedFields = append(slices.Clone(CommitmentTextFields), FieldStartsOn, FieldEndsOn, FieldMilestones, FieldSources)

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

func dateString(d *Date) string {
	if d == nil {
		return ""
	}
	return string(*d)
}

// Length limits of commitments, in characters.
const (
	CommitmentTitleMax = 300
	CommitmentTextMax  = 20000
	ActorsMax          = 2000
	MilestonesMax      = 50
	MilestoneTitleMax  = 500
	ChangeNoteMax      = 2000
	MilestoneNoteMax   = 5000
	EvidenceLinksMax   = 10
	EvidenceLinkMax    = 2000
)

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

// checkDate validates an optional date; an empty one is no date.
func checkDate(f FieldErrors, field string, d *Date) *Date {
	if d == nil {
		return nil
	}
	v := Date(strings.TrimSpace(string(*d)))
	if v == "" {
		return nil
	}
	if !v.Valid() {
		f.Add(field, RuleFormat, 0)
	}
	return &v
}

// MilestoneText is what a milestone says: what is to be done, by when and
// by whom. Versions keep it; ID is set for an existing milestone.
type MilestoneText struct {
	ID          int64  `json:"id,omitempty"`
	Title       string `json:"title"`
	Due         Date   `json:"due"`
	Responsible string `json:"responsible"`
}

// validateMilestones checks a list of milestones: each needs a title and a
// due date. Errors are named milestones[i].title as the API's fields.
func validateMilestones(f FieldErrors, ms []MilestoneText) {
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
	// ratings; the statement and survey steps fill them.
	Statements    []any      `json:"statements" db:"-"`
	SurveyResults []any      `json:"survey_results" db:"-"`
	CreatedAt     time.Time  `json:"created_at" db:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at" db:"updated_at"`
	ApprovedAt    *time.Time `json:"approved_at" db:"approved_at"`
	MergedAt      *time.Time `json:"merged_at" db:"merged_at"`
	ProcessSlug   string     `json:"-" db:"process_slug"`
	ProcessTitle  string     `json:"-" db:"process_title"`
}

// Snapshot returns what a version of the commitment keeps.
func (c *Commitment) Snapshot() CommitmentSnapshot {
	s := CommitmentSnapshot{CommitmentText: c.CommitmentText, Sources: c.Sources, Milestones: []MilestoneText{}}
	for _, m := range c.Milestones {
		s.Milestones = append(s.Milestones, MilestoneText{Title: m.Title, Due: m.Due, Responsible: m.Responsible})
	}
	return s
}

// Milestone is one step of a commitment's implementation with its traffic
// light. Merging moves a milestone, with its history, to the target.
type Milestone struct {
	ID            int64      `json:"id" db:"id"`
	CommitmentID  int64      `json:"commitment_id" db:"commitment_id"`
	Title         string     `json:"title" db:"title"`
	Due           Date       `json:"due" db:"due"`
	Responsible   string     `json:"responsible" db:"responsible"`
	Status        string     `json:"status" db:"status"`
	Note          *string    `json:"note" db:"note"`
	EvidenceLinks []string   `json:"evidence_links" db:"-"`
	Overdue       bool       `json:"overdue" db:"-"`
	UpdatedAt     *time.Time `json:"updated_at" db:"updated_at"`
	// OriginID is the commitment the milestone was drafted in; it differs
	// from CommitmentID after a merge.
	OriginID int64 `json:"origin_commitment_id" db:"origin_commitment_id"`
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
}

// NewCommitment is what an official gives to start a draft: the template's
// fields, the ideas and themes it is drafted from, and its milestones.
type NewCommitment struct {
	CommitmentText
	SourceIdeaIDs  []int64         `json:"source_idea_ids"`
	SourceThemeIDs []int64         `json:"source_theme_ids"`
	Milestones     []MilestoneText `json:"milestones"`
}

// Validate checks a new commitment. Only the title is required: a draft
// grows through its versions.
func (n *NewCommitment) Validate() error {
	f := FieldErrors{}
	n.CommitmentText.validate(f)
	for _, m := range n.Milestones {
		if m.ID != 0 {
			f.Add(FieldMilestones, RuleChoice, 0)
		}
	}
	validateMilestones(f, n.Milestones)
	n.SourceIdeaIDs = uniqueInt64s(n.SourceIdeaIDs)
	n.SourceThemeIDs = uniqueInt64s(n.SourceThemeIDs)
	return f.Err()
}

// CommitmentPatch changes a commitment, making a new version: nil fields
// stay as they are. An empty date clears it. Milestones, when given, is the
// whole new list: items with an id change that milestone, items without one
// are new, and milestones left out are removed (only while they have no
// status history). Source ids, when given, replace the sources.
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
	return text
}

// Validate checks the patch against the text it makes (text is the result
// of Apply, which Validate normalises).
func (p *CommitmentPatch) Validate(text *CommitmentText) error {
	f := FieldErrors{}
	text.validate(f)
	if p.Milestones != nil {
		validateMilestones(f, *p.Milestones)
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

// Merge says which commitment another one is merged into, and why.
type Merge struct {
	IntoID *int64 `json:"into_id"`
	Note   string `json:"note"`
}

// Validate checks a merge's fields; the states of the two commitments are
// the store's to check (with CheckMerge).
func (m *Merge) Validate() error {
	m.Note = strings.TrimSpace(m.Note)
	f := FieldErrors{}
	if m.IntoID == nil {
		f.Add("into_id", RuleRequired, 0)
	}
	f.Text("note", m.Note, 0, ChangeNoteMax)
	return f.Err()
}

// CheckMerge returns ECONFLICT unless from can be merged into into: two
// different commitments, neither merged already.
func CheckMerge(from, into *Commitment) error {
	switch {
	case from.Status == CommitmentMerged:
		return Errorf(ECONFLICT, "This commitment has already been merged into another.")
	case from.ID == into.ID:
		return Errorf(ECONFLICT, "A commitment cannot be merged into itself.")
	case into.Status == CommitmentMerged:
		return Errorf(ECONFLICT, "The target has been merged into another commitment; merge into that one instead.")
	}
	return nil
}

// MergeText returns into's text with from's appended, so that nothing of
// from is lost: each long text field of from is added to into's under from's
// title; from's lead agency and other actors join into's other actors
// (each name once); the dates widen to cover both. The title stays.
func MergeText(into, from CommitmentText) CommitmentText {
	out := into
	for _, name := range []string{FieldProblem, FieldDescription, FieldHowItAddresses, FieldRelevance} {
		add := strings.TrimSpace(from.Field(name))
		if add == "" {
			continue
		}
		p := out.field(name)
		part := from.Title + ":\n" + add
		if strings.TrimSpace(*p) == "" {
			*p = part
		} else {
			*p = strings.TrimRight(*p, " \t\r\n") + "\n\n" + part
		}
	}
	known := map[string]bool{}
	for _, a := range append(splitActors(into.LeadAgency), splitActors(into.OtherActors)...) {
		known[strings.ToLower(a)] = true
	}
	var added []string
	for _, a := range append(splitActors(from.LeadAgency), splitActors(from.OtherActors)...) {
		if !known[strings.ToLower(a)] {
			known[strings.ToLower(a)] = true
			added = append(added, a)
		}
	}
	if len(added) > 0 {
		if strings.TrimSpace(out.OtherActors) == "" {
			out.OtherActors = strings.Join(added, ", ")
		} else {
			out.OtherActors = strings.TrimSpace(out.OtherActors) + ", " + strings.Join(added, ", ")
		}
	}
	if from.StartsOn != nil && (out.StartsOn == nil || *from.StartsOn < *out.StartsOn) {
		out.StartsOn = from.StartsOn
	}
	if from.EndsOn != nil && (out.EndsOn == nil || *from.EndsOn > *out.EndsOn) {
		out.EndsOn = from.EndsOn
	}
	return out
}

// splitActors splits a list of organisations written with commas,
// semicolons or line breaks.
func splitActors(s string) []string {
	var out []string
	for _, a := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// MilestoneUpdate is an official's report on a milestone: its status, a
// note and links to evidence.
type MilestoneUpdate struct {
	Status        string   `json:"status"`
	Note          *string  `json:"note"`
	EvidenceLinks []string `json:"evidence_links"`
}

// Validate checks a milestone update: the status is one of the four, the
// evidence links are web addresses.
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
		if !validWebAddress(l) {
			f.Add("evidence_links", RuleFormat, 0)
		}
	}
	return f.Err()
}

// validWebAddress reports whether s is an absolute http or https address.
func validWebAddress(s string) bool {
	if len(s) > EvidenceLinkMax || strings.ContainsFunc(s, unicode.IsSpace) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// CommitmentSnapshot is what one version of a commitment said.
type CommitmentSnapshot struct {
	CommitmentText
	Milestones []MilestoneText `json:"milestones"`
	Sources    Sources         `json:"sources"`
}

// Text returns the named field as text, for comparisons: the text fields
// as they are, dates as YYYY-MM-DD, milestones one per line ("title, due,
// responsible") and sources one title per line.
func (s *CommitmentSnapshot) Text(name string) string {
	switch name {
	case FieldMilestones:
		lines := make([]string, len(s.Milestones))
		for i, m := range s.Milestones {
			line := m.Title + ", " + string(m.Due)
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
			differs = !slices.Equal(before.Milestones, after.Milestones)
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
	Ops     []DiffOp
}

// CompareSnapshots returns the word-by-word difference of every field of
// two versions, in VersionedFields order.
func CompareSnapshots(from, to *CommitmentSnapshot) []FieldDiff {
	out := make([]FieldDiff, 0, len(VersionedFields))
	for _, name := range VersionedFields {
		a, b := from.Text(name), to.Text(name)
		out = append(out, FieldDiff{Field: name, Changed: a != b, Ops: DiffWords(a, b)})
	}
	return out
}

// Diff operations.
const (
	DiffEqual  = "equal"
	DiffInsert = "insert"
	DiffDelete = "delete"
)

// DiffOp is one run of a word diff: text that both have, that the new text
// adds, or that it removes. A run's text keeps the white space after each of
// its words (of the new text where both have them), so that the runs of the
// new text, put together, are the new text.
type DiffOp struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// diffCellsMax bounds the LCS table (words of a × words of b, after the
// common start and end are taken off). Beyond it the differing middle is
// shown as removed and added whole rather than word by word.
const diffCellsMax = 4 << 20

// DiffWords compares two texts word by word with a longest common
// subsequence over their words (white space separates words and does not
// count as a difference), and returns equal, delete and insert runs. In each
// changed stretch the deletions come before the insertions.
func DiffWords(a, b string) []DiffOp {
	ta, tb := diffTokens(a), diffTokens(b)
	// The common start and end need no table.
	pre := 0
	for pre < len(ta) && pre < len(tb) && ta[pre].word == tb[pre].word {
		pre++
	}
	suf := 0
	for suf < len(ta)-pre && suf < len(tb)-pre && ta[len(ta)-1-suf].word == tb[len(tb)-1-suf].word {
		suf++
	}
	type step struct {
		op   string
		text string
	}
	var steps []step
	for _, t := range tb[:pre] {
		steps = append(steps, step{DiffEqual, t.text})
	}
	ma, mb := ta[pre:len(ta)-suf], tb[pre:len(tb)-suf]
	n, m := len(ma), len(mb)
	if n*m > diffCellsMax {
		for _, t := range ma {
			steps = append(steps, step{DiffDelete, t.text})
		}
		for _, t := range mb {
			steps = append(steps, step{DiffInsert, t.text})
		}
	} else {
		// lcs[i*(m+1)+j] is the LCS length of ma[i:] and mb[j:].
		lcs := make([]int32, (n+1)*(m+1))
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if ma[i].word == mb[j].word {
					lcs[i*(m+1)+j] = lcs[(i+1)*(m+1)+j+1] + 1
				} else {
					lcs[i*(m+1)+j] = max(lcs[(i+1)*(m+1)+j], lcs[i*(m+1)+j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && ma[i].word == mb[j].word:
				steps = append(steps, step{DiffEqual, mb[j].text})
				i++
				j++
			case j == m || (i < n && lcs[(i+1)*(m+1)+j] >= lcs[i*(m+1)+j+1]):
				steps = append(steps, step{DiffDelete, ma[i].text})
				i++
			default:
				steps = append(steps, step{DiffInsert, mb[j].text})
				j++
			}
		}
	}
	for _, t := range tb[len(tb)-suf:] {
		steps = append(steps, step{DiffEqual, t.text})
	}

	// Runs: equal text as it comes; each changed stretch as its deletions,
	// then its insertions.
	var out []DiffOp
	emit := func(op, text string) {
		if text == "" {
			return
		}
		if k := len(out) - 1; k >= 0 && out[k].Op == op {
			out[k].Text += text
			return
		}
		out = append(out, DiffOp{Op: op, Text: text})
	}
	var del, ins strings.Builder
	flush := func() {
		emit(DiffDelete, del.String())
		emit(DiffInsert, ins.String())
		del.Reset()
		ins.Reset()
	}
	for _, s := range steps {
		switch s.op {
		case DiffEqual:
			flush()
			emit(DiffEqual, s.text)
		case DiffDelete:
			del.WriteString(s.text)
		case DiffInsert:
			ins.WriteString(s.text)
		}
	}
	flush()
	return out
}

// diffToken is a word with the white space after it; the text's leading
// white space is a token with an empty word.
type diffToken struct {
	word string
	text string
}

func diffTokens(s string) []diffToken {
	var out []diffToken
	start := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsSpace(r) })
	if start < 0 {
		if s != "" {
			out = append(out, diffToken{text: s})
		}
		return out
	}
	if start > 0 {
		out = append(out, diffToken{text: s[:start]})
	}
	rest := s[start:]
	for rest != "" {
		end := strings.IndexFunc(rest, unicode.IsSpace)
		if end < 0 {
			out = append(out, diffToken{word: rest, text: rest})
			break
		}
		next := strings.IndexFunc(rest[end:], func(r rune) bool { return !unicode.IsSpace(r) })
		if next < 0 {
			out = append(out, diffToken{word: rest[:end], text: rest})
			break
		}
		out = append(out, diffToken{word: rest[:end], text: rest[:end+next]})
		rest = rest[end+next:]
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

// MilestoneTotals counts milestones per status.
type MilestoneTotals struct {
	Done       int `json:"done"`
	OnTrack    int `json:"on_track"`
	Late       int `json:"late"`
	NotStarted int `json:"not_started"`
}

// Add counts one milestone of status.
func (t *MilestoneTotals) Add(status string) {
	switch status {
	case MilestoneDone:
		t.Done++
	case MilestoneOnTrack:
		t.OnTrack++
	case MilestoneLate:
		t.Late++
	case MilestoneNotStarted:
		t.NotStarted++
	}
}

// Of returns the count of status.
func (t MilestoneTotals) Of(status string) int {
	switch status {
	case MilestoneDone:
		return t.Done
	case MilestoneOnTrack:
		return t.OnTrack
	case MilestoneLate:
		return t.Late
	case MilestoneNotStarted:
		return t.NotStarted
	}
	return 0
}

// Sum returns the number of milestones counted.
func (t MilestoneTotals) Sum() int { return t.Done + t.OnTrack + t.Late + t.NotStarted }

// CompletionTotals counts commitments per IRM completion level.
type CompletionTotals struct {
	NotStarted  int `json:"not_started"`
	Limited     int `json:"limited"`
	Substantial int `json:"substantial"`
	Complete    int `json:"complete"`
}

// Add counts one commitment of level.
func (t *CompletionTotals) Add(level string) {
	switch level {
	case CompletionNotStarted:
		t.NotStarted++
	case CompletionLimited:
		t.Limited++
	case CompletionSubstantial:
		t.Substantial++
	case CompletionComplete:
		t.Complete++
	}
}

// Of returns the count of level.
func (t CompletionTotals) Of(level string) int {
	switch level {
	case CompletionNotStarted:
		return t.NotStarted
	case CompletionLimited:
		return t.Limited
	case CompletionSubstantial:
		return t.Substantial
	case CompletionComplete:
		return t.Complete
	}
	return 0
}

// ImplementationReport is a process's implementation report, the
// self-assessment: the approved commitments with their milestones and the
// totals.
type ImplementationReport struct {
	ProcessID   int64            `json:"process_id"`
	Commitments []*Commitment    `json:"commitments"`
	Totals      MilestoneTotals  `json:"totals"`
	Overdue     int              `json:"overdue"`    // milestones past due and not done
	Completion  CompletionTotals `json:"completion"` // commitments per IRM level
	GeneratedAt time.Time        `json:"generated_at"`
}

// NewImplementationReport counts the milestones of approved commitments.
func NewImplementationReport(processID int64, commitments []*Commitment, now time.Time) *ImplementationReport {
	r := &ImplementationReport{ProcessID: processID, Commitments: commitments, GeneratedAt: now}
	if r.Commitments == nil {
		r.Commitments = []*Commitment{}
	}
	for _, c := range r.Commitments {
		for _, m := range c.Milestones {
			r.Totals.Add(m.Status)
			if m.Overdue {
				r.Overdue++
			}
		}
		r.Completion.Add(c.Completion)
	}
	return r
}

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

// RankedTheme is a theme on the drafting page with its workshop results
// and its ideas.
type RankedTheme struct {
	SourceRef
	RoundID   int64        `json:"round_id" db:"round_id"`
	RoundName string       `json:"round_title" db:"round_title"`
	BestRank  *int         `json:"best_rank" db:"best_rank"` // nil when in no poll
	Votes     int          `json:"votes" db:"votes"`         // in every poll together
	Polls     []TracePoll  `json:"polls" db:"-"`
	Ideas     []RankedIdea `json:"ideas" db:"-"`
}

// RankedIdea is an idea on the drafting page.
type RankedIdea struct {
	ID       int64  `json:"id" db:"id"`
	Title    string `json:"title" db:"title"`
	Language string `json:"language" db:"language"`
	Supports int    `json:"supports" db:"supports"`
	ThemeID  *int64 `json:"theme_id" db:"theme_id"`
	RoundID  int64  `json:"round_id" db:"round_id"`
}

// DraftingSources are what a process's participation chose, for drafting
// commitments: themes by their best rank in the workshop polls (then by
// votes), each with its ideas by supports, and the ideas in no theme.
type DraftingSources struct {
	Themes   []*RankedTheme `json:"themes"`
	Unthemed []RankedIdea   `json:"unthemed"`
}

// Following: what a signed-in person can follow.
const (
	FollowIdea       = "idea"
	FollowCommitment = "commitment"
)

// Notification kinds.
const (
	NotifyCommitmentApproved = "commitment_approved"
	NotifyMilestoneStatus    = "milestone_status"
)

// Notification is an in-app message to a follower.
type Notification struct {
	ID              int64      `json:"id" db:"id"`
	Kind            string     `json:"kind" db:"kind"`
	CommitmentID    int64      `json:"commitment_id" db:"commitment_id"`
	CommitmentTitle string     `json:"commitment_title" db:"commitment_title"`
	MilestoneID     *int64     `json:"milestone_id" db:"milestone_id"`
	MilestoneTitle  *string    `json:"milestone_title" db:"milestone_title"`
	Status          *string    `json:"status" db:"status"`
	Link            string     `json:"link" db:"link"`
	CreatedAt       time.Time  `json:"created_at" db:"created_at"`
	ReadAt          *time.Time `json:"read_at" db:"read_at"`
}

// NotificationFilter selects the signed-in account's notifications.
type NotificationFilter struct {
	UnreadOnly bool
	Limit      int
	Offset     int
}

// CommitmentService drafts, revises, merges and approves commitments,
// tracks their milestones, reports on them, traces ideas to them and
// notifies the people who follow them.
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
	// MergeCommitment merges a commitment into another (officials) and returns the merged one.
	MergeCommitment(ctx context.Context, id int64, m Merge) (*Commitment, error)
	// ApproveCommitment approves a draft (officials); ECONFLICT for any other status.
	ApproveCommitment(ctx context.Context, id int64) (*Commitment, error)

	// FindMilestone returns one milestone.
	FindMilestone(ctx context.Context, id int64) (*Milestone, error)
	// UpdateMilestone sets a milestone's status (officials), keeping the change.
	UpdateMilestone(ctx context.Context, id int64, u MilestoneUpdate) (*Milestone, error)
	// FindMilestoneChanges lists the changes of a milestone, newest first.
	FindMilestoneChanges(ctx context.Context, milestoneID int64) ([]*MilestoneChange, error)
	// FindCommitmentChanges lists the changes of every milestone of a commitment, newest first.
	FindCommitmentChanges(ctx context.Context, commitmentID int64) ([]*MilestoneChange, error)

	// FindReport returns the implementation report of a process's approved commitments.
	FindReport(ctx context.Context, processSlug string) (*ImplementationReport, error)
	// FindTrace returns what became of an idea.
	FindTrace(ctx context.Context, ideaID int64) (*Trace, error)
	// FindDraftingSources ranks a process's themes and ideas by the workshop votes.
	FindDraftingSources(ctx context.Context, processSlug string) (*DraftingSources, error)

	// Follow makes the signed-in account follow an idea or a commitment; repeating is harmless.
	Follow(ctx context.Context, kind string, id int64) error
	// Unfollow ends following; harmless when not following.
	Unfollow(ctx context.Context, kind string, id int64) error
	// IsFollowing reports whether the signed-in account follows the item (false when signed out).
	IsFollowing(ctx context.Context, kind string, id int64) (bool, error)
	// FindNotifications lists the signed-in account's notifications, newest first.
	FindNotifications(ctx context.Context, f NotificationFilter) ([]*Notification, int, error)
	// MarkNotificationsRead marks the given notifications (none: all) read and returns the unread count.
	MarkNotificationsRead(ctx context.Context, ids []int64) (int, error)
	// CountUnreadNotifications counts the signed-in account's unread notifications (0 when signed out).
	CountUnreadNotifications(ctx context.Context) (int, error)
}

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
