package server

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// themePages registers the theme page and the grouping page, where
// officials make a round's themes, put its ideas in them, rename them and
// merge two of them (after a confirmation).
func (s *Server) themePages(r fiber.Router) {
	r.Get("/idea-rounds/:id/group", s.groupPage)
	r.Post("/idea-rounds/:id/group", s.groupIdeas)
	r.Post("/idea-rounds/:id/themes", s.createTheme)
	r.Post("/idea-rounds/:id/themes/merge", s.mergeThemes)
	r.Get("/themes/:id", s.themePage)
	r.Get("/themes/:id/edit", s.editThemePage)
	r.Post("/themes/:id/edit", s.updateTheme)
}

// groupPerPage is the page size of the grouping page's unthemed ideas.
const groupPerPage = 100

// themePageData is a theme with its ideas and its workshop results.
type themePageData struct {
	Theme *participation.Theme
	Round *participation.IdeaRound
	// MergedInto is the theme a merged theme was merged into, or nil.
	MergedInto *participation.Theme
	Ideas      []ideaItem
	Pager
	// Results are the theme's votes and rank in each closed workshop poll.
	Results []participation.ThemePollResult
}

func (s *Server) themePage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	limit = min(limit, ideasPerPage)
	ctx := c.UserContext()
	t, err := s.svc.Ideas.FindTheme(ctx, id)
	if err != nil {
		return err
	}
	r, err := s.svc.Ideas.FindIdeaRound(ctx, t.RoundID)
	if err != nil {
		return err
	}
	ideas, total, err := s.svc.Ideas.FindIdeas(ctx, participation.IdeaFilter{RoundID: t.RoundID, ThemeID: &t.ID, Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	results, err := s.svc.Workshops.FindThemeResults(ctx, t.RoundID)
	if err != nil {
		return err
	}
	d := themePageData{
		Theme: t, Round: r, Ideas: ideaItems(ideas, []*participation.Theme{t}),
		Pager: Pager{Total: total, Limit: limit, Offset: offset}, Results: results[t.ID],
	}
	if t.MergedInto != nil {
		if d.MergedInto, err = s.svc.Ideas.FindTheme(ctx, *t.MergedInto); err != nil {
			return err
		}
	}
	return s.render(c, fiber.StatusOK, "theme", d, nil, nil)
}

// groupPageData is the grouping page: a round's themes with their ideas,
// and a page of the ideas in none.
type groupPageData struct {
	Round    *participation.IdeaRound
	Themes   []*participation.Theme
	Unthemed []*participation.Idea
	Themed   []themeIdeas
	// Checked are the ideas ticked in a form sent back with an error.
	Checked map[int64]bool
	Pager   // of Unthemed
}

// themeIdeas is one theme's ideas on the grouping page; More counts those
// left out of a very large theme.
type themeIdeas struct {
	Theme *participation.Theme
	Ideas []*participation.Idea
	More  int
}

func (s *Server) groupData(c *fiber.Ctx, roundID int64) (groupPageData, error) {
	limit, offset, err := paging(c)
	if err != nil {
		return groupPageData{}, err
	}
	limit = min(limit, groupPerPage)
	ctx := c.UserContext()
	r, err := s.svc.Ideas.FindIdeaRound(ctx, roundID)
	if err != nil {
		return groupPageData{}, err
	}
	themes, err := s.svc.Ideas.FindThemes(ctx, roundID)
	if err != nil {
		return groupPageData{}, err
	}
	unthemed, total, err := s.svc.Ideas.FindIdeas(ctx, participation.IdeaFilter{RoundID: roundID, Unthemed: true, Limit: limit, Offset: offset})
	if err != nil {
		return groupPageData{}, err
	}
	d := groupPageData{Round: r, Themes: themes, Unthemed: unthemed, Pager: Pager{Total: total, Limit: limit, Offset: offset}}
	for _, t := range themes {
		ideas, n, err := s.svc.Ideas.FindIdeas(ctx, participation.IdeaFilter{RoundID: roundID, ThemeID: &t.ID, Limit: maxLimit})
		if err != nil {
			return groupPageData{}, err
		}
		d.Themed = append(d.Themed, themeIdeas{Theme: t, Ideas: ideas, More: n - len(ideas)})
	}
	return d, nil
}

func (s *Server) groupPage(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	d, err := s.groupData(c, id)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "idea_group", d, nil, nil)
}

// noTheme is the theme choice that takes ideas out of their themes.
const noTheme = "none"

func (s *Server) groupIdeas(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	form := formValues(c, "theme_id")
	ids, errs := formIDs(c, "idea_ids")
	if errs == nil {
		errs = participation.FieldErrors{}
	}
	if len(ids) == 0 {
		errs.Add("idea_ids", participation.RuleRequired, 0)
	}
	var themeID *int64
	switch v := form["theme_id"]; v {
	case "":
		errs.Add("theme_id", participation.RuleRequired, 0)
	case noTheme:
	default:
		t, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil {
			errs.Add("theme_id", participation.RuleChoice, 0)
		}
		themeID = &t
	}
	err = errs.Err()
	if err == nil {
		_, err = s.svc.Ideas.SetIdeaTheme(c.UserContext(), themeID, ids...)
	}
	if err != nil {
		d, derr := s.groupData(c, id)
		if derr != nil {
			return derr
		}
		d.Checked = map[int64]bool{}
		for _, i := range ids {
			d.Checked[i] = true
		}
		return s.formError(c, "idea_group", d, form, err)
	}
	s.flash(c, "ideas_grouped")
	return redirect(c, "/idea-rounds/"+itoa(id)+"/group")
}

