package server

import (
	"errors"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// eventPages registers the pages of events: the officials' form that adds
// one to a process, the event with its registration form (no JavaScript
// needed), the page of a registration's emailed link (confirm, or cancel),
// and the officials' list with the attendance form. The API has no route
// that changes an event, so there is no page that edits one either.
func (s *Server) eventPages(r fiber.Router) {
	r.Get("/processes/:slug/events/new", s.newEventPage)
	r.Post("/processes/:slug/events/new", s.createEvent)
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
		AnswerDays: s.eventAnswerDays()}, nil
}

// eventAnswerDays is how many days after an event its registrants' answers
// are kept, as the server is configured.
func (s *Server) eventAnswerDays() int {
	return int(s.cfg.EventAnswerRetention / (24 * time.Hour))
}

// eventQuestionRows is how many questions to registrants the new event's
// form offers; a row left empty asks nothing.
const eventQuestionRows = 3

// newEventData is the new event's form: the process, the numbers of its
// question rows (from 1), and how long the answers are kept.
type newEventData struct {
	Process    *participation.Process
	Questions  []int
	AnswerDays int
}

// newEventFormData checks that an official asks and finds the process.
func (s *Server) newEventFormData(c *fiber.Ctx) (*newEventData, error) {
	ctx := c.UserContext()
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, err
	}
	p, err := s.svc.Processes.FindProcessBySlug(ctx, c.Params("slug"))
	if err != nil {
		return nil, err
	}
	d := &newEventData{Process: p, AnswerDays: s.eventAnswerDays()}
	for i := 1; i <= eventQuestionRows; i++ {
		d.Questions = append(d.Questions, i)
	}
	return d, nil
}

func (s *Server) newEventPage(c *fiber.Ctx) error {
	d, err := s.newEventFormData(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "event_new", d, nil, nil)
}

// createEvent takes the new event's form. Values that are not times or a
// number are shown with the domain's errors of the rest, and nothing is
// stored; else the event is added as the API adds it.
func (s *Server) createEvent(c *fiber.Ctx) error {
	d, err := s.newEventFormData(c)
	if err != nil {
		return err
	}
	form, n, formatErrs, rows := readEventForm(c)
	var e *participation.Event
	if len(formatErrs) == 0 {
		e, err = s.svc.Events.CreateEvent(c.UserContext(), d.Process.Slug, n)
	} else if err = n.Validate(); err == nil {
		err = formatErrs.Err()
	}
	if err != nil {
		return s.formError(c, "event_new", d, form, eventFormErrors(err, formatErrs, rows))
	}
	s.flash(c, "event_created")
	return redirect(c, "/events/"+strconv.FormatInt(e.ID, 10))
}

// questionField and requiredField are the form fields of question row i.
func questionField(i int) string { return "prompt_" + strconv.Itoa(i) }
func requiredField(i int) string { return "required_" + strconv.Itoa(i) }

// readEventForm reads the new event's form: its values, the event they
// make, the values that were not understood (times, the capacity), and the
// row of each question asked (rows left empty ask nothing).
func readEventForm(c *fiber.Ctx) (map[string]string, participation.NewEvent, participation.FieldErrors, []int) {
	names := []string{"title", "description", "starts_at", "ends_at", "location", "online_url", "capacity", "registration_closes_at"}
	for i := 1; i <= eventQuestionRows; i++ {
		names = append(names, questionField(i), requiredField(i))
	}
	form := formValues(c, names...)
	errs := participation.FieldErrors{}
	n := participation.NewEvent{
		Title: form["title"], Description: form["description"], Location: form["location"], OnlineURL: optional(form["online_url"]),
		StartsAt:             parseLocalTime(errs, "starts_at", form["starts_at"]),
		EndsAt:               parseLocalTime(errs, "ends_at", form["ends_at"]),
		RegistrationClosesAt: parseLocalTime(errs, "registration_closes_at", form["registration_closes_at"]),
		TranslationInput:     readTranslations(c, form, "event"),
	}
	if v := form["capacity"]; v != "" {
		if capacity, err := strconv.Atoi(v); err == nil {
			n.Capacity = &capacity
		} else {
			errs.Add("capacity", participation.RuleFormat, 0)
		}
	}
	var rows []int
	for i := 1; i <= eventQuestionRows; i++ {
		if prompt := form[questionField(i)]; prompt != "" {
			n.Questions = append(n.Questions, participation.NewEventQuestion{Prompt: prompt, Required: form[requiredField(i)] == "yes"})
			rows = append(rows, i)
		}
	}
	return form, n, errs, rows
}

// eventFormErrors adds the values not understood to the domain's errors
// and names a question's error after its row's field.
func eventFormErrors(err error, formatErrs participation.FieldErrors, rows []int) error {
	var de *participation.Error
	if errors.As(err, &de) && de.Code == participation.EINVALID {
		maps.Copy(de.Fields, formatErrs)
	}
	names := map[string]string{}
	for i, row := range rows {
		names["questions["+strconv.Itoa(i)+"].prompt"] = questionField(row)
	}
	return pageFieldErrors(err, names, nil)
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
