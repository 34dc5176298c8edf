package server

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// pollPages registers the control page's poll forms: a new poll, changing
// a draft one (on a page of its own), opening and closing one.
func (s *Server) pollPages(r fiber.Router) {
	r.Post("/workshops/:id/polls", s.createPoll)
	r.Get("/polls/:id/edit", s.editPollPage)
	r.Post("/polls/:id/edit", s.editPoll)
	r.Post("/polls/:id/open", s.setPollStatus(participation.PollOpen))
	r.Post("/polls/:id/close", s.setPollStatus(participation.PollClosed))
}

// optionRow is one option of a poll as the pages show it: a bar (width in
// percent of the ballots, as the votes of multi-choice polls may sum to more
// than the ballots) and the same numbers in the table.
type optionRow struct {
	ID      int64
	Label   string
	Votes   int
	Pct     string // bar width, 0–100
	Rank    int
	Checked bool // in the participant's ballot
	participation.Translatable
}

// pollView is a poll with its tally as the pages show it.
type pollView struct {
	*participation.Tally
	Rows []optionRow
	// ShowResults is whether pages that everyone sees (the projector, the
	// ballot page) show the bars and votes: participation.Tally.ShowsResults.
	ShowResults bool
	Voted       bool // the participant has a standing ballot
	Errors      participation.FieldErrors
}

func newPollView(t *participation.Tally, mine []int64) pollView {
	v := pollView{Tally: t, Voted: len(mine) > 0, ShowResults: t.ShowsResults()}
	ranks := t.Ranks()
	for i, o := range t.Options {
		pct := 0.0
		if t.Ballots > 0 {
			pct = 100 * float64(o.Votes) / float64(t.Ballots)
		}
		checked := false
		for _, id := range mine {
			checked = checked || id == o.ID
		}
		v.Rows = append(v.Rows, optionRow{ID: o.ID, Label: o.Label, Votes: o.Votes, Pct: strconv.FormatFloat(pct, 'f', 1, 64), Rank: ranks[i], Checked: checked,
			Translatable: o.Translatable})
	}
	return v
}

// ProjectorSize is how the projector sets the poll's options so that all
// of them fit one screen: "few" (up to 6) in large type, "some" (up to 12),
// "many" (more) in rows of one line each.
func (v pollView) ProjectorSize() string {
	switch n := len(v.Rows); {
	case n <= 6:
		return "few"
	case n <= 12:
		return "some"
	}
	return "many"
}

// ChosenLabels lists the options of the participant's ballot, in lang
// where they are translated.
func (v pollView) ChosenLabels(lang string) string {
	var labels []string
	for _, r := range v.Rows {
		if r.Checked {
			labels = append(labels, r.In(lang, "label", r.Label).Text)
		}
	}
	return strings.Join(labels, ", ")
}

// createPoll takes the control page's poll form: typed options one per
// line, or one option per theme of an idea round.
func (s *Server) createPoll(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	form := formValues(c, "question", "max_choices", "options", "source", "idea_round")
	n := participation.NewPoll{Question: form["question"], TranslationInput: readTranslations(c, form, "poll")}
	errs := participation.FieldErrors{}
	if form["max_choices"] != "" {
		if m, perr := strconv.Atoi(form["max_choices"]); perr == nil {
			n.MaxChoices = &m
		} else {
			errs.Add("max_choices", participation.RuleFormat, 0)
		}
	}
	if form["source"] == "themes" {
		if r, perr := strconv.ParseInt(form["idea_round"], 10, 64); perr == nil {
			n.OptionsFromIdeaRound = &r
		} else {
			errs.Add("idea_round", participation.RuleRequired, 0)
		}
	} else {
		n.Options = readPollOptions(c, form, errs)
	}
	if len(errs) > 0 {
		return s.renderControl(c, fiber.StatusUnprocessableEntity, form, errs)
	}
	if _, err := s.svc.Workshops.CreatePoll(c.UserContext(), id, n); err != nil {
		// The form's fields: the round's field stands for options_from_idea_round.
		var de *participation.Error
		if errors.As(pageFieldErrors(err, map[string]string{"options_from_idea_round": "idea_round"}, nil), &de) && de.Code == participation.EINVALID {
			return s.renderControl(c, fiber.StatusUnprocessableEntity, form, de.Fields)
		}
		return err
	}
	s.flash(c, "poll_created")
	return redirect(c, fmt.Sprintf("/workshops/%d/control", id))
}

