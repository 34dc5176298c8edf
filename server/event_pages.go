package server

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// eventPages registers the pages of events: the event with its
// registration form (no JavaScript needed), the page of a registration's
// emailed link (confirm, or cancel), and the officials' list with the
// attendance form.
func (s *Server) eventPages(r fiber.Router) {
	r.Get("/events/:id", s.eventPage)
	r.Post("/events/:id/register", s.registerForEvent)
	r.Get("/events/:id/registrations.csv", s.apiRegistrationsCSV) // the API's CSV, for the signed-in official's browser
	r.Get("/events/:id/registrations", s.registrantsPage)
	r.Post("/events/:id/attendance", s.markAttendance)
	r.Get("/registrations/:id/:action", s.registrationPage)
	r.Post("/registrations/:id/:action", s.actOnRegistration)
}

// eventPageData is the event page's: the event, and the registration just
// made (Done) or the state that keeps the form away.
type eventPageData struct {
	Event *participation.Event
	Done  *participation.Registration
	// Closed: registration has closed. Full: a registration now waits.
	Closed, Full bool
	// AnswerDays is how many days after the event the answers are kept.
	AnswerDays int
}

func (s *Server) eventData(c *fiber.Ctx) (*eventPageData, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	e, err := s.svc.Events.FindEvent(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return &eventPageData{Event: e, Closed: e.CheckRegistrationOpen(time.Now()) != nil, Full: !e.HasSeat(),
		AnswerDays: int(s.cfg.EventAnswerRetention / (24 * time.Hour))}, nil
}

func (s *Server) eventPage(c *fiber.Ctx) error {
	d, err := s.eventData(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "event", d, nil, nil)
}

// registerForEvent takes the registration form: the answers as
// answer_<question id>, and a name and an email without an account.
func (s *Server) registerForEvent(c *fiber.Ctx) error {
	d, err := s.eventData(c)
	if err != nil {
		return err
	}
	names := []string{"name", "email"}
	for _, q := range d.Event.Questions {
		names = append(names, registrationAnswerField(q.ID))
	}
	form := formValues(c, names...)
	n := participation.NewRegistration{Lang: requestLang(c)}
	if account(c) == nil {
		n.Name, n.Email = optional(form["name"]), optional(form["email"])
	}
	for _, q := range d.Event.Questions {
		n.Answers = append(n.Answers, participation.RegistrationAnswer{QuestionID: q.ID, Text: form[registrationAnswerField(q.ID)]})
	}
	r, err := s.svc.Events.Register(c.UserContext(), d.Event.ID, n)
	if err != nil {
		return s.formError(c, "event", d, form, registrationAnswerErrors(err))
	}
	d.Done = r
	return s.render(c, fiber.StatusCreated, "event", d, nil, nil)
}

// registrationAnswerField is the form field of a question's answer.
func registrationAnswerField(questionID int64) string {
	return "answer_" + strconv.FormatInt(questionID, 10)
}

// registrationAnswerErrors names the errors of answers ("answers.<id>") after their
// form fields.
func registrationAnswerErrors(err error) error {
	de, ok := err.(*participation.Error)
	if !ok || len(de.Fields) == 0 {
		return err
	}
	f := participation.FieldErrors{}
	for k, v := range de.Fields {
		if id, ok := strings.CutPrefix(k, "answers."); ok {
			k = "answer_" + id
		}
		f[k] = v
	}
	return &participation.Error{Code: de.Code, Message: de.Message, Fields: f}
}

// registrantsPageData is the officials' list of an event's registrations.
type registrantsPageData struct {
	Event       *participation.Event
	Registrants []*participation.Registrant
	// Started: attendance can be marked.
	Started bool
}

func (s *Server) registrantsData(c *fiber.Ctx) (*registrantsPageData, error) {
	d, err := s.eventData(c)
	if err != nil {
		return nil, err
	}
	list, err := s.svc.Events.FindRegistrants(c.UserContext(), d.Event.ID)
	if err != nil {
		return nil, err
	}
	return &registrantsPageData{Event: d.Event, Registrants: list, Started: !time.Now().Before(d.Event.StartsAt)}, nil
}

func (s *Server) registrantsPage(c *fiber.Ctx) error {
	d, err := s.registrantsData(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "event_registrations", d, nil, nil)
}

// markAttendance takes the attendance form: a checkbox "came" per
// registration with a seat; one left unchecked did not come.
func (s *Server) markAttendance(c *fiber.Ctx) error {
	d, err := s.registrantsData(c)
	if err != nil {
		return err
	}
	came := map[string]bool{}
	for _, id := range formList(c, "came") {
		came[id] = true
	}
	attended := map[int64]bool{}
	for _, r := range d.Registrants {
		if r.Status == participation.RegistrationRegistered {
			attended[r.ID] = came[strconv.FormatInt(r.ID, 10)]
		}
	}
	if err := s.svc.Events.MarkAttendance(c.UserContext(), d.Event.ID, attended); err != nil {
		return s.formError(c, "event_registrations", d, nil, err)
	}
	s.flash(c, "attendance_saved")
	return redirect(c, "/events/"+strconv.FormatInt(d.Event.ID, 10)+"/registrations")
}

// registrationPageData is the page of a registration's emailed link: a
// button to confirm or to cancel (a mail scanner that follows links
// changes nothing), and then what became of it.
type registrationPageData struct {
	Action       string // "confirm" or "cancel"
	Token        string
	Registration *participation.Registration
	Event        *participation.Event
	Done         bool
}

func (s *Server) registrationData(c *fiber.Ctx, token string) (*registrationPageData, error) {
	action := c.Params("action")
	if action != "confirm" && action != "cancel" {
		return nil, fiber.ErrNotFound
	}
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	ctx := c.UserContext()
	r, err := s.svc.Events.FindRegistration(ctx, id, token)
	if err != nil {
		return nil, err
	}
	e, err := s.svc.Events.FindEvent(ctx, r.EventID)
	if err != nil {
		return nil, err
	}
	return &registrationPageData{Action: action, Token: token, Registration: r, Event: e}, nil
}

func (s *Server) registrationPage(c *fiber.Ctx) error {
	d, err := s.registrationData(c, copyString(c.Query("token")))
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "event_registration", d, nil, nil)
}

func (s *Server) actOnRegistration(c *fiber.Ctx) error {
	d, err := s.registrationData(c, copyString(c.FormValue("token")))
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	if d.Action == "confirm" {
		d.Registration, err = s.svc.Events.ConfirmRegistration(ctx, d.Registration.ID, d.Token)
	} else {
		err = s.svc.Events.CancelRegistration(ctx, d.Registration.ID, d.Token)
		d.Registration.Status = participation.RegistrationCancelled
	}
	if err != nil {
		return s.formError(c, "event_registration", d, nil, err)
	}
	d.Done = true
	return s.render(c, fiber.StatusOK, "event_registration", d, nil, nil)
}
