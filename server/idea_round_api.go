package server

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// ideaRoundAPI registers the idea round routes of API.md: a new round, the
// round and its changes, its ideas and their CSV export.
func (s *Server) ideaRoundAPI(api fiber.Router) {
	api.Post("/processes/:slug/idea-rounds", s.apiCreateIdeaRound)
	api.Get("/idea-rounds/:id", s.apiIdeaRound)
	api.Patch("/idea-rounds/:id", s.apiUpdateIdeaRound)
	api.Get("/idea-rounds/:id/ideas", s.apiIdeas)
	api.Get("/idea-rounds/:id/ideas.csv", s.apiIdeasCSV)
}

func (s *Server) apiCreateIdeaRound(c *fiber.Ctx) error {
	var n participation.NewIdeaRound
	if err := decodeAsOfficial(c, &n); err != nil {
		return err
	}
	r, err := s.svc.Ideas.CreateIdeaRound(c.UserContext(), copyString(c.Params("slug")), n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

func (s *Server) apiUpdateIdeaRound(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var p participation.IdeaRoundPatch
	if err := decodeAsOfficial(c, &p); err != nil {
		return err
	}
	r, err := s.svc.Ideas.UpdateIdeaRound(c.UserContext(), id, p)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *Server) apiIdeaRound(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := s.svc.Ideas.FindIdeaRound(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// ideaFilter reads a round's list parameters: ?q=, ?theme_id=, ?sort=, paging.
func ideaFilter(c *fiber.Ctx, roundID int64) (participation.IdeaFilter, error) {
	limit, offset, err := paging(c)
	if err != nil {
		return participation.IdeaFilter{}, err
	}
	f := participation.IdeaFilter{RoundID: roundID, Query: copyString(c.Query("q")), Sort: copyString(c.Query("sort")), Limit: limit, Offset: offset}
	if t := c.Query("theme_id"); t != "" {
		id, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			fe := participation.FieldErrors{}
			fe.Add("theme_id", participation.RuleFormat, 0)
			return f, &participation.Error{Code: participation.EMALFORMED, Message: "theme_id must be a number.", Fields: fe}
		}
		f.ThemeID = &id
	}
	return f, nil
}

func (s *Server) apiIdeas(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	f, err := ideaFilter(c, id)
	if err != nil {
		return err
	}
	ideas, total, err := s.svc.Ideas.FindIdeas(c.UserContext(), f)
	if err != nil {
		return err
	}
	return sendList(c, ideas, total)
}

// apiIdeasCSV exports every idea of a round for officials, hidden ones
// marked, with theme, supports (all, and those of signed-in people),
// comments and municipality.
func (s *Server) apiIdeasCSV(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	themes, err := s.svc.Ideas.FindThemes(ctx, id)
	if err != nil {
		return err
	}
	themeTitle := map[int64]string{}
	for _, t := range themes {
		themeTitle[t.ID] = t.Title
	}
	w, err := newCSV(c, "ideas-"+itoa(id)+".csv", true) // a byte order mark, so that spreadsheets read UTF-8
	if err != nil {
		return err
	}
	w.Row([]string{"id", "title", "body", "theme", "supports", "signed_in_supports", "comments", "municipality", "author_name", "language", "created_at", "hidden"}...)
	for offset := 0; ; offset += maxLimit {
		ideas, total, err := s.svc.Ideas.FindIdeas(ctx, participation.IdeaFilter{RoundID: id, Limit: maxLimit, Offset: offset, WithHidden: true})
		if err != nil {
			return err
		}
		for _, i := range ideas {
			theme := ""
			if i.ThemeID != nil {
				theme = themeTitle[*i.ThemeID]
			}
			w.Row([]string{itoa(i.ID), csvText(i.Title), csvText(i.Body), csvText(theme), strconv.Itoa(i.Supports), strconv.Itoa(i.SignedInSupports), strconv.Itoa(i.Comments),
				csvText(deref(i.Municipality)), csvText(deref(i.AuthorName)), i.Language, i.CreatedAt.UTC().Format(time.RFC3339), strconv.FormatBool(i.Hidden)}...)
		}
		if offset+maxLimit >= total {
			break
		}
	}
	return w.Close()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
