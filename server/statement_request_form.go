package server

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// The official's form of a statement request, for a new draft and for an
// edit: its texts with their translations, the questions (rows to add and
// remove without JavaScript), the draft commitments it concerns and the
// organisations it invites, picked from the register with a search.
// Reading what it posts is statement_request_input.go's.

// blankQuestionRows are the empty question rows the form offers, and how
// many more the "more rows" button adds.
const blankQuestionRows = 3

// organisationChoices is how many organisations of the register the form
// offers besides those already invited: a search finds the others.
const organisationChoices = 50

// Why the form came back without saving: a search of the register, or
// more question rows.
const (
	unsavedSearch = "search"
	unsavedRows   = "rows"
)

// requestFormData is the form of a request: a new draft (Request nil) in
// Process, or an edit of Request.
type requestFormData struct {
	Process     *participation.Process
	Request     *participation.StatementRequest
	Attachments []attachmentView
	// Own is the language of the form's own texts, Others the languages
	// whose translations it offers.
	Own       string
	Others    []string
	Languages []string
	Rows      []questionRow
	// Commitments are the process's commitments a request may concern.
	Commitments []*participation.Commitment
	// Organisations are those offered: the invited ones first, then the
	// register's (or the search's) others.
	Organisations []participation.OrganisationRef
	OrgQuery      string
	// OrgMore counts the register's (or the search's) organisations not shown.
	OrgMore int
	// Checked holds "org-ID" and "commitment-ID" of the checked boxes.
	Checked map[string]bool
	// Unsaved says why the form came back without saving, or "".
	Unsaved string
	// Form holds the form's values, for the handlers that show it again.
	Form map[string]string
}

// questionRow is one row of the form's questions; ID is set for a
// question the request has.
type questionRow struct {
	N  int
	ID int64
}

// Action returns where the form posts.
func (d *requestFormData) Action() string {
	if d.Request != nil {
		return "/statement-requests/" + itoa(d.Request.ID)
	}
	return "/processes/" + d.Process.Slug + "/statement-requests"
}

// Published says whether the request has been published (then the
// deadline moves with a form of its own).
func (d *requestFormData) Published() bool {
	return d.Request != nil && d.Request.PublishedAt != nil
}

// RowCount is the number of question rows, for the form to post back.
func (d *requestFormData) RowCount() int { return len(d.Rows) }

// setLanguage makes own the form's language and the rest the others.
func (d *requestFormData) setLanguage(own string) {
	if !slices.Contains(participation.ContentLanguages, own) {
		own = participation.ContentLanguages[0]
	}
	d.Own, d.Languages, d.Others = own, participation.ContentLanguages, nil
	for _, l := range participation.ContentLanguages {
		if l != own {
			d.Others = append(d.Others, l)
		}
	}
}

// newRequestFormData loads what the form of a request in process p offers.
func (s *Server) newRequestFormData(c *fiber.Ctx, p *participation.Process) (*requestFormData, error) {
	d := &requestFormData{Process: p, Checked: map[string]bool{}, Form: map[string]string{}}
	list, _, err := s.svc.Commitments.FindCommitments(c.UserContext(), participation.CommitmentFilter{ProcessSlug: p.Slug, Limit: maxLimit})
	if err != nil {
		return nil, err
	}
	for _, cm := range list {
		if cm.Status != participation.CommitmentMerged {
			d.Commitments = append(d.Commitments, cm)
		}
	}
	return d, nil
}

// editRequestData loads the edit form of request r.
func (s *Server) editRequestData(c *fiber.Ctx, r *participation.StatementRequest) (*requestFormData, error) {
	p, err := s.svc.Processes.FindProcessBySlug(c.UserContext(), r.ProcessSlug)
	if err != nil {
		return nil, err
	}
	d, err := s.newRequestFormData(c, p)
	if err != nil {
		return nil, err
	}
	d.Request, d.Attachments = r, attachmentViews(r.Attachments)
	return d, nil
}

