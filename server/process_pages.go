package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// processPages registers the process pages: creating (a draft), the
// process's page, editing, publishing, archiving and its officials.
func (s *Server) processPages(r fiber.Router) {
	r.Get("/processes/new", s.newProcessPage)
	r.Post("/processes", s.createProcess)
	r.Get("/processes/:slug", s.processPage)
	r.Get("/processes/:slug/edit", s.editProcessPage)
	r.Post("/processes/:slug/edit", s.updateProcess)
	r.Post("/processes/:slug/publish", s.changeProcessStatus(participation.ProcessPublish))
	r.Post("/processes/:slug/archive", s.changeProcessStatus(participation.ProcessArchive))
	r.Post("/processes/:slug/unarchive", s.changeProcessStatus(participation.ProcessUnarchive))
	r.Post("/processes/:slug/officials", s.addProcessOfficial)
	r.Post("/processes/:slug/officials/:id/remove", s.removeProcessOfficial)
}

// processFormFields are the fields of the process form, and processFormNames
// the form's names of the API's fields that differ.
var (
	processFormFields = []string{"slug", "title", "description", "organiser", "contact_name", "contact_email", "contact_phone"}
	processFormNames  = map[string]string{"contact.name": "contact_name", "contact.email": "contact_email", "contact.phone": "contact_phone"}
)

// readProcessForm reads the organiser and contact of the process form: a
// contact with nothing filled in is none.
func readProcessForm(form map[string]string) (organiser *string, contact *participation.Contact) {
	if form["organiser"] != "" {
		o := form["organiser"]
		organiser = &o
	}
	if form["contact_name"] != "" || form["contact_email"] != "" || form["contact_phone"] != "" {
		contact = &participation.Contact{Name: form["contact_name"], Email: form["contact_email"]}
		if ph := form["contact_phone"]; ph != "" {
			contact.Phone = &ph
		}
	}
	return organiser, contact
}

func (s *Server) newProcessPage(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "process_new", nil, nil, nil)
}

func (s *Server) createProcess(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	form := formValues(c, processFormFields...)
	organiser, contact := readProcessForm(form)
	draft := participation.ProcessDraft // a page's process starts as a draft
	p, err := s.svc.Processes.CreateProcess(c.UserContext(), participation.NewProcess{
		Slug: form["slug"], Title: form["title"], Description: form["description"], Status: &draft,
		Organiser: organiser, Contact: contact,
		TranslationInput: readTranslations(c, form, "process"),
	})
	if err != nil {
		return s.formError(c, "process_new", nil, form, pageFieldErrors(err, processFormNames, nil))
	}
	s.flash(c, "process_created")
	return redirect(c, "/processes/"+p.Slug)
}

// processPageData is the process page's data: the process, the results
// of its workshops' closed polls and, for officials, the statement
// requests not yet published (the timeline shows the published ones).
type processPageData struct {
	*participation.Process
	WorkshopResults []pollView
	DraftRequests   []*participation.StatementRequest
}

// workshopResults returns the closed polls of a process's workshops as the
// pages show them.
func (s *Server) workshopResults(c *fiber.Ctx, processID int64) ([]pollView, error) {
	tallies, err := s.svc.Workshops.FindClosedTallies(c.UserContext(), processID)
	if err != nil {
		return nil, err
	}
	out := make([]pollView, len(tallies))
	for i, t := range tallies {
		out[i] = newPollView(t, nil)
	}
	return out, nil
}

func (s *Server) processPage(c *fiber.Ctx) error {
	p, err := s.svc.Processes.FindProcessBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	d, err := s.processData(c, p)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "process", d, nil, nil)
}

// processData is the process page's data for p.
func (s *Server) processData(c *fiber.Ctx, p *participation.Process) (processPageData, error) {
	results, err := s.workshopResults(c, p.ID)
	if err != nil {
		return processPageData{}, err
	}
	drafts, err := s.draftRequests(c, p.Slug)
	if err != nil {
		return processPageData{}, err
	}
	return processPageData{Process: p, WorkshopResults: results, DraftRequests: drafts}, nil
}

