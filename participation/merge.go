package participation

import (
	"context"
	"fmt"
	"strings"
)

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

// CheckMerge returns why from cannot be merged into into, or nil: ECONFLICT
// unless they are two different commitments, neither merged already, and
// then EINVALID (on into_id) for commitments of different processes.
func CheckMerge(from, into *Commitment) error {
	switch {
	case from.Status == CommitmentMerged:
		return Errorf(ECONFLICT, "This commitment has already been merged into another.")
	case from.ID == into.ID:
		return Errorf(ECONFLICT, "A commitment cannot be merged into itself.")
	case into.Status == CommitmentMerged:
		return Errorf(ECONFLICT, "The target has been merged into another commitment; merge into that one instead.")
	case from.ProcessID != into.ProcessID:
		f := FieldErrors{}
		f.Add("into_id", RuleChoice, 0)
		return &Error{Code: EINVALID, Message: "Commitments of different processes cannot be merged.", Fields: f}
	}
	return nil
}

// VersionNote is the change note of the version a merge makes of its
// target: the merge's note, or else which commitment was merged.
func (m *Merge) VersionNote(from *Commitment) string {
	if m.Note != "" {
		return m.Note
	}
	return fmt.Sprintf("Merged #%d %s", from.ID, from.Title)
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

// MergeService merges one commitment into another.
type MergeService interface {
	// MergeCommitment merges a commitment into another (officials) and returns the merged one.
	MergeCommitment(ctx context.Context, id int64, m Merge) (*Commitment, error)
}
