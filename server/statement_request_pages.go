package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// statementRequestPages registers the pages of statement requests: the
// request with its answer form, publishing, moving the deadline, and the
// attachments. The official's form that writes a request is
// statement_request_form.go's.
func (s *Server) statementRequestPages(r fiber.Router) {
	r.Get("/processes/:slug/statement-requests/new", s.newStatementRequestPage)
	r.Post("/processes/:slug/statement-requests", s.createStatementRequestForm)
	r.Get("/statement-requests/:id", s.statementRequestPage)
	r.Get("/statement-requests/:id/edit", s.editStatementRequestPage)
	r.Post("/statement-requests/:id", s.updateStatementRequestForm)
	r.Post("/statement-requests/:id/publish", s.publishStatementRequestForm)
	r.Post("/statement-requests/:id/deadline", s.moveDeadlineForm)
	r.Post("/statement-requests/:id/attachments", s.addAttachmentForm)
	r.Get("/attachments/:id", s.downloadAttachment)
	r.Post("/attachments/:id/delete", s.deleteAttachmentForm)
}

// requestPageData is a statement request's page: the request, what it
// concerns, and the signed-in person's answer form.
type requestPageData struct {
	Request     *participation.StatementRequest
	Attachments []attachmentView
	Answer      *answerFormData // nil unless the request is open to a signed-in person
}

// CommitmentOf returns the draft commitment that question q asks about,
// or nil.
func (d *requestPageData) CommitmentOf(q participation.StatementQuestion) *participation.SourceRef {
	return commitmentOf(d.Request, q.CommitmentID)
}

// commitmentOf returns the commitment of request r with id, or nil.
func commitmentOf(r *participation.StatementRequest, id *int64) *participation.SourceRef {
	if id == nil {
		return nil
	}
	for i := range r.Commitments {
		if r.Commitments[i].ID == *id {
			return &r.Commitments[i]
		}
	}
	return nil
}

// findRequest returns the request named by the path's :id.
func (s *Server) findRequest(c *fiber.Ctx) (*participation.StatementRequest, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.StatementRequests.FindStatementRequest(c.UserContext(), id)
}

func (s *Server) statementRequestPage(c *fiber.Ctx) error {
	r, err := s.findRequest(c)
	if err != nil {
		return err
	}
	d := &requestPageData{Request: r, Attachments: attachmentViews(r.Attachments)}
	form := map[string]string{}
	if r.Status == participation.StatusOpen && account(c) != nil {
		if d.Answer, form, err = s.answerForm(c, r); err != nil {
			return err
		}
	}
	return s.render(c, fiber.StatusOK, "statement_request", d, form, nil)
}

// requestEditPath is where the edit page's forms go back to.
func requestEditPath(id int64) string { return "/statement-requests/" + itoa(id) + "/edit" }

// rerenderEdit shows the edit page again with errs on the form that failed.
func (s *Server) rerenderEdit(c *fiber.Ctx, r *participation.StatementRequest, form map[string]string, err error) error {
	d, derr := s.editRequestData(c, r)
	if derr != nil {
		return derr
	}
	fillRequestForm(d, r)
	for k, v := range form {
		d.Form[k] = v
	}
	if oerr := s.offerOrganisations(c, d, r.InvitedOrganisationIDs, r.InvitedOrganisations, ""); oerr != nil {
		return oerr
	}
	return s.formError(c, "statement_request_form", d, d.Form, err)
}

// publishErrors are the publish button's words for the refusals of
// publishing: the request is published already, or its deadline has passed.
var publishErrors = map[string]string{
	participation.ECONFLICT: "publish_conflict",
	participation.ECLOSED:   "publish_closed",
}

