package server

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// workshopPages registers the official's pages of a workshop: a new one,
// its page, the control page with its settings and the joining button, and
// the projector.
func (s *Server) workshopPages(r fiber.Router) {
	r.Get("/processes/:slug/workshops/new", s.newWorkshopPage)
	r.Post("/processes/:slug/workshops", s.createWorkshop)
	r.Get("/workshops/:id", s.workshopPage)
	r.Get("/workshops/:id/control", s.workshopControlPage)
	r.Get("/workshops/:id/projector", s.workshopProjectorPage)
	r.Post("/workshops/:id/settings", s.updateWorkshop)
	r.Post("/workshops/:id/joining", s.setJoining)
	r.Get("/workshops/:id/edit", s.editWorkshopPage)
	r.Post("/workshops/:id/edit", s.editWorkshop)
	r.Post("/workshops/:id/end", s.endWorkshop(true))
	r.Post("/workshops/:id/reopen", s.endWorkshop(false))
}

// workshopData is what the workshop pages get.
type workshopData struct {
	Workshop     *participation.Workshop
	Polls        []pollView
	Current      *pollView // the projector's poll (participation.CurrentPoll), or nil
	JoinURL      string    // the join link with the code, which the QR code holds
	JoinHost     string    // the join page's address without the scheme, for reading aloud
	QR           any       // template.HTML of the QR code's SVG
	IdeaRounds   []participation.IdeaRoundRef
	Participants int // how many have joined, on the control page
	// Wall is the workshop's idea wall as everyone sees it, on the
	// projector and the workshop's page.
	Wall  *participation.Wall
	Langs []string
}

// loadWorkshop fills the pages' data of workshop id.
func (s *Server) loadWorkshop(c *fiber.Ctx, id int64, mine map[int64][]int64) (*workshopData, error) {
	ctx := c.UserContext()
	w, err := s.svc.Workshops.FindWorkshop(ctx, id)
	if err != nil {
		return nil, err
	}
	tallies, err := s.svc.Workshops.FindTallies(ctx, participation.TallyFilter{WorkshopIDs: []int64{id}})
	if err != nil {
		return nil, err
	}
	d := &workshopData{Workshop: w}
	for _, t := range tallies {
		d.Polls = append(d.Polls, newPollView(t, mine[t.PollID]))
	}
	if i := participation.CurrentPoll(tallies); i >= 0 {
		d.Current = &d.Polls[i]
	}
	if w.JoinCode != nil {
		host := copyString(c.Hostname())
		d.JoinURL = c.Protocol() + "://" + host + "/join?code=" + *w.JoinCode
		d.JoinHost = host + "/join"
		if d.QR, err = qrSVG(d.JoinURL, s.T(c, "workshop.qr_title", "Code", *w.JoinCode)); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (s *Server) newWorkshopPage(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	p, err := s.svc.Processes.FindProcessBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "workshop_new", p, nil, nil)
}

func (s *Server) createWorkshop(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	ctx := c.UserContext()
	p, err := s.svc.Processes.FindProcessBySlug(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	form := formValues(c, "title", "starts_at", "ends_at", "require_account")
	errs := participation.FieldErrors{}
	accounts := form["require_account"] == "yes"
	n := participation.NewWorkshop{Title: form["title"], StartsAt: parseLocalTime(errs, "starts_at", form["starts_at"]), RequireAccount: &accounts,
		EndsAt:           parseLocalTime(errs, "ends_at", form["ends_at"]),
		TranslationInput: readTranslations(c, form, "workshop")}
	if len(errs) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "workshop_new", p, form, errs)
	}
	w, err := s.svc.Workshops.CreateWorkshop(ctx, p.Slug, n)
	if err != nil {
		return s.formError(c, "workshop_new", p, form, pageFieldErrors(err, nil, nil))
	}
	s.flash(c, "workshop_created")
	return redirect(c, fmt.Sprintf("/workshops/%d/control", w.ID))
}

func (s *Server) workshopPage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	d, err := s.loadWorkshop(c, id, nil)
	if err != nil {
		return err
	}
	// The idea wall's proposals, as the projector showed them.
	if d.Wall, err = s.publicWall(c, id); err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "workshop", d, nil, nil)
}

func (s *Server) workshopControlPage(c *fiber.Ctx) error {
	return s.renderControl(c, fiber.StatusOK, nil, nil)
}