// draftRequests returns a process's unpublished statement requests for an
// official, and none for others (or a server without statements).
func (s *Server) draftRequests(c *fiber.Ctx, slug string) ([]*participation.StatementRequest, error) {
	if s.svc.StatementRequests == nil || !account(c).HasRole(participation.RoleOfficial) {
		return nil, nil
	}
	list, _, err := s.svc.StatementRequests.FindStatementRequests(c.UserContext(), participation.StatementRequestFilter{ProcessSlug: slug, Limit: maxLimit})
	if err != nil {
		return nil, err
	}
	var drafts []*participation.StatementRequest
	for _, r := range list {
		if r.Status == participation.StatementRequestDraft {
			drafts = append(drafts, r)
		}
	}
	return drafts, nil
}

// editProcessPage shows the process form filled with the process.
func (s *Server) editProcessPage(c *fiber.Ctx) error {
	p, err := s.manageableProcess(c)
	if err != nil {
		return err
	}
	form := map[string]string{"title": p.Title, "description": p.Description}
	if p.Organiser != nil {
		form["organiser"] = *p.Organiser
	}
	if ct := p.Contact; ct != nil {
		form["contact_name"], form["contact_email"] = ct.Name, ct.Email
		if ct.Phone != nil {
			form["contact_phone"] = *ct.Phone
		}
	}
	formTranslations(form, p.Translatable, "process")
	return s.render(c, fiber.StatusOK, "process_edit", p, form, nil)
}

// manageableProcess returns the process of the path for those who may
// change it, and EFORBIDDEN for everyone else.
func (s *Server) manageableProcess(c *fiber.Ctx) (*participation.Process, error) {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return nil, err
	}
	p, err := s.svc.Processes.FindProcessBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return nil, err
	}
	if !p.Manageable {
		return nil, participation.Errorf(participation.EFORBIDDEN, "Only the officials of this process may change it.")
	}
	return p, nil
}

func (s *Server) updateProcess(c *fiber.Ctx) error {
	p, err := s.manageableProcess(c)
	if err != nil {
		return err
	}
	form := formValues(c, processFormFields...)
	organiser, contact := readProcessForm(form)
	in := readTranslations(c, form, "process")
	translations := in.Translations
	if translations == nil {
		translations = participation.Translations{}
	}
	_, err = s.svc.Processes.UpdateProcess(c.UserContext(), p.Slug, participation.ProcessPatch{
		Title: ptrTo(form["title"]), Description: ptrTo(form["description"]),
		Organiser: participation.Nullable[string]{Set: true, Value: organiser},
		Contact:   participation.Nullable[participation.Contact]{Set: true, Value: contact},
		Language:  in.Language, Translations: &translations,
	})
	if err != nil {
		return s.formError(c, "process_edit", p, form, pageFieldErrors(err, processFormNames, nil))
	}
	s.flash(c, "process_updated")
	return redirect(c, "/processes/"+p.Slug)
}

func ptrTo(s string) *string { return &s }

// processStatusFlash is the confirmation of each change of status.
var processStatusFlash = map[string]string{
	participation.ProcessPublish:   "process_published",
	participation.ProcessArchive:   "process_archived",
	participation.ProcessUnarchive: "process_unarchived",
}

// changeProcessStatus publishes, archives or un-archives the process and
// says so on its page.
func (s *Server) changeProcessStatus(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := s.svc.Processes.ChangeProcessStatus(c.UserContext(), copyString(c.Params("slug")), action)
		if err != nil {
			return err
		}
		s.flash(c, processStatusFlash[action])
		return redirect(c, "/processes/"+p.Slug)
	}
}

func (s *Server) addProcessOfficial(c *fiber.Ctx) error {
	p, err := s.manageableProcess(c)
	if err != nil {
		return err
	}
	form := formValues(c, "email")
	if _, err := s.svc.Processes.AddProcessOfficial(c.UserContext(), p.Slug, participation.NewProcessOfficial{Email: form["email"]}); err != nil {
		d, derr := s.processData(c, p)
		if derr != nil {
			return derr
		}
		return s.formError(c, "process", d, form, err)
	}
	s.flash(c, "process_official_added")
	return redirect(c, "/processes/"+p.Slug+"#officials-heading")
}

func (s *Server) removeProcessOfficial(c *fiber.Ctx) error {
	p, err := s.manageableProcess(c)
	if err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.svc.Processes.RemoveProcessOfficial(c.UserContext(), p.Slug, id); err != nil {
		return err
	}
	s.flash(c, "process_official_removed")
	return redirect(c, "/processes/"+p.Slug+"#officials-heading")
}
