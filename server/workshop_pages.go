package server

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// workshopPages registers the official's pages of a workshop: a new one,
// its page, the control page with its settings, and the projector.
func (s *Server) workshopPages(r fiber.Router) {
	r.Get("/processes/:slug/workshops/new", s.newWorkshopPage)
	r.Post("/processes/:slug/workshops", s.createWorkshop)
	r.Get("/workshops/:id", s.workshopPage)
	r.Get("/workshops/:id/control", s.workshopControlPage)
	r.Get("/workshops/:id/projector", s.workshopProjectorPage)
	r.Post("/workshops/:id/settings", s.updateWorkshop)
}

// workshopData is what the workshop pages get.
type workshopData struct {
	Workshop   *participation.Workshop
	Polls      []pollView
	Current    *pollView // the projector's poll: the open one opened last, else the one closed last
	JoinURL    string    // the join link with the code, which the QR code holds
	JoinHost   string    // the join page's address without the scheme, for reading aloud
	QR         any       // template.HTML of the QR code's SVG
	IdeaRounds []participation.IdeaRoundRef
	Langs      []string
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
	d.Current = currentPoll(d.Polls)
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

// currentPoll picks the poll a projector shows: the open one opened last,
// else the one closed last (its result stays up), else none.
func currentPoll(polls []pollView) *pollView {
	var best *pollView
	score := func(p *pollView) (int, time.Time) {
		switch {
		case p.Status == participation.PollOpen && p.OpenedAt != nil:
			return 2, *p.OpenedAt
		case p.Status == participation.PollClosed && p.ClosedAt != nil:
			return 1, *p.ClosedAt
		}
		return 0, time.Time{}
	}
	for i := range polls {
		p := &polls[i]
		k, at := score(p)
		if k == 0 {
			continue
		}
		if best == nil {
			best = p
			continue
		}
		bk, bat := score(best)
		if k > bk || (k == bk && at.After(bat)) {
			best = p
		}
	}
	return best
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
	form := formValues(c, "title", "starts_at")
	errs := participation.FieldErrors{}
	n := participation.NewWorkshop{Title: form["title"], StartsAt: parseLocalTime(errs, "starts_at", form["starts_at"]),
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
	if _, err := s.svc.Workshops.UpdateWorkshop(c.UserContext(), id, participation.WorkshopUpdate{ShowResultsLive: &show}); err != nil {
		return err
	}
	s.flash(c, "workshop_saved")
	return redirect(c, fmt.Sprintf("/workshops/%d/control", id))
}