// renderControl renders the control page, with a poll form's values and errors.
func (s *Server) renderControl(c *fiber.Ctx, status int, form map[string]string, errs participation.FieldErrors) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	d, err := s.loadWorkshop(c, id, nil)
	if err != nil {
		return err
	}
	if d.IdeaRounds, err = s.svc.Workshops.FindIdeaRoundRefs(c.UserContext(), id); err != nil {
		return err
	}
	counts, err := s.svc.Workshops.CountParticipants(c.UserContext(), []int64{id})
	if err != nil {
		return err
	}
	d.Participants = counts[id]
	return s.render(c, status, "workshop_control", d, form, errs)
}

func (s *Server) workshopProjectorPage(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	d, err := s.loadWorkshop(c, id, nil)
	if err != nil {
		return err
	}
	if d.Wall, err = s.publicWall(c, id); err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "workshop_projector", d, nil, nil)
}

func (s *Server) updateWorkshop(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	show := c.FormValue("show_results_live") == "yes"
	accounts := c.FormValue("require_account") == "yes"
	u := participation.WorkshopUpdate{ShowResultsLive: &show, RequireAccount: &accounts}
	if _, err := s.svc.Workshops.UpdateWorkshop(c.UserContext(), id, u); err != nil {
		return err
	}
	s.flash(c, "workshop_saved")
	return redirect(c, fmt.Sprintf("/workshops/%d/control", id))
}

// setJoining takes the control page's button that closes joining once the
// room is in (joining_open=no), or opens it again (yes).
func (s *Server) setJoining(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	open := c.FormValue("joining_open") == "yes"
	if _, err := s.svc.Workshops.UpdateWorkshop(c.UserContext(), id, participation.WorkshopUpdate{JoiningOpen: &open}); err != nil {
		return err
	}
	if open {
		s.flash(c, "joining_opened")
	} else {
		s.flash(c, "joining_closed")
	}
	return redirect(c, fmt.Sprintf("/workshops/%d/control#join-heading", id))
}

// editWorkshopPage shows the workshop's form filled with what it holds now.
func (s *Server) editWorkshopPage(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	w, err := s.svc.Workshops.FindWorkshop(c.UserContext(), id)
	if err != nil {
		return err
	}
	form := map[string]string{"title": w.Title, "starts_at": formDateTime(&w.StartsAt), "ends_at": formDateTime(w.EndsAt)}
	for name, on := range map[string]bool{"show_results_live": w.ShowResultsLive, "require_account": w.RequireAccount} {
		if on {
			form[name] = "yes"
		}
	}
	formTranslations(form, w.Translatable, "workshop")
	return s.render(c, fiber.StatusOK, "workshop_edit", w, form, nil)
}

// editWorkshop takes the workshop's form: its texts, window and settings,
// checked as a new workshop's are.
func (s *Server) editWorkshop(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	w, err := s.svc.Workshops.FindWorkshop(ctx, id)
	if err != nil {
		return err
	}
	form := formValues(c, "title", "starts_at", "ends_at", "show_results_live", "require_account")
	errs := participation.FieldErrors{}
	in := readTranslations(c, form, "workshop")
	title, show, accounts := form["title"], form["show_results_live"] == "yes", form["require_account"] == "yes"
	u := participation.WorkshopUpdate{Title: &title, ShowResultsLive: &show, RequireAccount: &accounts,
		EndsAt:   participation.NullableTime{Set: true, Time: parseLocalTime(errs, "ends_at", form["ends_at"])},
		Language: in.Language, Translations: &in.Translations}
	if u.StartsAt = parseLocalTime(errs, "starts_at", form["starts_at"]); u.StartsAt == nil && len(errs) == 0 {
		errs.Add("starts_at", participation.RuleRequired, 0)
	}
	if len(errs) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "workshop_edit", w, form, errs)
	}
	if _, err := s.svc.Workshops.UpdateWorkshop(ctx, id, u); err != nil {
		return s.formError(c, "workshop_edit", w, form, pageFieldErrors(err, nil, nil))
	}
	s.flash(c, "workshop_saved")
	return redirect(c, fmt.Sprintf("/workshops/%d/control", id))
}

// endWorkshop takes the control page's button that ends the workshop (end)
// or reopens it.
func (s *Server) endWorkshop(end bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
			return err
		}
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		flash := "workshop_ended"
		if end {
			_, err = s.svc.Workshops.EndWorkshop(c.UserContext(), id)
		} else {
			_, err = s.svc.Workshops.ReopenWorkshop(c.UserContext(), id)
			flash = "workshop_reopened"
		}
		if err != nil {
			return err
		}
		s.flash(c, flash)
		return redirect(c, fmt.Sprintf("/workshops/%d/control", id))
	}
}
