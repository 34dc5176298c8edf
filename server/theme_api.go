package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// themeAPI registers the theme routes of API.md: a round's themes, and
// putting an idea in a theme.
func (s *Server) themeAPI(api fiber.Router) {
	api.Post("/idea-rounds/:id/themes", s.apiCreateTheme)
	api.Get("/idea-rounds/:id/themes", s.apiThemes)
	api.Put("/ideas/:id/theme", s.apiSetTheme)
}

func (s *Server) apiCreateTheme(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var n participation.NewTheme
	if err := decodeAsOfficial(c, &n); err != nil {
		return err
	}
	t, err := s.svc.Ideas.CreateTheme(c.UserContext(), id, n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(t)
}

func (s *Server) apiThemes(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	themes, err := s.svc.Ideas.FindThemes(c.UserContext(), id)
	if err != nil {
		return err
	}
	return sendList(c, themes, len(themes))
}

func (s *Server) apiSetTheme(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		ThemeID *int64 `json:"theme_id"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ideas, err := s.svc.Ideas.SetIdeaTheme(c.UserContext(), in.ThemeID, id)
	if err != nil {
		return err
	}
	return c.JSON(ideas[0])
}