// offerOrganisations puts in d the organisations to choose from: invited,
// the ones checked (named by invited), then the register's matches of query.
func (s *Server) offerOrganisations(c *fiber.Ctx, d *requestFormData, checked []int64, invited []participation.OrganisationRef, query string) error {
	d.OrgQuery = query
	names := map[int64]participation.OrganisationRef{}
	for _, o := range invited {
		names[o.ID] = o
	}
	shown := map[int64]bool{}
	for _, id := range checked {
		d.Checked["org-"+itoa(id)] = true
		o, ok := names[id]
		if !ok {
			found, err := s.svc.Organisations.FindOrganisation(c.UserContext(), id)
			if participation.ErrorCode(err) == participation.ENOTFOUND {
				continue // gone from the register: the store refuses the id
			} else if err != nil {
				return err
			}
			o = found.Ref()
		}
		if !shown[id] {
			shown[id] = true
			d.Organisations = append(d.Organisations, o)
		}
	}
	found, total, err := s.svc.Organisations.FindOrganisations(c.UserContext(), participation.OrganisationFilter{Query: query, Limit: organisationChoices})
	if err != nil {
		return err
	}
	d.OrgMore = total - len(found)
	for _, o := range found {
		if !shown[o.ID] {
			shown[o.ID] = true
			d.Organisations = append(d.Organisations, o.Ref())
		}
	}
	return nil
}

// fillRequestForm puts request r's values in d's form, as the edit form
// first shows them.
func fillRequestForm(d *requestFormData, r *participation.StatementRequest) {
	f := d.Form
	d.setLanguage(r.OwnLanguage())
	f["language"] = d.Own
	f["title"], f["background"], f["contact_person"] = r.Title, r.Background, r.ContactPerson
	f["deadline"] = r.Deadline.In(helsinki).Format(participation.DateTimeLayout)
	for _, l := range d.Others {
		f["title_"+l] = r.Translations[l]["title"]
		f["background_"+l] = r.Translations[l]["background"]
	}
	f["invited_emails"] = strings.Join(r.InvitedEmails, "\n")
	for _, id := range r.CommitmentIDs {
		d.Checked["commitment-"+itoa(id)] = true
	}
	ids := make([]int64, len(r.Questions))
	for i, q := range r.Questions {
		n := strconv.Itoa(i + 1)
		ids[i] = q.ID
		f["question_id_"+n] = itoa(q.ID)
		f["question_prompt_"+n] = q.Prompt
		for _, l := range d.Others {
			f["question_prompt_"+l+"_"+n] = q.Translations[l]["prompt"]
		}
		if q.CommitmentID != nil {
			f["question_commitment_"+n] = itoa(*q.CommitmentID)
		}
	}
	d.Rows = questionRows(ids, len(ids))
}

// questionRows returns rows for the questions ids and blank rows up to at
// least filled rows, then blankQuestionRows more.
func questionRows(ids []int64, filled int) []questionRow {
	n := max(len(ids), filled) + blankQuestionRows
	rows := make([]questionRow, n)
	for i := range rows {
		rows[i] = questionRow{N: i + 1}
		if i < len(ids) {
			rows[i].ID = ids[i]
		}
	}
	return rows
}

// showRequestForm shows the form again from what was posted: with errors
// (err) or, when err is nil, because it came back unsaved.
func (s *Server) showRequestForm(c *fiber.Ctx, d *requestFormData, in requestInput, invited []participation.OrganisationRef, err error) error {
	d.setLanguage(in.own)
	// A translation into the text's own language stays in sight with its
	// error, so that its text can be moved where it belongs.
	for _, fe := range in.errs {
		if fe.Rule == ruleOwnLanguage {
			d.Others = append(d.Others, in.own)
			break
		}
	}
	d.Form = in.form
	d.Unsaved = in.unsaved
	filled := 0
	for i := range in.rowIDs {
		if in.form["question_prompt_"+strconv.Itoa(i+1)] != "" {
			filled = i + 1
		}
	}
	if in.unsaved == unsavedRows {
		filled = len(in.rowIDs)
	}
	ids := slices.Clone(in.rowIDs)
	for len(ids) > 0 && ids[len(ids)-1] == 0 {
		ids = ids[:len(ids)-1]
	}
	d.Rows = questionRows(ids, filled)
	for _, id := range in.n.CommitmentIDs {
		d.Checked["commitment-"+itoa(id)] = true
	}
	if oerr := s.offerOrganisations(c, d, in.orgIDs, invited, in.orgQ); oerr != nil {
		return oerr
	}
	if err == nil {
		return s.render(c, fiber.StatusOK, "statement_request_form", d, d.Form, nil)
	}
	return s.formError(c, "statement_request_form", d, d.Form, in.pageErrors(err))
}

