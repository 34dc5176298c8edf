package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// commitmentPages registers the pages of commitments: the commitment with
// its milestones, merging and approving it, its versions, the public list.
// The drafting and the commitment form are in commitment_form.go.
func (s *Server) commitmentPages(r fiber.Router) {
	r.Get("/processes/:slug/commitments", s.commitmentListPage)
	r.Get("/commitments/:id", s.commitmentPage)
	r.Get("/commitments/:id/versions", s.commitmentVersionsPage)
	r.Post("/commitments/:id/merge", s.mergeCommitmentForm)
	r.Post("/commitments/:id/approve", s.approveCommitmentForm)
}

// allCommitments are a process's commitments on one page; action plans
// have a handful.
const allCommitments = 500

// themeGroup is a theme's commitments; Theme is nil for those with none.
type themeGroup struct {
	Theme       *participation.SourceRef
	Commitments []*participation.Commitment
}

// groupByTheme groups commitments by their first theme, in the order the
// themes first appear, with "other" last: each commitment once.
func groupByTheme(list []*participation.Commitment) []themeGroup {
	var groups []themeGroup
	index := map[int64]int{}
	var other []*participation.Commitment
	for _, c := range list {
		if len(c.Themes) == 0 {
			other = append(other, c)
			continue
		}
		t := c.Themes[0]
		i, ok := index[t.ID]
		if !ok {
			i = len(groups)
			index[t.ID] = i
			groups = append(groups, themeGroup{Theme: &t})
		}
		groups[i].Commitments = append(groups[i].Commitments, c)
	}
	if len(other) > 0 {
		groups = append(groups, themeGroup{Commitments: other})
	}
	return groups
}

// The commitment page

type commitmentPageData struct {
	C               *participation.Commitment
	Following       bool
	Changes         map[int64][]*participation.MilestoneChange // by milestone
	MergedIntoTitle string
	MergedIntoTexts participation.Translatable // the title's language and translations
	MergedFrom      []participation.SourceRef
	// FromWorkshops are the workshop proposals it was taken from (proposal.go).
	FromWorkshops []participation.ProposalSource
	Targets       []selectOption // what an official can merge it into
	StatusOptions []selectOption
	JSONLink      string
	Next          string // this page, to come back to after following
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
			d.MergedIntoTitle, d.MergedIntoTexts = o.Title, o.Translatable
		case o.MergedInto != nil && *o.MergedInto == cm.ID:
			d.MergedFrom = append(d.MergedFrom, participation.SourceRef{ID: o.ID, Title: o.Title, Translatable: o.Translatable})
		}
		if o.ID != cm.ID && o.Status != participation.CommitmentMerged {
			if d.Targets == nil {
				d.Targets = []selectOption{{Value: "", Label: s.T(c, "commitment.choose_target")}}
			}
			title := o.In(requestLang(c), participation.FieldTitle, o.Title)
			d.Targets = append(d.Targets, selectOption{Value: itoa(o.ID), Label: title.Text, Lang: title.Lang})
		}
	}
	if d.FromWorkshops, err = s.svc.Workshops.FindProposalSources(ctx, cm.ID); err != nil {
		return d, err
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
		d.Diffs = participation.CompareSnapshotsDated(&versions[d.From-1].Snapshot, &versions[d.To-1].Snapshot, dayIn(requestLang(c)))
	}
	form := map[string]string{"from": strconv.Itoa(d.From), "to": strconv.Itoa(d.To)}
	return s.render(c, fiber.StatusOK, "commitment_versions", d, form, nil)
}

// The list of a process's commitments

type commitmentListData struct {
	Process *participation.Process
	// Approved, Drafts and Merged are the commitments of the chosen theme
	// (all without one), each once with its themes as tags; Total counts
	// the approved ones of every theme.
	Approved []*participation.Commitment
	Drafts   []*participation.Commitment
	Merged   []*participation.Commitment
	Total    int
	// Themes are the themes of the process's commitments, for the filter;
	// Theme is the one chosen, nil for all.
	Themes []participation.SourceRef
	Theme  *participation.SourceRef
	// IntoTitles are the titles of the commitments the merged ones went
	// into, and IntoTexts their languages and translations.
	IntoTitles map[int64]string
	IntoTexts  map[int64]participation.Translatable
}

// ThemeOptions are the theme filter's choices: every theme, then each.
func (d commitmentListData) ThemeOptions(all string, lang string) []selectOption {
	opts := []selectOption{{Value: "", Label: all}}
	for _, t := range d.Themes {
		title := t.In(lang, participation.FieldTitle, t.Title)
		opts = append(opts, selectOption{Value: itoa(t.ID), Label: title.Text, Lang: title.Lang})
	}
	return opts
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

// hasTheme reports whether the commitment has the theme among its themes.
func hasTheme(c *participation.Commitment, id int64) bool {
	for _, t := range c.Themes {
		if t.ID == id {
			return true
		}
	}
	return false
}

// commitmentListPage lists a process's commitments, each once, with its
// themes as tags; ?theme= keeps those of one theme. A theme that is not a
// number is 400, and one that no commitment has is 404.
func (s *Server) commitmentListPage(c *fiber.Ctx) error {
	p, list, err := s.processCommitments(c)
	if err != nil {
		return err
	}
	d := commitmentListData{Process: p, IntoTitles: map[int64]string{}, IntoTexts: map[int64]participation.Translatable{}}
	byID := map[int64]*participation.Commitment{}
	seen := map[int64]bool{}
	for _, cm := range list {
		byID[cm.ID] = cm
		for _, t := range cm.Themes {
			if !seen[t.ID] {
				seen[t.ID] = true
				d.Themes = append(d.Themes, t)
			}
		}
	}
	form := map[string]string{"theme": ""}
	if v := c.Query("theme"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return participation.Errorf(participation.EMALFORMED, "The theme must be given by its number.")
		}
		for i := range d.Themes {
			if d.Themes[i].ID == id {
				d.Theme = &d.Themes[i]
			}
		}
		if d.Theme == nil {
			return participation.Errorf(participation.ENOTFOUND, "No commitment of this process has that theme.")
		}
		form["theme"] = itoa(id)
	}
	for _, cm := range list {
		if cm.Status == participation.CommitmentApproved {
			d.Total++
		}
		if d.Theme != nil && !hasTheme(cm, d.Theme.ID) {
			continue
		}
		if cm.MergedInto != nil {
			if into, ok := byID[*cm.MergedInto]; ok {
				d.IntoTitles[cm.ID], d.IntoTexts[cm.ID] = into.Title, into.Translatable
			}
		}
		switch cm.Status {
		case participation.CommitmentApproved:
			d.Approved = append(d.Approved, cm)
		case participation.CommitmentDraft:
			d.Drafts = append(d.Drafts, cm)
		case participation.CommitmentMerged:
			d.Merged = append(d.Merged, cm)
		}
	}
	return s.render(c, fiber.StatusOK, "commitments", d, form, nil)
}