// readPollOptions reads the poll form's typed options, one per line, with
// their translations.
func readPollOptions(c *fiber.Ctx, form map[string]string, errs participation.FieldErrors) []participation.NewPollOption {
	var opts []participation.NewPollOption
	for _, line := range strings.Split(form["options"], "\n") {
		if l := strings.TrimSpace(line); l != "" {
			opts = append(opts, participation.NewPollOption{Label: l})
		}
	}
	pollOptionTranslations(c, form, opts, errs)
	return opts
}

// pollEditData is the poll edit page's data: the poll and its workshop.
type pollEditData struct {
	Poll     *participation.Poll
	Workshop *participation.Workshop
}

// loadPollEdit loads a poll for its edit page; one that has opened cannot
// be changed (ECONFLICT, the error page).
func (s *Server) loadPollEdit(c *fiber.Ctx) (*pollEditData, error) {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return nil, err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	p, err := s.svc.Workshops.FindPoll(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if err := p.CheckEdit(); err != nil {
		return nil, err
	}
	w, err := s.svc.Workshops.FindWorkshop(c.UserContext(), p.WorkshopID)
	if err != nil {
		return nil, err
	}
	return &pollEditData{Poll: p, Workshop: w}, nil
}

// editPollPage shows a draft poll's form filled with what it holds now:
// its options one per line, and their translations line by line.
func (s *Server) editPollPage(c *fiber.Ctx) error {
	d, err := s.loadPollEdit(c)
	if err != nil {
		return err
	}
	p := d.Poll
	form := map[string]string{"question": p.Question, "max_choices": strconv.Itoa(p.MaxChoices)}
	formTranslations(form, p.Translatable, "poll")
	labels := make([]string, len(p.Options))
	for i, o := range p.Options {
		labels[i] = o.Label
	}
	form["options"] = strings.Join(labels, "\n")
	for _, lang := range participation.ContentLanguages {
		lines := make([]string, len(p.Options))
		some := false
		for i, o := range p.Options {
			lines[i] = o.Translations.Get(lang, "label")
			some = some || lines[i] != ""
		}
		if some {
			form[trName(lang, "options")] = strings.Join(lines, "\n")
		}
	}
	return s.render(c, fiber.StatusOK, "poll_edit", d, form, nil)
}

// editPoll takes a draft poll's form. An option keeps its identity (and
// the theme it came from) while its line keeps its label; a line with a
// new label is a new option.
func (s *Server) editPoll(c *fiber.Ctx) error {
	d, err := s.loadPollEdit(c)
	if err != nil {
		return err
	}
	form := formValues(c, "question", "max_choices", "options")
	question := form["question"]
	u := participation.PollPatch{Question: &question}
	in := readTranslations(c, form, "poll")
	u.Language, u.Translations = in.Language, &in.Translations
	errs := participation.FieldErrors{}
	if m, perr := strconv.Atoi(form["max_choices"]); perr == nil {
		u.MaxChoices = &m
	} else {
		errs.Add("max_choices", participation.RuleFormat, 0)
	}
	byLabel := map[string]int64{}
	for _, o := range d.Poll.Options {
		byLabel[o.Label] = o.ID
	}
	var opts []participation.PollOptionPatch
	for _, o := range readPollOptions(c, form, errs) {
		op := participation.PollOptionPatch{Label: o.Label, Translations: o.Translations}
		if id, ok := byLabel[o.Label]; ok {
			op.ID = &id
			delete(byLabel, o.Label)
		}
		opts = append(opts, op)
	}
	u.Options = &opts
	if len(errs) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "poll_edit", d, form, errs)
	}
	if _, err := s.svc.Workshops.UpdatePoll(c.UserContext(), d.Poll.ID, u); err != nil {
		return s.formError(c, "poll_edit", d, form, pageFieldErrors(err, nil, nil))
	}
	s.flash(c, "poll_saved")
	return redirect(c, fmt.Sprintf("/workshops/%d/control#poll-%d", d.Poll.WorkshopID, d.Poll.ID))
}

func (s *Server) setPollStatus(to string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
			return err
		}
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		var p *participation.Poll
		if to == participation.PollOpen {
			p, err = s.svc.Workshops.OpenPoll(c.UserContext(), id)
		} else {
			p, err = s.svc.Workshops.ClosePoll(c.UserContext(), id)
		}
		if err != nil {
			return err
		}
		s.flash(c, "poll_"+to)
		return redirect(c, fmt.Sprintf("/workshops/%d/control#poll-%d", p.WorkshopID, p.ID))
	}
}
