package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// themeAPI registers the theme routes of API.md: a round's themes, a
// theme, renaming and merging one, and putting an idea in a theme.
func (s *Server) themeAPI(api fiber.Router) {
	api.Post("/idea-rounds/:id/themes", s.apiCreateTheme)
	api.Get("/idea-rounds/:id/themes", s.apiThemes)
	api.Get("/themes/:id", s.apiTheme)
	api.Patch("/themes/:id", s.apiUpdateTheme)
	api.Post("/themes/:id/merge", s.apiMergeTheme)
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

func (s *Server) apiTheme(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	t, err := s.svc.Ideas.FindTheme(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(t)
}

func (s *Server) apiUpdateTheme(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var p participation.ThemePatch
	if err := decodeAsOfficial(c, &p); err != nil {
		return err
	}
	t, err := s.svc.Ideas.UpdateTheme(c.UserContext(), id, p)
	if err != nil {
		return err
	}
	return c.JSON(t)
}

func (s *Server) apiMergeTheme(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var m participation.ThemeMerge
	if err := decodeAsOfficial(c, &m); err != nil {
		return err
	}
	t, err := s.svc.Ideas.MergeTheme(c.UserContext(), id, m)
	if err != nil {
		return err
	}
	return c.JSON(t)
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
