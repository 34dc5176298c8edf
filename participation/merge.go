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
// (each name once); the dates widen to cover both. The title stays. From's
// texts are taken in into's language where it has them.
//
// Translations are appended the same way, per language: where into has a
// translation of a field and from has the field in that language (as a
// translation, or as its own text), from's part is added to it; where into
// has none, its readers in that language see its own text, which holds
// from's part already, so nothing is added, unless into's own field was
// empty (then the translation is from's part alone).
func MergeText(into, from CommitmentText) CommitmentText {
	out := into
	out.Translations = into.Translations.Clone()
	own := into.OwnLanguage()
	// fromIn is from's field in lang, or "" when it has none in lang.
	fromIn := func(lang, name string) string {
		if lang == from.OwnLanguage() {
			return from.Field(name)
		}
		return from.Translations.Get(lang, name)
	}
	titleIn := func(lang string) string { return from.In(lang, FieldTitle, from.Title).Text }
	for _, name := range []string{FieldProblem, FieldDescription, FieldHowItAddresses, FieldRelevance} {
		if add := strings.TrimSpace(from.In(own, name, from.Field(name)).Text); add != "" {
			p := out.field(name)
			*p = appendPart(*p, titleIn(own)+":\n"+add)
		}
		for _, lang := range ContentLanguages {
			add := strings.TrimSpace(fromIn(lang, name))
			have := into.Translations.Get(lang, name)
			if lang == own || add == "" || (have == "" && strings.TrimSpace(into.Field(name)) != "") {
				continue
			}
			out.Translations.Set(lang, name, appendPart(have, titleIn(lang)+":\n"+add))
		}
	}
	out.OtherActors = mergeActors(into.LeadAgency, into.OtherActors,
		from.In(own, FieldLeadAgency, from.LeadAgency).Text, from.In(own, FieldOtherActors, from.OtherActors).Text)
	for _, lang := range ContentLanguages {
		have := into.Translations.Get(lang, FieldOtherActors)
		lead, other := fromIn(lang, FieldLeadAgency), fromIn(lang, FieldOtherActors)
		if lang == own || (lead == "" && other == "") || (have == "" && strings.TrimSpace(into.OtherActors) != "") {
			continue
		}
		out.Translations.Set(lang, FieldOtherActors, mergeActors(into.In(lang, FieldLeadAgency, into.LeadAgency).Text, have, lead, other))
	}
	if from.StartsOn != nil && (out.StartsOn == nil || *from.StartsOn < *out.StartsOn) {
		out.StartsOn = from.StartsOn
	}
	if from.EndsOn != nil && (out.EndsOn == nil || *from.EndsOn > *out.EndsOn) {
		out.EndsOn = from.EndsOn
	}
	return out
}

// appendPart adds a paragraph to a text, or is the text when there was none.
func appendPart(text, part string) string {
	if strings.TrimSpace(text) == "" {
		return part
	}
	return strings.TrimRight(text, " \t\r\n") + "\n\n" + part
}

// mergeActors returns the other actors of a merged commitment: those it had
// (other), then the lead agency and other actors of the one merged into it
// (addLead, addOther) that it did not name already, as lead or other.
func mergeActors(lead, other, addLead, addOther string) string {
	known := map[string]bool{}
	for _, a := range append(splitActors(lead), splitActors(other)...) {
		known[strings.ToLower(a)] = true
	}
	var added []string
	for _, a := range append(splitActors(addLead), splitActors(addOther)...) {
		if !known[strings.ToLower(a)] {
			known[strings.ToLower(a)] = true
			added = append(added, a)
		}
	}
	switch {
	case len(added) == 0:
		return other
	case strings.TrimSpace(other) == "":
		return strings.Join(added, ", ")
	}
	return strings.TrimSpace(other) + ", " + strings.Join(added, ", ")
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
