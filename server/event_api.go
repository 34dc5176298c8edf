package server

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// eventAPI registers the routes of API.md's "Events and registration":
// adding an event, reading it, registering, confirming, cancelling, and
// the officials' door list as CSV.
func (s *Server) eventAPI(api fiber.Router) {
	api.Post("/processes/:slug/events", s.apiCreateEvent)
	api.Get("/events/:id/registrations.csv", s.apiRegistrationsCSV)
	api.Get("/events/:id", s.apiEvent)
	api.Post("/events/:id/registrations", s.apiRegister)
	api.Post("/registrations/:id/confirm", s.apiConfirmRegistration)
	api.Delete("/registrations/:id", s.apiCancelRegistration)
}

func (s *Server) apiCreateEvent(c *fiber.Ctx) error {
	var n participation.NewEvent
	if err := decodeAsOfficial(c, &n); err != nil {
		return err
	}
	e, err := s.svc.Events.CreateEvent(c.UserContext(), copyString(c.Params("slug")), n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

func (s *Server) apiEvent(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	e, err := s.svc.Events.FindEvent(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(e)
}

func (s *Server) apiRegister(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var n participation.NewRegistration
	// Every field is optional: a signed-in person may send no body at all.
	if len(c.Body()) > 0 {
		if err := decodeJSON(c, &n); err != nil {
			return err
		}
	}
	n.Lang = requestLang(c)
	r, err := s.svc.Events.Register(c.UserContext(), id, n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

func (s *Server) apiConfirmRegistration(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := s.svc.Events.ConfirmRegistration(c.UserContext(), id, copyString(c.Get("X-Confirm-Token")))
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *Server) apiCancelRegistration(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.svc.Events.CancelRegistration(c.UserContext(), id, copyString(c.Get("X-Cancel-Token"))); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// apiRegistrationsCSV is the door list: name, email, status, when they
// registered, and one column per question headed by its prompt; the
// cancelled are left out.
func (s *Server) apiRegistrationsCSV(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	list, err := s.svc.Events.FindRegistrants(ctx, id)
	if err != nil {
		return err
	}
	e, err := s.svc.Events.FindEvent(ctx, id)
	if err != nil {
		return err
	}
	f, err := newCSV(c, "event-"+strconv.FormatInt(id, 10)+"-registrations.csv", false)
	if err != nil {
		return err
	}
	head := []string{"name", "email", "status", "registered_at"}
	for _, q := range e.Questions {
		head = append(head, csvText(q.Prompt))
	}
	f.Row(head...)
	for _, r := range list {
		row := []string{csvText(r.Name), csvText(r.Email), r.Status, r.RegisteredAt.UTC().Format(time.RFC3339)}
		for _, q := range e.Questions {
			row = append(row, csvText(r.Answers[q.ID]))
		}
		f.Row(row...)
	}
	return f.Close()
}
