package server

import (
	"errors"
	"maps"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// ideaRoundPages registers the pages of idea rounds: a new round, changing
// one, the round with its ideas, and its ideas as CSV.
func (s *Server) ideaRoundPages(r fiber.Router) {
	r.Get("/processes/:slug/idea-rounds/new", s.newIdeaRoundPage)
	r.Post("/processes/:slug/idea-rounds", s.createIdeaRound)
	r.Get("/idea-rounds/:id", s.ideaRoundPage)
	r.Get("/idea-rounds/:id/edit", s.editIdeaRoundPage)
	r.Post("/idea-rounds/:id/edit", s.updateIdeaRound)
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
	form, n, formatErrs := readRoundForm(c)
	r, err := s.svc.Ideas.CreateIdeaRound(ctx, p.Slug, n)
	if err != nil {
		return s.formError(c, "idea_round_new", newRoundData{Process: p}, form, roundFormErrors(err, formatErrs))
	}
	s.flash(c, "idea_round_created")
	return redirect(c, "/idea-rounds/"+itoa(r.ID))
}

// readRoundForm reads the round form (the idea-round-fields partial), the
// same for a new round and a changed one: its values, the round they make,
// and the times that were not understood.
func readRoundForm(c *fiber.Ctx) (map[string]string, participation.NewIdeaRound, participation.FieldErrors) {
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
	return form, n, formatErrs
}

// roundFormErrors is the round form's refusal: a time that is not
// understood is missing to the domain, so say what is wrong with it instead.
func roundFormErrors(err error, formatErrs participation.FieldErrors) error {
	var de *participation.Error
	if errors.As(err, &de) && de.Code == participation.EINVALID {
		maps.Copy(de.Fields, formatErrs)
	}
	return pageFieldErrors(err, nil, nil)
}

// editRoundData is the form that changes a round.
type editRoundData struct {
	Round *participation.IdeaRound
}

// fillRoundForm puts round r's values in a form, as the edit form first
// shows them.
func fillRoundForm(r *participation.IdeaRound) map[string]string {
	form := map[string]string{
		"title": r.Title, "description": r.Description,
		"opens_at":  r.OpensAt.In(helsinki).Format(participation.DateTimeLayout),
		"closes_at": r.ClosesAt.In(helsinki).Format(participation.DateTimeLayout),
	}
	if r.AllowAnonymous {
		form["allow_anonymous"] = "yes"
	}
	if r.Premoderated {
		form["premoderated"] = "yes"
	}
	formTranslations(form, r.Translatable, "idea_round")
	return form
}

func (s *Server) editIdeaRoundPage(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := s.svc.Ideas.FindIdeaRound(c.UserContext(), id)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "idea_round_edit", editRoundData{Round: r}, fillRoundForm(r), nil)
}

// updateIdeaRound changes a round from its edit form, which sends every
// field: a time left empty is refused as on creation, not kept.
func (s *Server) updateIdeaRound(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	r, err := s.svc.Ideas.FindIdeaRound(ctx, id)
	if err != nil {
		return err
	}
	form, n, formatErrs := readRoundForm(c)
	// The form shows the times to the minute: a time sent back as it was
	// shown is the round's own, not a change of its seconds.
	shown := fillRoundForm(r)
	if form["opens_at"] == shown["opens_at"] {
		n.OpensAt = &r.OpensAt
	}
	if form["closes_at"] == shown["closes_at"] {
		n.ClosesAt = &r.ClosesAt
	}
	if n.OpensAt == nil || n.ClosesAt == nil {
		err = n.Validate()
	} else {
		_, err = s.svc.Ideas.UpdateIdeaRound(ctx, id, participation.IdeaRoundPatch{
			Title: &n.Title, Description: &n.Description, OpensAt: n.OpensAt, ClosesAt: n.ClosesAt,
			AllowAnonymous: &n.AllowAnonymous, Premoderated: &n.Premoderated, Language: n.Language, Translations: &n.Translations,
		})
	}
	if err != nil {
		return s.formError(c, "idea_round_edit", editRoundData{Round: r}, form, roundFormErrors(err, formatErrs))
	}
	s.flash(c, "idea_round_updated")
	return redirect(c, "/idea-rounds/"+itoa(id))
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
