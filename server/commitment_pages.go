package server

import (
	"maps"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// commitmentPages registers the pages of commitments: drafting from the
// participation, the commitment with its milestones, its versions, the
// public list.
func (s *Server) commitmentPages(r fiber.Router) {
	r.Get("/processes/:slug/drafting", s.draftingPage)
	r.Get("/processes/:slug/commitments/new", s.newCommitmentPage)
	r.Post("/processes/:slug/commitments", s.createCommitmentForm)
	r.Get("/processes/:slug/commitments", s.commitmentListPage)
	r.Get("/commitments/:id", s.commitmentPage)
	r.Post("/commitments/:id", s.updateCommitmentForm)
	r.Get("/commitments/:id/edit", s.editCommitmentPage)
	r.Get("/commitments/:id/versions", s.commitmentVersionsPage)
	r.Post("/commitments/:id/merge", s.mergeCommitmentForm)
	r.Post("/commitments/:id/approve", s.approveCommitmentForm)
}

// Sizes of the commitment pages.
const (
	blankMilestoneRows = 3   // empty milestone rows the form offers, no JavaScript needed
	allCommitments     = 500 // a process's commitments on one page; action plans have a handful
)

// themeGroup is a theme's commitments; Theme is nil for those with none.
type themeGroup struct {
	Theme       *participation.SourceRef
	Commitments []*participation.Commitment
}

// groupByTheme groups commitments by the themes of their sources, in the
// order the themes first appear, with "other" last. With every set, a
// commitment is listed under each of its themes; otherwise under its first.
func groupByTheme(list []*participation.Commitment, every bool) []themeGroup {
	var groups []themeGroup
	index := map[int64]int{}
	var other []*participation.Commitment
	for _, c := range list {
		themes := c.Themes
		if !every && len(themes) > 1 {
			themes = themes[:1]
		}
		if len(themes) == 0 {
			other = append(other, c)
		}
		for _, t := range themes {
			i, ok := index[t.ID]
			if !ok {
				i = len(groups)
				index[t.ID] = i
				t := t
				groups = append(groups, themeGroup{Theme: &t})
			}
			groups[i].Commitments = append(groups[i].Commitments, c)
		}
	}
	if len(other) > 0 {
		groups = append(groups, themeGroup{Commitments: other})
	}
	return groups
}

// Drafting

type draftingData struct {
	Process *participation.Process
	Sources *participation.DraftingSources
}

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
	return s.render(c, fiber.StatusOK, "drafting", draftingData{Process: p, Sources: src}, nil, nil)
}

// The commitment form, for a new draft and for an edit.

// milestoneRow is one row of the form's milestones; ID is set for an
// existing milestone.
type milestoneRow struct {
	N  int
	ID int64
}

