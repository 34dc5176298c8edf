package server

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/websocket"

	"osallistu/participation"
)

// workshopAPI registers the workshops and live voting routes of API.md.
func (s *Server) workshopAPI(api fiber.Router) {
	api.Post("/processes/:slug/workshops", s.apiCreateWorkshop)
	api.Post("/workshops/join", append(s.joinLimit(), s.apiJoin)...)
	api.Get("/workshops/:id", s.apiWorkshop)
	api.Patch("/workshops/:id", s.apiUpdateWorkshop)
	api.Post("/workshops/:id/polls", s.apiCreatePoll)
	api.Get("/workshops/:id/live", s.apiLive)
	api.Post("/polls/:id/open", s.apiSetPollStatus(participation.PollOpen))
	api.Post("/polls/:id/close", s.apiSetPollStatus(participation.PollClosed))
	api.Put("/polls/:id/ballot", s.apiCastBallot)
	api.Get("/polls/:id/tally", s.apiTally)
}

func (s *Server) apiCreateWorkshop(c *fiber.Ctx) error {
	var n participation.NewWorkshop
	if err := decodeAsOfficial(c, &n); err != nil {
		return err
	}
	w, err := s.svc.Workshops.CreateWorkshop(c.UserContext(), c.Params("slug"), n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(w)
}

func (s *Server) apiWorkshop(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	w, err := s.svc.Workshops.FindWorkshop(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(w)
}

func (s *Server) apiUpdateWorkshop(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var u participation.WorkshopUpdate
	if err := decodeAsOfficial(c, &u); err != nil {
		return err
	}
	w, err := s.svc.Workshops.UpdateWorkshop(c.UserContext(), id, u)
	if err != nil {
		return err
	}
	return c.JSON(w)
}

func (s *Server) apiCreatePoll(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var n participation.NewPoll
	if err := decodeAsOfficial(c, &n); err != nil {
		return err
	}
	p, err := s.svc.Workshops.CreatePoll(c.UserContext(), id, n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}

func (s *Server) apiSetPollStatus(to string) fiber.Handler {
	return func(c *fiber.Ctx) error {
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
		return c.JSON(p)
	}
}

func (s *Server) apiJoin(c *fiber.Ctx) error {
	var n participation.NewParticipant
	if err := decodeJSON(c, &n); err != nil {
		return err
	}
	p, err := s.svc.Workshops.JoinWorkshop(c.UserContext(), n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}

// apiCastBallot takes a participant's ballot. Who and which poll come
// first, then the poll's state, then the ballot's content: even a malformed
// body to a closed poll is told that the poll is closed.
func (s *Server) apiCastBallot(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	token := participantToken(c)
	if token == "" {
		return participation.Errorf(participation.EUNAUTHENTICATED, "Join the workshop first and send X-Participant-Token.")
	}
	var b participation.Ballot
	if err := decodeJSON(c, &b); err != nil {
		if serr := s.ballotState(c, id, token); serr != nil {
			return serr
		}
		return err
	}
	got, err := s.svc.Workshops.CastBallot(c.UserContext(), id, token, b)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"poll_id": got.PollID, "option_ids": got.OptionIDs})
}

// ballotState returns the error a ballot for poll id by token would get
// before its content is looked at, or nil.
func (s *Server) ballotState(c *fiber.Ctx, id int64, token string) error {
	ctx := c.UserContext()
	who, err := s.svc.Workshops.FindParticipant(ctx, token)
	if err != nil {
		return err
	}
	p, err := s.svc.Workshops.FindPoll(ctx, id)
	if err != nil {
		return err
	}
	if p.WorkshopID != who.WorkshopID {
		return participation.Errorf(participation.EFORBIDDEN, "You joined another workshop.")
	}
	return p.CheckOpen()
}

func (s *Server) apiTally(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	t, err := s.svc.Workshops.FindTally(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(t)
}

// apiLive follows a workshop over a WebSocket: the hub sends a tally frame
// per poll, then one after each change.
func (s *Server) apiLive(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.svc.Workshops.FindWorkshop(c.UserContext(), id); err != nil {
		return err
	}
	return upgradeWebSocket(c, func(ws *websocket.Conn) { s.hub.Serve(ws, id) })
}

// workshopPages registers the official's, the projector's and the
// participants' pages.
func (s *Server) workshopPages(r fiber.Router) {
	r.Get("/processes/:slug/workshops/new", s.newWorkshopPage)
	r.Post("/processes/:slug/workshops", s.createWorkshop)
	r.Get("/workshops/:id", s.workshopPage)
	r.Get("/workshops/:id/control", s.workshopControlPage)
	r.Get("/workshops/:id/projector", s.workshopProjectorPage)
	r.Post("/workshops/:id/settings", s.updateWorkshop)
	r.Post("/workshops/:id/polls", s.createPoll)
	r.Post("/polls/:id/open", s.setPollStatus(participation.PollOpen))
	r.Post("/polls/:id/close", s.setPollStatus(participation.PollClosed))
	r.Get("/join", s.joinPage)
	r.Post("/join", append(s.joinLimit(), s.join)...)
	r.Get("/vote", s.ballotPage)
	r.Post("/vote/:id", s.castBallot)
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
}

// pollView is a poll with its tally as the pages show it.
type pollView struct {
	*participation.Tally
	Rows []optionRow
	// ShowResults is whether the bars and votes are shown: always once the
	// poll has closed, while it is open only if the workshop shows results live.
	ShowResults bool
	Voted       bool // the participant has a standing ballot
	Errors      participation.FieldErrors
}

func newPollView(t *participation.Tally, mine []int64) pollView {
	v := pollView{Tally: t, Voted: len(mine) > 0,
		ShowResults: t.Status == participation.PollClosed || (t.Status == participation.PollOpen && t.ShowResultsLive)}
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
		v.Rows = append(v.Rows, optionRow{ID: o.ID, Label: o.Label, Votes: o.Votes, Pct: strconv.FormatFloat(pct, 'f', 1, 64), Rank: ranks[i], Checked: checked})
	}
	return v
}

// ChosenLabels lists the options of the participant's ballot.
func (v pollView) ChosenLabels() string {
	var labels []string
	for _, r := range v.Rows {
		if r.Checked {
			labels = append(labels, r.Label)
		}
	}
	return strings.Join(labels, ", ")
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
	n := participation.NewWorkshop{Title: form["title"], StartsAt: parseLocalTime(errs, "starts_at", form["starts_at"])}
	if len(errs) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "workshop_new", p, form, errs)
	}
	w, err := s.svc.Workshops.CreateWorkshop(ctx, p.Slug, n)
	if err != nil {
		return s.formError(c, "workshop_new", p, form, err)
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
	n := participation.NewPoll{Question: form["question"]}
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

// joinData is the join page's data: the municipalities for the list.
type joinData struct {
	Municipalities []string
}

func (s *Server) joinPageData(c *fiber.Ctx) joinData {
	lang := requestLang(c)
	ms := participation.Municipalities()
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Name(lang)
	}
	sort.Strings(names)
	return joinData{Municipalities: names}
}

func (s *Server) joinPage(c *fiber.Ctx) error {
	form := map[string]string{"code": strings.ToUpper(strings.TrimSpace(copyString(c.Query("code"))))}
	return s.render(c, fiber.StatusOK, "join", s.joinPageData(c), form, nil)
}

func (s *Server) join(c *fiber.Ctx) error {
	form := formValues(c, "code", "name", "municipality")
	n := participation.NewParticipant{Code: form["code"]}
	if v := form["name"]; v != "" {
		n.Name = &v
	}
	if v := form["municipality"]; v != "" {
		n.Municipality = &v
	}
	p, err := s.svc.Workshops.JoinWorkshop(c.UserContext(), n)
	if participation.ErrorCode(err) == participation.ENOTFOUND {
		errs := participation.FieldErrors{}
		errs.Add("code", "unknown_code", 0)
		return s.render(c, fiber.StatusNotFound, "join", s.joinPageData(c), form, errs)
	} else if err != nil {
		return s.formError(c, "join", s.joinPageData(c), form, err)
	}
	s.setParticipantCookie(c, p.Token)
	s.flash(c, "joined")
	return redirect(c, "/vote")
}

// ballotData is the ballot page's data.
type ballotData struct {
	*workshopData
	Open, Closed []pollView // open polls to vote in; closed ones, last closed first
}

// loadBallotPage fills the ballot page for the participant's cookie; errs,
// when set, belong to poll errPoll's form.
func (s *Server) loadBallotPage(c *fiber.Ctx, errPoll int64, errs participation.FieldErrors) (*ballotData, error) {
	ctx := c.UserContext()
	token := participantToken(c)
	who, err := s.svc.Workshops.FindParticipant(ctx, token)
	if err != nil {
		return nil, err
	}
	mine, err := s.svc.Workshops.FindBallots(ctx, token)
	if err != nil {
		return nil, err
	}
	wd, err := s.loadWorkshop(c, who.WorkshopID, mine)
	if err != nil {
		return nil, err
	}
	d := &ballotData{workshopData: wd}
	for _, p := range wd.Polls {
		if p.PollID == errPoll {
			p.Errors = errs
		}
		switch p.Status {
		case participation.PollOpen:
			d.Open = append(d.Open, p)
		case participation.PollClosed:
			d.Closed = append(d.Closed, p)
		}
	}
	sort.SliceStable(d.Closed, func(i, j int) bool { return d.Closed[i].ClosedAt.After(*d.Closed[j].ClosedAt) })
	return d, nil
}

func (s *Server) ballotPage(c *fiber.Ctx) error {
	d, err := s.loadBallotPage(c, 0, nil)
	if participation.ErrorCode(err) == participation.EUNAUTHENTICATED {
		return redirect(c, "/join")
	} else if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "ballot", d, nil, nil)
}

