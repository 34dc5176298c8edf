package server

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// pollPages registers the control page's poll forms: a new poll, opening
// and closing one.
func (s *Server) pollPages(r fiber.Router) {
	r.Post("/workshops/:id/polls", s.createPoll)
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
		for _, line := range strings.Split(form["options"], "\n") {
			if l := strings.TrimSpace(line); l != "" {
				n.Options = append(n.Options, participation.NewPollOption{Label: l})
			}
		}
		pollOptionTranslations(c, form, n.Options, errs)
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