type commitmentFormData struct {
	Process    *participation.Process
	Commitment *participation.Commitment // nil for a new draft
	Ideas      []participation.SourceRef // the sources offered, checked
	Themes     []participation.SourceRef
	Rows       []milestoneRow
	Checked    map[string]bool // "idea-ID", "theme-ID" of the checked sources
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
	d := commitmentFormData{Process: p, Checked: map[string]bool{}}
	d.Ideas, d.Themes = sourceRefs(src, ideaIDs, themeIDs)
	for _, r := range d.Ideas {
		d.Checked["idea-"+itoa(r.ID)] = true
	}
	for _, r := range d.Themes {
		d.Checked["theme-"+itoa(r.ID)] = true
	}
	return d, nil
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

// commitmentForm reads the commitment form: its text, its milestone rows
// (blank rows are skipped) and the form's values to show again.
func commitmentForm(c *fiber.Ctx) (participation.CommitmentText, []participation.MilestoneText, []int64, map[string]string) {
	form := formValues(c, commitmentFormFields...)
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
			Due: participation.Date(row["milestone_due_"+key]), Responsible: row["milestone_responsible_"+key]}
		if m.ID == 0 && m.Title == "" && m.Due == "" && m.Responsible == "" {
			continue
		}
		milestones = append(milestones, m)
		ids = append(ids, m.ID)
	}
	return text, milestones, ids, form
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
	text, milestones, _, form := commitmentForm(c)
	ideaIDs, themeIDs, errs := commitmentSources(c)
	var cm *participation.Commitment
	if err = errs.Err(); err == nil {
		cm, err = s.svc.Commitments.CreateCommitment(ctx, p.Slug, participation.NewCommitment{
			CommitmentText: text, SourceIdeaIDs: ideaIDs, SourceThemeIDs: themeIDs, Milestones: milestones,
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
	d := commitmentFormData{Process: p, Commitment: cm, Ideas: cm.Sources.Ideas, Themes: cm.Sources.Themes, Checked: map[string]bool{}}
	for _, r := range d.Ideas {
		d.Checked["idea-"+itoa(r.ID)] = true
	}
	for _, r := range d.Themes {
		d.Checked["theme-"+itoa(r.ID)] = true
	}
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
	ids := make([]int64, len(cm.Milestones))
	for i, m := range cm.Milestones {
		n := strconv.Itoa(i + 1)
		ids[i] = m.ID
		form["milestone_id_"+n] = itoa(m.ID)
		form["milestone_title_"+n] = m.Title
		form["milestone_due_"+n] = string(m.Due)
		form["milestone_responsible_"+n] = m.Responsible
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
	text, milestones, ids, form := commitmentForm(c)
	ideaIDs, themeIDs, errs := commitmentSources(c)
	if milestones == nil {
		milestones = []participation.MilestoneText{}
	}
	var updated *participation.Commitment
	if err = errs.Err(); err == nil {
		updated, err = s.svc.Commitments.UpdateCommitment(c.UserContext(), cm.ID, participation.CommitmentPatch{
			Title: &text.Title, Problem: &text.Problem, Description: &text.Description, HowItAddresses: &text.HowItAddresses,
			Relevance: &text.Relevance, LeadAgency: &text.LeadAgency, OtherActors: &text.OtherActors,
			StartsOn: text.StartsOn, EndsOn: text.EndsOn, SourceIdeaIDs: &ideaIDs, SourceThemeIDs: &themeIDs,
			Milestones: &milestones, ChangeNote: form["change_note"],
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

// The commitment page

type commitmentPageData struct {
	C               *participation.Commitment
	Following       bool
	Changes         map[int64][]*participation.MilestoneChange // by milestone
	MergedIntoTitle string
	MergedFrom      []participation.SourceRef
	Targets         []selectOption // what an official can merge it into
	StatusOptions   []selectOption
	JSONLink        string
	Next            string // this page, to come back to after following
}

func (s *Server) commitmentData(c *fiber.Ctx, id int64) (commitmentPageData, error) {
	ctx := c.UserContext()
	cm, err := s.svc.Commitments.FindCommitment(ctx, id)
	if err != nil {
		return commitmentPageData{}, err
	}
	d := commitmentPageData{C: cm, JSONLink: "/api/v1/commitments/" + itoa(cm.ID), Next: "/commitments/" + itoa(cm.ID)}
	d.StatusOptions = s.milestoneStatusOptions(c)
	if d.Following, err = s.svc.Commitments.IsFollowing(ctx, participation.FollowCommitment, cm.ID); err != nil {
		return d, err
	}
	all, _, err := s.svc.Commitments.FindCommitments(ctx, participation.CommitmentFilter{ProcessSlug: cm.ProcessSlug, Limit: allCommitments})
	if err != nil {
		return d, err
	}
	for _, o := range all {
		switch {
		case cm.MergedInto != nil && o.ID == *cm.MergedInto:
			d.MergedIntoTitle = o.Title
		case o.MergedInto != nil && *o.MergedInto == cm.ID:
			d.MergedFrom = append(d.MergedFrom, participation.SourceRef{ID: o.ID, Title: o.Title})
		}
		if o.ID != cm.ID && o.Status != participation.CommitmentMerged {
			if d.Targets == nil {
				d.Targets = []selectOption{{Value: "", Label: s.T(c, "commitment.choose_target")}}
			}
			d.Targets = append(d.Targets, selectOption{Value: itoa(o.ID), Label: o.Title})
		}
	}
	changes, err := s.svc.Commitments.FindCommitmentChanges(ctx, cm.ID)
	if err != nil {
		return d, err
	}
	d.Changes = map[int64][]*participation.MilestoneChange{}
	for _, ch := range changes {
		d.Changes[ch.MilestoneID] = append(d.Changes[ch.MilestoneID], ch)
	}
	return d, nil
}

func (s *Server) commitmentPage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	d, err := s.commitmentData(c, id)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "commitment", d, nil, nil)
}

func (s *Server) mergeCommitmentForm(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	form := formValues(c, "into_id", "merge_note")
	m := participation.Merge{Note: form["merge_note"]}
	if into, err := strconv.ParseInt(form["into_id"], 10, 64); err == nil {
		m.IntoID = &into
	}
	if _, err := s.svc.Commitments.MergeCommitment(c.UserContext(), id, m); err != nil {
		d, derr := s.commitmentData(c, id)
		if derr != nil {
			return derr
		}
		return s.formError(c, "commitment", d, form, pageFieldErrors(err, map[string]string{"note": "merge_note"}, tooManyRules))
	}
	s.flash(c, "commitment_merged")
	return redirect(c, "/commitments/"+itoa(id))
}

func (s *Server) approveCommitmentForm(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.svc.Commitments.ApproveCommitment(c.UserContext(), id); err != nil {
		d, derr := s.commitmentData(c, id)
		if derr != nil {
			return derr
		}
		return s.formError(c, "commitment", d, nil, err)
	}
	s.flash(c, "commitment_approved")
	return redirect(c, "/commitments/"+itoa(id))
}

// Versions and their comparison

type versionsData struct {
	C        *participation.Commitment
	Versions []*participation.CommitmentVersion
	From, To int
	Options  []selectOption
	Diffs    []participation.FieldDiff
}

func (s *Server) commitmentVersionsPage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	cm, err := s.svc.Commitments.FindCommitment(ctx, id)
	if err != nil {
		return err
	}
	versions, _, err := s.svc.Commitments.FindCommitmentVersions(ctx, id, maxLimit, 0)
	if err != nil {
		return err
	}
	d := versionsData{C: cm, Versions: versions, From: max(len(versions)-1, 1), To: len(versions)}
	if v, err := strconv.Atoi(c.Query("from")); err == nil && v >= 1 && v <= len(versions) {
		d.From = v
	}
	if v, err := strconv.Atoi(c.Query("to")); err == nil && v >= 1 && v <= len(versions) {
		d.To = v
	}
	for _, v := range versions {
		d.Options = append(d.Options, selectOption{Value: strconv.Itoa(v.Version), Label: s.T(c, "history.version", "Version", v.Version)})
	}
	if len(versions) > 0 {
		d.Diffs = participation.CompareSnapshots(&versions[d.From-1].Snapshot, &versions[d.To-1].Snapshot)
	}
	form := map[string]string{"from": strconv.Itoa(d.From), "to": strconv.Itoa(d.To)}
	return s.render(c, fiber.StatusOK, "commitment_versions", d, form, nil)
}

// The list of a process's commitments

type commitmentListData struct {
	Process  *participation.Process
	Groups   []themeGroup // the approved ones, by theme
	Drafts   []*participation.Commitment
	Merged   []*participation.Commitment
	Approved int
	// IntoTitles are the titles of the commitments the merged ones went into.
	IntoTitles map[int64]string
}

// processCommitments returns a process and all its commitments.
func (s *Server) processCommitments(c *fiber.Ctx) (*participation.Process, []*participation.Commitment, error) {
	ctx := c.UserContext()
	p, err := s.svc.Processes.FindProcessBySlug(ctx, c.Params("slug"))
	if err != nil {
		return nil, nil, err
	}
	list, _, err := s.svc.Commitments.FindCommitments(ctx, participation.CommitmentFilter{ProcessSlug: p.Slug, Limit: allCommitments})
	if err != nil {
		return nil, nil, err
	}
	return p, list, nil
}

func (s *Server) commitmentListPage(c *fiber.Ctx) error {
	p, list, err := s.processCommitments(c)
	if err != nil {
		return err
	}
	d := commitmentListData{Process: p, IntoTitles: map[int64]string{}}
	titles := map[int64]string{}
	for _, cm := range list {
		titles[cm.ID] = cm.Title
	}
	var approved []*participation.Commitment
	for _, cm := range list {
		if cm.MergedInto != nil {
			d.IntoTitles[cm.ID] = titles[*cm.MergedInto]
		}
		switch cm.Status {
		case participation.CommitmentApproved:
			approved = append(approved, cm)
		case participation.CommitmentDraft:
			d.Drafts = append(d.Drafts, cm)
		case participation.CommitmentMerged:
			d.Merged = append(d.Merged, cm)
		}
	}
	d.Approved = len(approved)
	d.Groups = groupByTheme(approved, true)
	return s.render(c, fiber.StatusOK, "commitments", d, nil, nil)
}
