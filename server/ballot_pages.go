package server

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// ballotPages registers the participants' pages: joining with the code,
// the ballot page and casting a ballot.
func (s *Server) ballotPages(r fiber.Router) {
	r.Get("/join", s.joinPage)
	r.Post("/join", append(s.joinLimit(), s.join)...)
	r.Get("/vote", s.ballotPage)
	r.Post("/vote/:id", s.castBallot)
}

// joinData is the join page's data: the municipalities for the list, and
// where to come back to after signing in when the workshop requires it.
type joinData struct {
	Municipalities []string
	SignInNext     string
}

// joinPageData names the municipalities in the page's language, for the
// join form's free-text field to suggest.
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
	n.Token = joinedToken(c)
	p, err := s.svc.Workshops.JoinWorkshop(c.UserContext(), n)
	switch participation.ErrorCode(err) {
	case "":
	case participation.ENOTFOUND:
		errs := participation.FieldErrors{}
		errs.Add("code", "unknown_code", 0)
		return s.render(c, fiber.StatusNotFound, "join", s.joinPageData(c), form, errs)
	case participation.EUNAUTHENTICATED:
		// The workshop is for signed-in participants: sign in, and back here.
		d := s.joinPageData(c)
		code, _ := participation.NormalizeJoinCode(form["code"])
		d.SignInNext = "/join?code=" + code
		errs := participation.FieldErrors{"_form": {Rule: "error.account_required"}}
		return s.render(c, fiber.StatusUnauthorized, "join", d, form, errs)
	case participation.ECLOSED:
		errs := participation.FieldErrors{"_form": {Rule: "error.joining_closed"}}
		return s.render(c, fiber.StatusConflict, "join", s.joinPageData(c), form, errs)
	default:
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
// when set, belong to poll errPoll's form, which shows the choices sent
// (kept) rather than the standing ballot's, so that none are lost.
func (s *Server) loadBallotPage(c *fiber.Ctx, errPoll int64, errs participation.FieldErrors, kept []int64) (*ballotData, error) {
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
			p.Rows = slices.Clone(p.Rows)
			for i := range p.Rows {
				p.Rows[i].Checked = slices.Contains(kept, p.Rows[i].ID)
			}
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
	d, err := s.loadBallotPage(c, 0, nil, nil)
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
	b := participation.Ballot{}
	if ids, errs := formIDs(c, "option"); errs == nil {
		b.OptionIDs = ids
	} else {
		// As in the API: who and the poll's state come before the content,
		// whose errors the page shows under the rules' name for the field.
		b.ContentErr = participation.FieldErrors{"option_ids": errs["option"]}.Err()
	}
	if _, err = s.svc.Workshops.CastBallot(c.UserContext(), id, token, b); err != nil {
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
			} else if fe, ok := errs["option_ids"]; ok && fe.Rule == participation.RuleMaxChoices {
				// Too many: the page says so, and that the choices are kept.
				errs = participation.FieldErrors{"option_ids": {Rule: "ballot_too_many", Limit: fe.Limit}}
			}
			d, lerr := s.loadBallotPage(c, id, errs, b.OptionIDs)
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