func (s *Server) newStatementRequestPage(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	p, err := s.svc.Processes.FindProcessBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	d, err := s.newRequestFormData(c, p)
	if err != nil {
		return err
	}
	d.setLanguage(requestLang(c))
	d.Form["language"] = d.Own
	// A fortnight is a usual time for statements; the official sets it.
	d.Form["deadline"] = time.Now().In(helsinki).AddDate(0, 0, 14).Truncate(time.Hour).Format(participation.DateTimeLayout)
	d.Rows = questionRows(nil, 0)
	if err := s.offerOrganisations(c, d, nil, nil, ""); err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "statement_request_form", d, d.Form, nil)
}

func (s *Server) createStatementRequestForm(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	p, err := s.svc.Processes.FindProcessBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	in := readRequestForm(c)
	d, err := s.newRequestFormData(c, p)
	if err != nil {
		return err
	}
	if in.unsaved != "" {
		return s.showRequestForm(c, d, in, nil, nil)
	}
	var r *participation.StatementRequest
	if len(in.errs) == 0 {
		r, err = s.svc.StatementRequests.CreateStatementRequest(c.UserContext(), p.Slug, in.n)
	} else {
		// Nothing is saved; the domain's rules still say all that is wrong.
		n := in.n
		_, err = n.Validate(time.Now())
	}
	if err = withFormatErrors(err, in.errs); err != nil {
		return s.showRequestForm(c, d, in, nil, err)
	}
	s.flash(c, "request_created")
	return redirect(c, requestEditPath(r.ID))
}

func (s *Server) editStatementRequestPage(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	r, err := s.findRequest(c)
	if err != nil {
		return err
	}
	d, err := s.editRequestData(c, r)
	if err != nil {
		return err
	}
	fillRequestForm(d, r)
	if err := s.offerOrganisations(c, d, r.InvitedOrganisationIDs, r.InvitedOrganisations, ""); err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "statement_request_form", d, d.Form, nil)
}

func (s *Server) updateStatementRequestForm(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	r, err := s.findRequest(c)
	if err != nil {
		return err
	}
	in := readRequestForm(c)
	d, err := s.editRequestData(c, r)
	if err != nil {
		return err
	}
	if in.unsaved != "" {
		return s.showRequestForm(c, d, in, r.InvitedOrganisations, nil)
	}
	n := in.n
	translations := n.Translations
	patch := participation.StatementRequestPatch{
		Title: &n.Title, Background: &n.Background, ContactPerson: &n.ContactPerson,
		Questions: &n.Questions, InvitedOrganisationIDs: &n.InvitedOrganisationIDs, CommitmentIDs: &n.CommitmentIDs,
		InvitedEmails: &n.InvitedEmails, Language: n.Language, Translations: &translations,
	}
	if r.PublishedAt == nil {
		// A published request's deadline moves with a form of its own.
		patch.Deadline = n.Deadline
		if n.Deadline == nil && in.errs["deadline"].Rule == "" {
			in.errs.Add("deadline", participation.RuleRequired, 0)
		}
	} else {
		delete(in.errs, "deadline")
	}
	if len(in.errs) == 0 {
		_, err = s.svc.StatementRequests.UpdateStatementRequest(c.UserContext(), r.ID, patch)
	} else {
		// Nothing is saved; the domain's rules still say all that is wrong.
		check := *r
		err = patch.Apply(&check, time.Now())
	}
	if err = withFormatErrors(err, in.errs); err != nil {
		return s.showRequestForm(c, d, in, r.InvitedOrganisations, err)
	}
	s.flash(c, "request_saved")
	return redirect(c, requestEditPath(r.ID))
}
