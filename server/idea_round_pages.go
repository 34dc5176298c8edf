package server

import (
	"errors"
	"maps"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// ideaRoundPages registers the pages of idea rounds: a new round, the round
// with its ideas, and its ideas as CSV.
func (s *Server) ideaRoundPages(r fiber.Router) {
	r.Get("/processes/:slug/idea-rounds/new", s.newIdeaRoundPage)
	r.Post("/processes/:slug/idea-rounds", s.createIdeaRound)
	r.Get("/idea-rounds/:id", s.ideaRoundPage)
	// The API's export, for officials signed in with the session cookie
	// (the API route wants a bearer token, which a browser does not have).
	r.Get("/idea-rounds/:id/ideas.csv", s.apiIdeasCSV)
}

// ideasPerPage is the page size of a round's and a theme's ideas.
const ideasPerPage = 20

// Participation states of a round for the caller: whether the pages offer
// the forms for ideas and comments, and if not, why.
const (
	stateOpen     = participation.StatusOpen
	stateSignIn   = "sign_in" // open, but only for signed-in people
	stateUpcoming = participation.StatusUpcoming
	stateClosed   = participation.StatusClosed
	stateBlocked  = "blocked" // open, but the account is blocked from writing (block.go)
)

// roundState is what the caller can do in round r now.
func roundState(r *participation.IdeaRound, a *participation.Account) string {
	if r.Status != participation.StatusOpen {
		return r.Status
	}
	if a == nil && !r.AllowAnonymous {
		return stateSignIn
	}
	if a != nil && a.Block != nil {
		return stateBlocked
	}
	return stateOpen
}

type newRoundData struct {
	Process *participation.Process
}

func (s *Server) newIdeaRoundPage(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	p, err := s.svc.Processes.FindProcessBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "idea_round_new", newRoundData{Process: p}, nil, nil)
}

func (s *Server) createIdeaRound(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	ctx := c.UserContext()
	p, err := s.svc.Processes.FindProcessBySlug(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	form := formValues(c, "title", "description", "opens_at", "closes_at", "allow_anonymous", "premoderated")
	formatErrs := participation.FieldErrors{}
	n := participation.NewIdeaRound{
		Title: form["title"], Description: form["description"],
		OpensAt:          parseLocalTime(formatErrs, "opens_at", form["opens_at"]),
		ClosesAt:         parseLocalTime(formatErrs, "closes_at", form["closes_at"]),
		AllowAnonymous:   form["allow_anonymous"] != "",
		Premoderated:     form["premoderated"] != "",
		TranslationInput: readTranslations(c, form, "idea_round"),
	}
	r, err := s.svc.Ideas.CreateIdeaRound(ctx, p.Slug, n)
	if err != nil {
		// A time that is not understood is missing to the domain; say what
		// is wrong with it instead.
		var de *participation.Error
		if errors.As(err, &de) && de.Code == participation.EINVALID {
			maps.Copy(de.Fields, formatErrs)
		}
		return s.formError(c, "idea_round_new", newRoundData{Process: p}, form, pageFieldErrors(err, nil, nil))
	}
	s.flash(c, "idea_round_created")
	return redirect(c, "/idea-rounds/"+itoa(r.ID))
}

type roundPageData struct {
	Round   *participation.IdeaRound
	State   string // roundState
	Themes  []*participation.Theme
	Ideas   []ideaItem
	Query   string
	ThemeID int64 // the theme filter; 0 for all
	Sort    string
	Sorts   []string
	Pager
}

func (s *Server) ideaRoundPage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	r, err := s.svc.Ideas.FindIdeaRound(ctx, id)
	if err != nil {
		return err
	}
	f, err := ideaFilter(c, id)
	if err != nil {
		return err
	}
	f.Limit = min(f.Limit, ideasPerPage)
	f.Query = strings.TrimSpace(f.Query)
	if err := f.Validate(); err != nil {
		return err
	}
	themes, err := s.svc.Ideas.FindThemes(ctx, id)
	if err != nil {
		return err
	}
	ideas, total, err := s.svc.Ideas.FindIdeas(ctx, f)
	if err != nil {
		return err
	}
	d := roundPageData{
		Round: r, State: roundState(r, account(c)), Themes: themes, Ideas: ideaItems(ideas, themes),
		Query: f.Query, Sort: f.Sort, Sorts: []string{participation.SortNew, participation.SortSupports},
		Pager: Pager{Total: total, Limit: f.Limit, Offset: f.Offset},
	}
	if f.Query != "" {
		d.Sorts = append([]string{participation.SortRank}, d.Sorts...)
	}
	if f.ThemeID != nil {
		d.ThemeID = *f.ThemeID
	}
	return s.render(c, fiber.StatusOK, "idea_round", d, nil, nil)
}