func (s *Server) createTheme(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	form := formValues(c, "title", "description")
	n := participation.NewTheme{Title: form["title"], Description: form["description"], TranslationInput: readTranslations(c, form, "theme")}
	if _, err := s.svc.Ideas.CreateTheme(c.UserContext(), id, n); err != nil {
		d, derr := s.groupData(c, id)
		if derr != nil {
			return derr
		}
		return s.formError(c, "idea_group", d, form, pageFieldErrors(err, nil, nil))
	}
	s.flash(c, "theme_created")
	return redirect(c, "/idea-rounds/"+itoa(id)+"/group")
}

// themeEditData is the form that renames a theme.
type themeEditData struct {
	Theme *participation.Theme
	Round *participation.IdeaRound
}

func (s *Server) themeEditData(c *fiber.Ctx) (themeEditData, error) {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return themeEditData{}, err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return themeEditData{}, err
	}
	t, err := s.svc.Ideas.FindTheme(c.UserContext(), id)
	if err != nil {
		return themeEditData{}, err
	}
	r, err := s.svc.Ideas.FindIdeaRound(c.UserContext(), t.RoundID)
	if err != nil {
		return themeEditData{}, err
	}
	return themeEditData{Theme: t, Round: r}, nil
}

func (s *Server) editThemePage(c *fiber.Ctx) error {
	d, err := s.themeEditData(c)
	if err != nil {
		return err
	}
	form := map[string]string{"title": d.Theme.Title, "description": d.Theme.Description}
	formTranslations(form, d.Theme.Translatable, "theme")
	return s.render(c, fiber.StatusOK, "theme_edit", d, form, nil)
}

func (s *Server) updateTheme(c *fiber.Ctx) error {
	d, err := s.themeEditData(c)
	if err != nil {
		return err
	}
	form := formValues(c, "title", "description")
	title, description := form["title"], form["description"]
	in := readTranslations(c, form, "theme")
	_, err = s.svc.Ideas.UpdateTheme(c.UserContext(), d.Theme.ID, participation.ThemePatch{
		Title: &title, Description: &description, Language: in.Language, Translations: &in.Translations,
	})
	if err != nil {
		return s.formError(c, "theme_edit", d, form, pageFieldErrors(err, nil, nil))
	}
	s.flash(c, "theme_renamed")
	return redirect(c, "/idea-rounds/"+itoa(d.Theme.RoundID)+"/group")
}

// ruleSameTheme is the merge form's refusal of one theme chosen twice.
const ruleSameTheme = "same_theme"

// themeMergeData is the confirmation of a merge of two themes.
type themeMergeData struct {
	Round *participation.IdeaRound
	From  *participation.Theme
	Into  *participation.Theme
}

// mergeThemes merges the grouping page's chosen theme (merge_id) into
// another (merge_into): the first post shows what will happen and asks to
// confirm; the confirmed one merges.
func (s *Server) mergeThemes(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	form := formValues(c, "merge_id", "merge_into", "confirm")
	errs := participation.FieldErrors{}
	from, err := s.roundTheme(ctx, errs, id, "merge_id", form["merge_id"])
	if err != nil {
		return err
	}
	into, err := s.roundTheme(ctx, errs, id, "merge_into", form["merge_into"])
	if err != nil {
		return err
	}
	if from != nil && into != nil && from.ID == into.ID {
		errs.Add("merge_into", ruleSameTheme, 0)
	}
	err = errs.Err()
	if err == nil {
		err = participation.CheckThemeMerge(from, into)
	}
	if err == nil && form["confirm"] == "" {
		r, err := s.svc.Ideas.FindIdeaRound(ctx, id)
		if err != nil {
			return err
		}
		return s.render(c, fiber.StatusOK, "theme_merge", themeMergeData{Round: r, From: from, Into: into}, form, nil)
	}
	if err == nil {
		_, err = s.svc.Ideas.MergeTheme(ctx, from.ID, participation.ThemeMerge{IntoID: &into.ID})
	}
	if err != nil {
		d, derr := s.groupData(c, id)
		if derr != nil {
			return derr
		}
		return s.formError(c, "idea_group", d, form, pageFieldErrors(err, map[string]string{"into_id": "merge_into"}, nil))
	}
	s.flash(c, "themes_merged")
	return redirect(c, "/idea-rounds/"+itoa(id)+"/group")
}

// roundTheme reads the form's theme field name, which must be a theme of
// round roundID: anything else is recorded in errs, and nil returned.
func (s *Server) roundTheme(ctx context.Context, errs participation.FieldErrors, roundID int64, name, value string) (*participation.Theme, error) {
	if value == "" {
		errs.Add(name, participation.RuleRequired, 0)
		return nil, nil
	}
	id, err := strconv.ParseInt(value, 10, 64)
	if err != nil {
		errs.Add(name, participation.RuleChoice, 0)
		return nil, nil
	}
	t, err := s.svc.Ideas.FindTheme(ctx, id)
	if participation.ErrorCode(err) == participation.ENOTFOUND || (err == nil && t.RoundID != roundID) {
		errs.Add(name, participation.RuleChoice, 0)
		return nil, nil
	}
	return t, err
}