func (s *Server) publishStatementRequestForm(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	r, err := s.findRequest(c)
	if err != nil {
		return err
	}
	if _, err := s.svc.StatementRequests.PublishStatementRequest(c.UserContext(), r.ID); err != nil {
		if rule, ok := publishErrors[participation.ErrorCode(err)]; ok {
			err = &participation.Error{Code: participation.ErrorCode(err), Message: participation.ErrorMessage(err),
				Fields: participation.FieldErrors{"_form": {Rule: rule}}}
			return s.rerenderEdit(c, r, nil, err)
		}
		return err
	}
	s.flash(c, "request_published")
	return redirect(c, "/statement-requests/"+itoa(r.ID))
}

func (s *Server) moveDeadlineForm(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	r, err := s.findRequest(c)
	if err != nil {
		return err
	}
	form := formValues(c, "new_deadline")
	errs := participation.FieldErrors{}
	deadline := parseLocalTime(errs, "new_deadline", form["new_deadline"])
	if deadline == nil && len(errs) == 0 {
		errs.Add("new_deadline", participation.RuleRequired, 0)
	}
	if err = errs.Err(); err == nil {
		_, err = s.svc.StatementRequests.UpdateStatementRequest(c.UserContext(), r.ID, participation.StatementRequestPatch{Deadline: deadline})
		err = pageFieldErrors(err, map[string]string{"deadline": "new_deadline"}, nil)
	}
	if err != nil {
		return s.rerenderEdit(c, r, form, err)
	}
	s.flash(c, "deadline_moved")
	return redirect(c, requestEditPath(r.ID))
}

// Attachment errors in the upload form's words.
const (
	ruleFileType     = "file_type"
	ruleFileTooLarge = "file_too_large"
)

func (s *Server) addAttachmentForm(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	r, err := s.findRequest(c)
	if err != nil {
		return err
	}
	n, err := readUpload(c, "file")
	if err == nil {
		_, err = s.svc.StatementRequests.AddAttachment(c.UserContext(), r.ID, n)
	}
	if err != nil {
		if participation.ErrorCode(err) == participation.ETOOLARGE {
			err = &participation.Error{Code: participation.ETOOLARGE, Message: participation.ErrorMessage(err),
				Fields: participation.FieldErrors{"file": {Rule: ruleFileTooLarge, Limit: participation.MaxAttachmentSize >> 20}}}
		}
		return s.rerenderEdit(c, r, nil, pageFieldErrors(err, nil, map[string]string{participation.RuleChoice: ruleFileType}))
	}
	s.flash(c, "attachment_added")
	return redirect(c, requestEditPath(r.ID)+"#attachments-heading")
}

func (s *Server) deleteAttachmentForm(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	a, err := s.svc.StatementRequests.FindAttachment(c.UserContext(), id)
	if err != nil {
		return err
	}
	if err := s.svc.StatementRequests.DeleteAttachment(c.UserContext(), id); err != nil {
		return err
	}
	s.flash(c, "attachment_deleted")
	return redirect(c, requestEditPath(a.RequestID)+"#attachments-heading")
}

// attachmentView is an attachment as the pages list it: its kind in a
// word and its size in kilobytes, or in megabytes to a tenth.
type attachmentView struct {
	participation.Attachment
	Kind             string // pdf, odt, docx or txt
	KB               int
	MBWhole, MBTenth int // zero below a megabyte
}

// attachmentKinds name the attachment types in a word, for the pages.
var attachmentKinds = map[string]string{
	participation.ContentTypePDF: "pdf", participation.ContentTypeODT: "odt",
	participation.ContentTypeDOCX: "docx", participation.ContentTypeTXT: "txt",
}

// attachmentViews returns the pages' views of attachments.
func attachmentViews(list []participation.Attachment) []attachmentView {
	out := make([]attachmentView, len(list))
	for i, a := range list {
		v := attachmentView{Attachment: a, Kind: attachmentKinds[a.ContentType], KB: int((a.Size + 1023) / 1024)}
		if v.Kind == "" {
			v.Kind = "other"
		}
		if a.Size >= 1<<20 {
			tenths := (a.Size*10 + 1<<19) >> 20
			v.MBWhole, v.MBTenth = int(tenths/10), int(tenths%10)
		}
		out[i] = v
	}
	return out
}
