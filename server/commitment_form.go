package server

import (
	"maps"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// commitmentFormPages registers drafting: choosing a commitment's sources
// from the participation, and the commitment form, for a new draft and for
// an edit of one.
func (s *Server) commitmentFormPages(r fiber.Router) {
	r.Get("/processes/:slug/drafting", s.draftingPage)
	r.Get("/processes/:slug/commitments/new", s.newCommitmentPage)
	r.Post("/processes/:slug/commitments", s.createCommitmentForm)
	r.Post("/commitments/:id", s.updateCommitmentForm)
	r.Get("/commitments/:id/edit", s.editCommitmentPage)
}

// blankMilestoneRows are the empty milestone rows the form offers, a new
// draft's and an edit's alike, so that adding milestones needs no
// JavaScript; the form's "add a milestone" button gives one more.
const blankMilestoneRows = 3

// addMilestone is the name of the form's "add a milestone" button: a post
// with it shows the form again, as typed, with one more empty row.
const addMilestone = "add_milestone"

// draftingData is the drafting page: what the participation brought, its
// ideas in the order Sort (one of draftingSorts).
type draftingData struct {
	Process *participation.Process
	Sources *participation.DraftingSources
	Sort    string
}

// draftingSorts are the orders of the drafting page's ideas, the default
// first: the supports of signed-in people, which no respondent tokens can
// multiply, or all supports.
var draftingSorts = []string{participation.SortSignedInSupports, participation.SortSupports}

// Sorts are the orders the page offers.
func (draftingData) Sorts() []string { return draftingSorts }

func (s *Server) draftingPage(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	ctx := c.UserContext()
	p, err := s.svc.Processes.FindProcessBySlug(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	src, err := s.svc.Commitments.FindDraftingSources(ctx, p.Slug)
	if err != nil {
		return err
	}
	sort := c.Query("sort", draftingSorts[0])
	if err := src.SortIdeas(sort); err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "drafting", draftingData{Process: p, Sources: src, Sort: copyString(sort)}, nil, nil)
}

// milestoneRow is one row of the form's milestones; ID is set for an
// existing milestone.
type milestoneRow struct {
	N  int
	ID int64
}

// commitmentFormData is the commitment form: the commitment edited (nil
// for a new draft), its sources and its milestone rows.
type commitmentFormData struct {
	Process    *participation.Process
	Commitment *participation.Commitment // nil for a new draft
	Ideas      []participation.SourceRef // the sources offered, checked
	Themes     []participation.SourceRef
	Rows       []milestoneRow
	Checked    map[string]bool // "idea-ID", "theme-ID" of the checked sources
}

// newCommitmentFormData is the form of commitment cm (nil for a new draft)
// offering the sources ideas and themes, every one checked.
func newCommitmentFormData(p *participation.Process, cm *participation.Commitment, ideas, themes []participation.SourceRef) commitmentFormData {
	d := commitmentFormData{Process: p, Commitment: cm, Ideas: ideas, Themes: themes, Checked: map[string]bool{}}
	for _, r := range ideas {
		d.Checked["idea-"+itoa(r.ID)] = true
	}
	for _, r := range themes {
		d.Checked["theme-"+itoa(r.ID)] = true
	}
	return d
}

// Action returns where the form posts.
func (d commitmentFormData) Action() string {
	if d.Commitment != nil {
		return "/commitments/" + itoa(d.Commitment.ID)
	}
	return "/processes/" + d.Process.Slug + "/commitments"
}

// commitmentFormFields are the commitment form's text fields.
var commitmentFormFields = []string{"title", "problem", "description", "how_it_addresses", "relevance", "lead_agency", "other_actors", "starts_on", "ends_on", "change_note"}

// sourceRefs finds the titles of the selected ideas and themes among the
// process's drafting sources.
func sourceRefs(src *participation.DraftingSources, ideaIDs, themeIDs []int64) (ideas, themes []participation.SourceRef) {
	want := map[int64]bool{}
	for _, id := range ideaIDs {
		want[id] = true
	}
	wantTheme := map[int64]bool{}
	for _, id := range themeIDs {
		wantTheme[id] = true
	}
	for _, t := range src.Themes {
		if wantTheme[t.ID] {
			themes = append(themes, t.SourceRef)
		}
		for _, i := range t.Ideas {
			if want[i.ID] {
				ideas = append(ideas, participation.SourceRef{ID: i.ID, Title: i.Title})
			}
		}
	}
	for _, i := range src.Unthemed {
		if want[i.ID] {
			ideas = append(ideas, participation.SourceRef{ID: i.ID, Title: i.Title})
		}
	}
	return ideas, themes
}

// newCommitmentData is the new draft's form with the selected sources.
func (s *Server) newCommitmentData(c *fiber.Ctx, p *participation.Process, ideaIDs, themeIDs []int64) (commitmentFormData, error) {
	src, err := s.svc.Commitments.FindDraftingSources(c.UserContext(), p.Slug)
	if err != nil {
		return commitmentFormData{}, err
	}
	ideas, themes := sourceRefs(src, ideaIDs, themeIDs)
	return newCommitmentFormData(p, nil, ideas, themes), nil
}

func (s *Server) newCommitmentPage(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	p, err := s.svc.Processes.FindProcessBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	ideaIDs, themeIDs, errs := commitmentSources(c)
	d, err := s.newCommitmentData(c, p, ideaIDs, themeIDs)
	if err != nil {
		return err
	}
	d.Rows = blankRows(nil, 0)
	status := fiber.StatusOK
	if errs != nil {
		status = fiber.StatusUnprocessableEntity
	}
	return s.render(c, status, "commitment_form", d, map[string]string{}, errs)
}

// commitmentSources reads the ideas and themes chosen as a commitment's
// sources, on the drafting page (a query) or the commitment form; nil errs
// when every value is an id.
func commitmentSources(c *fiber.Ctx) (ideaIDs, themeIDs []int64, errs participation.FieldErrors) {
	ideaIDs, ideaErrs := formIDs(c, "source_idea_ids")
	themeIDs, themeErrs := formIDs(c, "source_theme_ids")
	if ideaErrs != nil || themeErrs != nil {
		errs = participation.FieldErrors{}
		maps.Copy(errs, ideaErrs)
		maps.Copy(errs, themeErrs)
	}
	return ideaIDs, themeIDs, errs
}

// blankRows returns the rows of existing milestones and blank ones after them.
func blankRows(ids []int64, filled int) []milestoneRow {
	rows := make([]milestoneRow, 0, max(len(ids), filled)+blankMilestoneRows)
	for i := range max(len(ids), filled) + blankMilestoneRows {
		r := milestoneRow{N: i + 1}
		if i < len(ids) {
			r.ID = ids[i]
		}
		rows = append(rows, r)
	}
	return rows
}

// postedRows returns the milestone rows the form was posted with, empty
// ones too, each with its existing milestone's id.
func postedRows(c *fiber.Ctx) []milestoneRow {
	var rows []milestoneRow
	for n := 1; n <= participation.MilestonesMax+blankMilestoneRows; n++ {
		key := strconv.Itoa(n)
		if !c.Request().PostArgs().Has("milestone_title_" + key) {
			break
		}
		id, _ := strconv.ParseInt(c.FormValue("milestone_id_"+key), 10, 64)
		rows = append(rows, milestoneRow{N: n, ID: id})
	}
	return rows
}

// withOneMoreRow shows the form as it was posted, its sources checked as
// they were, with one more empty milestone row (up to the most a
// commitment may have and its blank rows).
func (d *commitmentFormData) withOneMoreRow(c *fiber.Ctx, ideaIDs, themeIDs []int64) {
	d.Rows = postedRows(c)
	if len(d.Rows) < participation.MilestonesMax+blankMilestoneRows {
		d.Rows = append(d.Rows, milestoneRow{N: len(d.Rows) + 1})
	}
	d.Checked = map[string]bool{}
	for _, id := range ideaIDs {
		d.Checked["idea-"+itoa(id)] = true
	}
	for _, id := range themeIDs {
		d.Checked["theme-"+itoa(id)] = true
	}
}

// commitmentForm reads the commitment form: its text, its language and
// translations, its milestone rows (blank rows are skipped) and the form's
// values to show again.
func commitmentForm(c *fiber.Ctx) (participation.CommitmentText, participation.TranslationInput, []participation.MilestoneText, []int64, map[string]string) {
	form := formValues(c, commitmentFormFields...)
	translations := readTranslations(c, form, "commitment")
	text := participation.CommitmentText{
		Title: form["title"], Problem: form["problem"], Description: form["description"],
		HowItAddresses: form["how_it_addresses"], Relevance: form["relevance"],
		LeadAgency: form["lead_agency"], OtherActors: form["other_actors"],
	}
	starts, ends := participation.Date(form["starts_on"]), participation.Date(form["ends_on"])
	text.StartsOn, text.EndsOn = &starts, &ends
	var milestones []participation.MilestoneText
	var ids []int64
	for n := 1; n <= participation.MilestonesMax+blankMilestoneRows; n++ {
		key := strconv.Itoa(n)
		if !c.Request().PostArgs().Has("milestone_title_"+key) && c.FormValue("milestone_title_"+key) == "" {
			break
		}
		row := formValues(c, "milestone_id_"+key, "milestone_title_"+key, "milestone_due_"+key, "milestone_responsible_"+key)
		for k, v := range row {
			form[k] = v
		}
		id, _ := strconv.ParseInt(row["milestone_id_"+key], 10, 64)
		m := participation.MilestoneText{ID: id, Title: row["milestone_title_"+key],
			Due: participation.Date(row["milestone_due_"+key]), Responsible: row["milestone_responsible_"+key],
			TranslationInput: readMilestoneTranslations(c, form, "_"+key)}
		if m.ID == 0 && m.Title == "" && m.Due == "" && m.Responsible == "" && m.Translations == nil {
			continue
		}
		milestones = append(milestones, m)
		ids = append(ids, m.ID)
	}
	return text, translations, milestones, ids, form
}

func (s *Server) createCommitmentForm(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	ctx := c.UserContext()
	p, err := s.svc.Processes.FindProcessBySlug(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	text, translations, milestones, _, form := commitmentForm(c)
	ideaIDs, themeIDs, errs := commitmentSources(c)
	if c.FormValue(addMilestone) != "" && errs == nil {
		d, err := s.newCommitmentData(c, p, ideaIDs, themeIDs)
		if err != nil {
			return err
		}
		d.withOneMoreRow(c, ideaIDs, themeIDs)
		return s.render(c, fiber.StatusOK, "commitment_form", d, form, nil)
	}
	var cm *participation.Commitment
	if err = errs.Err(); err == nil {
		cm, err = s.svc.Commitments.CreateCommitment(ctx, p.Slug, participation.NewCommitment{
			CommitmentText: text, SourceIdeaIDs: ideaIDs, SourceThemeIDs: themeIDs, Milestones: milestones,
			TranslationInput: translations,
		})
	}
	if err != nil {
		d, derr := s.newCommitmentData(c, p, ideaIDs, themeIDs)
		if derr != nil {
			return derr
		}
		d.Rows = blankRows(nil, len(milestones))
		return s.formError(c, "commitment_form", d, form, pageFieldErrors(err, nil, tooManyRules))
	}
	s.flash(c, "commitment_created")
	return redirect(c, "/commitments/"+itoa(cm.ID))
}

// editData is the edit form of a commitment.
func (s *Server) editData(c *fiber.Ctx, cm *participation.Commitment, rowIDs []int64, filled int) (commitmentFormData, error) {
	p, err := s.svc.Processes.FindProcessBySlug(c.UserContext(), cm.ProcessSlug)
	if err != nil {
		return commitmentFormData{}, err
	}
	d := newCommitmentFormData(p, cm, cm.Sources.Ideas, cm.Sources.Themes)
	d.Rows = blankRows(rowIDs, filled)
	return d, nil
}

// findEditable returns a commitment that can be edited: ECONFLICT for a merged one.
func (s *Server) findEditable(c *fiber.Ctx) (*participation.Commitment, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	cm, err := s.svc.Commitments.FindCommitment(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if cm.Status == participation.CommitmentMerged {
		return nil, participation.Errorf(participation.ECONFLICT, "A merged commitment cannot be changed.")
	}
	return cm, nil
}

func (s *Server) editCommitmentPage(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	cm, err := s.findEditable(c)
	if err != nil {
		return err
	}
	form := map[string]string{}
	for _, name := range participation.CommitmentTextFields {
		form[name] = cm.Field(name)
	}
	form["starts_on"], form["ends_on"] = cm.Field("starts_on"), cm.Field("ends_on")
	formTranslations(form, cm.Translatable, "commitment")
	ids := make([]int64, len(cm.Milestones))
	for i, m := range cm.Milestones {
		n := strconv.Itoa(i + 1)
		ids[i] = m.ID
		form["milestone_id_"+n] = itoa(m.ID)
		form["milestone_title_"+n] = m.Title
		form["milestone_due_"+n] = string(m.Due)
		form["milestone_responsible_"+n] = m.Responsible
		form["milestone_language_"+n] = m.OwnLanguage()
		for lang, fields := range m.Translations {
			for f, text := range fields {
				form["milestone_tr_"+lang+"_"+f+"_"+n] = text
			}
		}
	}
	d, err := s.editData(c, cm, ids, 0)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "commitment_form", d, form, nil)
}

func (s *Server) updateCommitmentForm(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	cm, err := s.findEditable(c)
	if err != nil {
		return err
	}
	text, translations, milestones, ids, form := commitmentForm(c)
	ideaIDs, themeIDs, errs := commitmentSources(c)
	if c.FormValue(addMilestone) != "" && errs == nil {
		d, err := s.editData(c, cm, nil, 0)
		if err != nil {
			return err
		}
		d.withOneMoreRow(c, ideaIDs, themeIDs)
		return s.render(c, fiber.StatusOK, "commitment_form", d, form, nil)
	}
	if milestones == nil {
		milestones = []participation.MilestoneText{}
	}
	if translations.Translations == nil {
		translations.Translations = participation.Translations{} // the form's translations replace the old ones, even with none
	}
	var updated *participation.Commitment
	if err = errs.Err(); err == nil {
		updated, err = s.svc.Commitments.UpdateCommitment(c.UserContext(), cm.ID, participation.CommitmentPatch{
			Title: &text.Title, Problem: &text.Problem, Description: &text.Description, HowItAddresses: &text.HowItAddresses,
			Relevance: &text.Relevance, LeadAgency: &text.LeadAgency, OtherActors: &text.OtherActors,
			StartsOn: text.StartsOn, EndsOn: text.EndsOn, SourceIdeaIDs: &ideaIDs, SourceThemeIDs: &themeIDs,
			Milestones: &milestones, ChangeNote: form["change_note"], TranslationInput: translations,
		})
	}
	if err != nil {
		d, derr := s.editData(c, cm, ids, len(milestones))
		if derr != nil {
			return derr
		}
		return s.formError(c, "commitment_form", d, form, pageFieldErrors(err, nil, tooManyRules))
	}
	s.flash(c, "commitment_saved")
	return redirect(c, "/commitments/"+itoa(updated.ID))
}
