package server

import (
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// statementPages registers answering a statement request (the form is on
// the request's page): saving a draft, the confirmation step, submitting
// and the page that confirms it; the summary of a request's answers, where
// officials write how each question's answers were taken into account
// (statement_summary_pages.go).
func (s *Server) statementPages(r fiber.Router) {
	r.Post("/statement-requests/:id/statement", s.saveStatementForm)
	r.Get("/statement-requests/:id/statement/confirm", s.confirmStatementPage)
	r.Post("/statement-requests/:id/statement/submit", s.submitStatementForm)
	r.Get("/statement-requests/:id/statement/submitted", s.statementSubmittedPage)
	r.Get("/statement-requests/:id/summary", s.statementSummaryPage)
	r.Post("/statement-requests/:id/questions/:question_id/response", s.questionResponseForm)
}

// answerFormData is the answer form of a request for the signed-in person:
// whom they answer for, and what they have saved.
type answerFormData struct {
	Request *participation.StatementRequest
	// Mine are the organisations the person is a member of, to answer for.
	Mine []*participation.Organisation
	// For is the organisation answered for; 0 answers for oneself.
	For int64
	// Statement is the saved draft or the submitted statement, or nil.
	Statement *participation.Statement
	Positions []string
}

// ForName returns the name of the organisation answered for, or "".
func (d *answerFormData) ForName() string {
	for _, o := range d.Mine {
		if o.ID == d.For {
			return o.Name
		}
	}
	return ""
}

// Submitted says whether the statement has been submitted: then it is final.
func (d *answerFormData) Submitted() bool {
	return d.Statement != nil && d.Statement.Status == participation.StatementSubmitted
}

// ForQuery is the query that names whom the person answers for.
func (d *answerFormData) ForQuery() string { return "organisation_id=" + itoa(d.For) }

// answerFor reads whom the person answers for: ?organisation_id= (or the
// form's field) when it names one of their organisations, or 0 for
// themselves; without one, the first of their organisations that the
// request invites, else their first, else themselves. A form that names
// an organisation they are not a member of (any more) is EFORBIDDEN, as
// in the API: its statement must not go to another.
func answerFor(c *fiber.Ctx, r *participation.StatementRequest, mine []*participation.Organisation) (int64, error) {
	v := c.Query("organisation_id")
	if c.Method() == fiber.MethodPost {
		v = c.FormValue("organisation_id")
	}
	if id, err := strconv.ParseInt(v, 10, 64); err == nil {
		if id == 0 || slices.ContainsFunc(mine, func(o *participation.Organisation) bool { return o.ID == id }) {
			return id, nil
		}
	}
	if c.Method() == fiber.MethodPost {
		return 0, participation.Errorf(participation.EFORBIDDEN, "You are not a member of that organisation.")
	}
	for _, o := range mine {
		if slices.Contains(r.InvitedOrganisationIDs, o.ID) {
			return o.ID, nil
		}
	}
	if len(mine) > 0 {
		return mine[0].ID, nil
	}
	return 0, nil
}

// answerData loads the signed-in person's answer form of request r.
func (s *Server) answerData(c *fiber.Ctx, r *participation.StatementRequest) (*answerFormData, error) {
	ctx := c.UserContext()
	mine, err := s.svc.Organisations.FindMyOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	d := &answerFormData{Request: r, Mine: mine, Positions: participation.Positions}
	if d.For, err = answerFor(c, r, mine); err != nil {
		return nil, err
	}
	st, err := s.svc.Statements.FindMyStatement(ctx, r.ID, d.forID())
	if err != nil && participation.ErrorCode(err) != participation.ENOTFOUND {
		return nil, err
	}
	d.Statement = st
	return d, nil
}

// forID is For as the services take it: nil for oneself.
func (d *answerFormData) forID() *int64 {
	if d.For == 0 {
		return nil
	}
	id := d.For
	return &id
}

// answerForm loads the answer form of request r with the saved values; a
// new statement's language is the page's.
func (s *Server) answerForm(c *fiber.Ctx, r *participation.StatementRequest) (*answerFormData, map[string]string, error) {
	d, err := s.answerData(c, r)
	if err != nil {
		return nil, nil, err
	}
	form := map[string]string{"language": requestLang(c)}
	if st := d.Statement; st != nil {
		form["summary"], form["language"] = st.Summary, st.Language
		for _, a := range st.Answers {
			form["position_"+itoa(a.QuestionID)] = a.Position
			form["text_"+itoa(a.QuestionID)] = a.Text
		}
	}
	return d, form, nil
}

// readAnswers reads the answer form of request r: the language chosen
// (without one, a statement keeps its own and a new one takes the
// request's); a question with neither a position nor a text is left
// unanswered; one with a text and no position is the position's error.
func readAnswers(c *fiber.Ctx, r *participation.StatementRequest) (participation.StatementInput, map[string]string, participation.FieldErrors) {
	form := formValues(c, "summary", "language")
	in := participation.StatementInput{Summary: form["summary"], Language: form["language"], Answers: []participation.StatementAnswer{}}
	errs := participation.FieldErrors{}
	for _, q := range r.Questions {
		id := itoa(q.ID)
		row := formValues(c, "position_"+id, "text_"+id)
		for k, v := range row {
			form[k] = v
		}
		pos, text := row["position_"+id], row["text_"+id]
		switch {
		case pos == "" && text == "":
			continue
		case pos == "":
			errs.Add("position_"+id, participation.RuleRequired, 0)
			continue
		}
		in.Answers = append(in.Answers, participation.StatementAnswer{QuestionID: q.ID, Position: pos, Text: text})
	}
	return in, form, errs
}

// answerErrors renames a statement's field errors to the form's fields.
func answerErrors(err error, answers []participation.StatementAnswer) error {
	names := map[string]string{"organisation_id": "_form"}
	for i, a := range answers {
		pre, id := "answers."+strconv.Itoa(i)+".", itoa(a.QuestionID)
		names[pre+"position"] = "position_" + id
		names[pre+"text"] = "text_" + id
		names[pre+"question_id"] = "position_" + id
	}
	return pageFieldErrors(err, names, nil)
}

// ruleStatementIncomplete is the confirmation step's refusal of a draft
// that the domain will not take as it is.
const ruleStatementIncomplete = "statement_incomplete"

// answerSubmit is the action of the answer form's button that saves the
// draft and goes on to the confirmation step; the other only saves.
const answerSubmit = "submit"

func (s *Server) saveStatementForm(c *fiber.Ctx) error {
	r, err := s.findRequest(c)
	if err != nil {
		return err
	}
	back := "/statement-requests/" + itoa(r.ID)
	if account(c) == nil {
		return redirect(c, "/login?next="+back)
	}
	d, err := s.answerData(c, r)
	if err != nil {
		return err
	}
	in, form, errs := readAnswers(c, r)
	in.OrganisationID = d.forID()
	if len(errs) == 0 {
		d.Statement, err = s.svc.Statements.SaveStatement(c.UserContext(), r.ID, in)
	} else {
		err = errs.Err()
	}
	if err != nil {
		return s.formError(c, "statement_request", &requestPageData{Request: r, Attachments: attachmentViews(r.Attachments), Answer: d}, form, answerErrors(err, in.Answers))
	}
	if c.FormValue("action") == answerSubmit {
		return redirect(c, back+"/statement/confirm?"+d.ForQuery())
	}
	s.flash(c, "statement_saved")
	return redirect(c, back+"?"+d.ForQuery()+"#answer-heading")
}

// confirmData is the confirmation step before submitting: the request and
// the draft as it will be published.
type confirmData struct {
	Answer *answerFormData
	Items  []answerItem
}

// answerItem is one question with a statement's answer to it, or none.
type answerItem struct {
	Question participation.StatementQuestion
	Answer   *participation.StatementAnswer
}

// answerItems pairs r's questions with st's answers, in the questions' order.
func answerItems(r *participation.StatementRequest, st *participation.Statement) []answerItem {
	items := make([]answerItem, len(r.Questions))
	for i, q := range r.Questions {
		items[i] = answerItem{Question: q}
		for j := range st.Answers {
			if st.Answers[j].QuestionID == q.ID {
				items[i].Answer = &st.Answers[j]
			}
		}
	}
	return items
}

// myStatement loads the request of the path and the signed-in person's
// statement on it; a redirect is sent instead when there is nothing to
// confirm (not signed in, or no statement yet).
func (s *Server) myStatement(c *fiber.Ctx) (*answerFormData, bool, error) {
	r, err := s.findRequest(c)
	if err != nil {
		return nil, false, err
	}
	if account(c) == nil {
		return nil, false, redirect(c, "/login?next=/statement-requests/"+itoa(r.ID))
	}
	d, err := s.answerData(c, r)
	if err != nil {
		return nil, false, err
	}
	if d.Statement == nil {
		return nil, false, redirect(c, "/statement-requests/"+itoa(r.ID)+"?"+d.ForQuery()+"#answer-heading")
	}
	return d, true, nil
}

func (s *Server) confirmStatementPage(c *fiber.Ctx) error {
	d, ok, err := s.myStatement(c)
	if !ok || err != nil {
		return err
	}
	if d.Submitted() {
		return redirect(c, "/statement-requests/"+itoa(d.Request.ID)+"/statement/submitted?"+d.ForQuery())
	}
	return s.render(c, fiber.StatusOK, "statement_confirm", &confirmData{Answer: d, Items: answerItems(d.Request, d.Statement)}, nil, nil)
}

func (s *Server) submitStatementForm(c *fiber.Ctx) error {
	d, ok, err := s.myStatement(c)
	if !ok || err != nil {
		return err
	}
	st := d.Statement
	if !d.Submitted() {
		_, err = s.svc.Statements.SaveStatement(c.UserContext(), d.Request.ID, participation.StatementInput{
			OrganisationID: d.forID(), Summary: st.Summary, Language: st.Language, Answers: st.Answers, Submit: true,
		})
	}
	if err != nil {
		// The confirmation shows the draft, not its fields: a refusal of
		// its content sends the author back to the form.
		if participation.ErrorCode(err) == participation.EINVALID {
			err = &participation.Error{Code: participation.EINVALID, Message: participation.ErrorMessage(err),
				Fields: participation.FieldErrors{"_form": {Rule: ruleStatementIncomplete}}}
		}
		return s.formError(c, "statement_confirm", &confirmData{Answer: d, Items: answerItems(d.Request, st)}, nil, err)
	}
	s.flash(c, "statement_submitted")
	return redirect(c, "/statement-requests/"+itoa(d.Request.ID)+"/statement/submitted?"+d.ForQuery())
}

func (s *Server) statementSubmittedPage(c *fiber.Ctx) error {
	d, ok, err := s.myStatement(c)
	if !ok || err != nil {
		return err
	}
	if !d.Submitted() {
		return redirect(c, "/statement-requests/"+itoa(d.Request.ID)+"/statement/confirm?"+d.ForQuery())
	}
	return s.render(c, fiber.StatusOK, "statement_submitted", &confirmData{Answer: d, Items: answerItems(d.Request, d.Statement)}, nil, nil)
}
