package server

import (
	"encoding/csv"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

const respondentHeader = "X-Respondent-Token"

// ideaAPI registers the idea round, theme, comment, support and moderation
// routes of API.md.
func (s *Server) ideaAPI(api fiber.Router) {
	api.Post("/processes/:slug/idea-rounds", s.apiCreateIdeaRound)
	api.Get("/idea-rounds/:id", s.apiIdeaRound)
	api.Post("/idea-rounds/:id/ideas", s.apiCreateIdea)
	api.Get("/idea-rounds/:id/ideas", s.apiIdeas)
	api.Get("/idea-rounds/:id/ideas.csv", s.apiIdeasCSV)
	api.Post("/idea-rounds/:id/themes", s.apiCreateTheme)
	api.Get("/idea-rounds/:id/themes", s.apiThemes)
	api.Get("/ideas/:id", s.apiIdea)
	api.Put("/ideas/:id/theme", s.apiSetTheme)
	api.Post("/ideas/:id/comments", s.apiCreateComment)
	api.Get("/ideas/:id/comments", s.apiComments)
	api.Post("/ideas/:id/supports", s.apiSupport)
	api.Get("/moderation/queue", s.apiModerationQueue)
	api.Get("/moderation/log", s.apiModerationLog)
	for _, kind := range []string{participation.KindIdea, participation.KindComment} {
		api.Post("/"+kind+"s/:id/reports", s.apiReport(kind))
		api.Post("/"+kind+"s/:id/hide", s.apiHide(kind))
		api.Post("/"+kind+"s/:id/restore", s.apiRestore(kind))
	}
}

// respondentToken returns the anonymous respondent's token: the API's
// header, or the pages' cookie. A malformed header is refused.
func respondentToken(c *fiber.Ctx) (string, error) {
	if t := c.Get(respondentHeader); t != "" {
		if !participation.ValidRespondentToken(t) {
			return "", participation.Errorf(participation.EMALFORMED, "X-Respondent-Token must be 16–128 URL-safe characters.")
		}
		return copyString(t), nil
	}
	if t := c.Cookies(respondentCookie); participation.ValidRespondentToken(t) && !isAPI(c) {
		return copyString(t), nil
	}
	return "", nil
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

func (s *Server) apiCreateIdea(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var n participation.NewIdea
	if err := decodeJSON(c, &n); err != nil {
		return err
	}
	if n.RespondentToken, err = respondentToken(c); err != nil {
		return err
	}
	idea, err := s.svc.Ideas.CreateIdea(c.UserContext(), id, n, requestLang(c))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(idea)
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
// marked, with theme, supports, comments and municipality.
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
	c.Type("csv", "utf-8")
	c.Attachment("ideas-" + itoa(id) + ".csv")
	c.WriteString("\ufeff") // a byte order mark, so that spreadsheets read UTF-8
	w := csv.NewWriter(c)
	w.Write([]string{"id", "title", "body", "theme", "supports", "comments", "municipality", "author_name", "language", "created_at", "hidden"})
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
			w.Write([]string{itoa(i.ID), csvText(i.Title), csvText(i.Body), csvText(theme), strconv.Itoa(i.Supports), strconv.Itoa(i.Comments),
				csvText(deref(i.Municipality)), csvText(deref(i.AuthorName)), i.Language, i.CreatedAt.UTC().Format(time.RFC3339), strconv.FormatBool(i.Hidden)})
		}
		if offset+maxLimit >= total {
			break
		}
	}
	w.Flush()
	return w.Error()
}

// csvText defuses a participant's text for spreadsheets: a cell that starts
// with = + - @ (or a tab or carriage return) would be read as a formula.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (s *Server) apiIdea(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	tok, err := respondentToken(c)
	if err != nil {
		return err
	}
	idea, err := s.svc.Ideas.FindIdea(c.UserContext(), id, participation.Supporter{RespondentToken: tok})
	if err != nil {
		return err
	}
	return c.JSON(idea)
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
	if err := requireFields(c, "theme_id"); err != nil {
		return err
	}
	ideas, err := s.svc.Ideas.SetIdeaTheme(c.UserContext(), in.ThemeID, id)
	if err != nil {
		return err
	}
	return c.JSON(ideas[0])
}

func (s *Server) apiCreateComment(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var n participation.NewComment
	if err := decodeJSON(c, &n); err != nil {
		return err
	}
	if n.RespondentToken, err = respondentToken(c); err != nil {
		return err
	}
	cm, err := s.svc.Ideas.CreateComment(c.UserContext(), id, n, requestLang(c))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(cm)
}

func (s *Server) apiComments(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	list, total, err := s.svc.Ideas.FindComments(c.UserContext(), id, limit, offset)
	if err != nil {
		return err
	}
	return sendList(c, list, total)
}

func (s *Server) apiSupport(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	tok, err := respondentToken(c)
	if err != nil {
		return err
	}
	n, err := s.svc.Ideas.SupportIdea(c.UserContext(), id, participation.Supporter{RespondentToken: tok})
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"supports": n})
}

func (s *Server) apiReport(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		var r participation.Report
		if err := decodeJSON(c, &r); err != nil {
			return err
		}
		if err := s.svc.Ideas.ReportItem(c.UserContext(), kind, id, r); err != nil {
			return err
		}
		return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"status": "received"})
	}
}

// moderatedItem answers a moderation action with the item as it now is.
func (s *Server) moderatedItem(c *fiber.Ctx, kind string, id int64) error {
	if kind == participation.KindIdea {
		idea, err := s.svc.Ideas.FindIdea(c.UserContext(), id, participation.Supporter{})
		if err != nil {
			return err
		}
		return c.JSON(idea)
	}
	cm, err := s.svc.Ideas.FindComment(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(cm)
}

func (s *Server) apiHide(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
			return err
		}
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		var h participation.Hide
		if err := decodeJSON(c, &h); err != nil {
			return err
		}
		if err := s.svc.Ideas.HideItem(c.UserContext(), kind, id, h); err != nil {
			return err
		}
		return s.moderatedItem(c, kind, id)
	}
}

func (s *Server) apiRestore(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		if err := s.svc.Ideas.RestoreItem(c.UserContext(), kind, id); err != nil {
			return err
		}
		return s.moderatedItem(c, kind, id)
	}
}

func (s *Server) apiModerationQueue(c *fiber.Ctx) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	list, total, err := s.svc.Ideas.FindModerationQueue(c.UserContext(), limit, offset)
	if err != nil {
		return err
	}
	return sendList(c, list, total)
}

func (s *Server) apiModerationLog(c *fiber.Ctx) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	list, total, err := s.svc.Ideas.FindModerationLog(c.UserContext(), limit, offset)
	if err != nil {
		return err
	}
	return sendList(c, list, total)
}
