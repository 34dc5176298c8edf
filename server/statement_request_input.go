package server

import (
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// Reading the posted form of a statement request: its texts and their
// translations, its question rows and lists, and the renaming of the
// domain's field errors to the form's fields.

// ruleOwnLanguage is broken by a translation into the text's own language.
const ruleOwnLanguage = "own_language"

// requestInput is the form of a request as read: what to save, the rows
// of its questions, and errors of values the domain cannot be given.
type requestInput struct {
	n       participation.NewStatementRequest
	own     string
	qRowN   []int   // the form's row number of each question of n
	rowIDs  []int64 // the question id of every row posted, 0 for none
	errs    participation.FieldErrors
	form    map[string]string
	orgIDs  []int64
	orgQ    string
	unsaved string
}

// readRequestForm reads the posted form of a request.
func readRequestForm(c *fiber.Ctx) requestInput {
	form := formValues(c, "language", "title", "background", "contact_person", "deadline", "invited_emails", "org_q", "question_rows")
	in := requestInput{errs: participation.FieldErrors{}, form: form, orgQ: form["org_q"]}
	in.own = form["language"]
	if !slices.Contains(participation.ContentLanguages, in.own) {
		in.errs.Add("language", participation.RuleChoice, 0)
		in.own = participation.ContentLanguages[0]
	}
	n := &in.n
	n.Language = &in.own
	n.Title, n.Background, n.ContactPerson = form["title"], form["background"], form["contact_person"]
	n.Deadline = parseLocalTime(in.errs, "deadline", form["deadline"])
	n.Translations = participation.Translations{}
	for _, l := range participation.ContentLanguages {
		tr := formValues(c, "title_"+l, "background_"+l)
		for name, v := range tr {
			form[name] = v
			if v != "" && l == in.own {
				in.errs.Add(name, ruleOwnLanguage, 0)
			}
		}
		if l != in.own && (tr["title_"+l] != "" || tr["background_"+l] != "") {
			n.Translations[l] = map[string]string{"title": tr["title_"+l], "background": tr["background_"+l]}
		}
	}
	rows, _ := strconv.Atoi(form["question_rows"])
	rows = min(max(rows, blankQuestionRows), participation.MaxQuestions+blankQuestionRows)
	n.Questions = []participation.QuestionInput{}
	for r := 1; r <= rows; r++ {
		q, id, blank := readQuestionRow(c, in, r)
		in.rowIDs = append(in.rowIDs, id)
		if !blank {
			n.Questions = append(n.Questions, q)
			in.qRowN = append(in.qRowN, r)
		}
	}
	var errs participation.FieldErrors
	if n.CommitmentIDs, errs = formIDs(c, "commitment_ids"); errs != nil {
		in.errs.Add("commitment_ids", participation.RuleChoice, 0)
	}
	if in.orgIDs, errs = formIDs(c, "invited_organisation_ids"); errs != nil {
		in.errs.Add("invited_organisation_ids", participation.RuleChoice, 0)
	}
	n.InvitedOrganisationIDs = in.orgIDs
	// One address a line, or separated by commas, semicolons or spaces as
	// they are pasted from an email program.
	n.InvitedEmails = append([]string{}, strings.FieldsFunc(form["invited_emails"], func(r rune) bool {
		return r == '\n' || r == '\r' || r == ',' || r == ';' || r == ' ' || r == '\t'
	})...)
	switch {
	case c.FormValue("find_organisations") != "":
		in.unsaved = unsavedSearch
	case c.FormValue("more_rows") != "":
		in.unsaved = unsavedRows
	}
	return in
}

// readQuestionRow reads row r of the questions into in.form; a row with
// nothing in it, or marked to be removed, is blank.
func readQuestionRow(c *fiber.Ctx, in requestInput, r int) (q participation.QuestionInput, id int64, blank bool) {
	n := strconv.Itoa(r)
	names := []string{"question_id_" + n, "question_prompt_" + n, "question_commitment_" + n, "question_remove_" + n}
	for _, l := range participation.ContentLanguages {
		names = append(names, "question_prompt_"+l+"_"+n)
	}
	row := formValues(c, names...)
	for k, v := range row {
		in.form[k] = v
	}
	if v := row["question_id_"+n]; v != "" {
		if parsed, err := strconv.ParseInt(v, 10, 64); err == nil && parsed > 0 {
			id = parsed
			q.ID = &id
		}
	}
	q.Prompt = row["question_prompt_"+n]
	empty := q.Prompt == ""
	for _, l := range participation.ContentLanguages {
		v := row["question_prompt_"+l+"_"+n]
		if v == "" {
			continue
		}
		empty = false
		if l == in.own {
			in.errs.Add("question_prompt_"+l+"_"+n, ruleOwnLanguage, 0)
			continue
		}
		if q.Translations == nil {
			q.Translations = participation.Translations{}
		}
		q.Translations[l] = map[string]string{"prompt": v}
	}
	if v := row["question_commitment_"+n]; v != "" {
		cid, err := strconv.ParseInt(v, 10, 64)
		if err != nil || cid < 1 {
			in.errs.Add("question_commitment_"+n, participation.RuleChoice, 0)
		} else {
			q.CommitmentID = &cid
		}
	}
	return q, id, row["question_remove_"+n] != "" || (empty && q.CommitmentID == nil)
}

// pageErrors renames the domain's field errors of a request to the form's
// fields: a question's by its row, a translation's by its language.
func (in *requestInput) pageErrors(err error) error {
	names := map[string]string{}
	for i, r := range in.qRowN {
		pre, n := "questions."+strconv.Itoa(i)+".", strconv.Itoa(r)
		names[pre+"prompt"] = "question_prompt_" + n
		names[pre+"id"] = "question_prompt_" + n
		names[pre+"commitment_id"] = "question_commitment_" + n
		for _, l := range participation.ContentLanguages {
			names[pre+"translations."+l+".prompt"] = "question_prompt_" + l + "_" + n
			names[pre+"translations."+l] = "question_prompt_" + l + "_" + n
		}
	}
	for _, l := range participation.ContentLanguages {
		names["translations."+l+".title"] = "title_" + l
		names["translations."+l+".background"] = "background_" + l
		names["translations."+l] = "title_" + l
	}
	return pageFieldErrors(err, names, tooManyRules)
}

// withFormatErrors adds the errors of values the form could not read
// (errs) to the domain's refusal err: a time that is not understood is
// missing to the domain, and the form says what is wrong with it instead.
// Without a refusal they are the whole error.
func withFormatErrors(err error, errs participation.FieldErrors) error {
	if len(errs) == 0 {
		return err
	}
	var de *participation.Error
	if errors.As(err, &de) && de.Code == participation.EINVALID {
		fields := participation.FieldErrors{}
		maps.Copy(fields, de.Fields)
		maps.Copy(fields, errs)
		return &participation.Error{Code: de.Code, Message: de.Message, Fields: fields}
	}
	if err != nil {
		return err
	}
	return errs.Err()
}