// castBallot takes the ballot page's form: one checkbox per option.
func (s *Server) castBallot(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	token := participantToken(c)
	if token == "" {
		return redirect(c, "/join")
	}
	ids, errs := formIDs(c, "option")
	if errs == nil {
		_, err = s.svc.Workshops.CastBallot(c.UserContext(), id, token, participation.Ballot{OptionIDs: ids})
	} else if err = s.ballotState(c, id, token); err == nil {
		// As in the API: who and the poll's state come before the content,
		// whose errors the page shows under the rules' name for the field.
		err = participation.FieldErrors{"option_ids": errs["option"]}.Err()
	}
	if err != nil {
		var de *participation.Error
		if !errors.As(err, &de) {
			return err
		}
		switch de.Code {
		case participation.EUNAUTHENTICATED:
			return redirect(c, "/join")
		case participation.EINVALID, participation.ECLOSED:
			errs := de.Fields
			if de.Code == participation.ECLOSED {
				errs = participation.FieldErrors{"option_ids": {Rule: "error.closed"}}
			}
			d, lerr := s.loadBallotPage(c, id, errs)
			if lerr != nil {
				return lerr
			}
			return s.render(c, statusOf[de.Code], "ballot", d, nil, nil)
		}
		return err
	}
	s.flash(c, "ballot_counted")
	return redirect(c, fmt.Sprintf("/vote#poll-%d", id))
}
