package server

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// milestonePages registers a milestone's own page: its history and the
// status form, shown again with the errors of a status report sent from
// the commitment page.
func (s *Server) milestonePages(r fiber.Router) {
	r.Get("/milestones/:id", s.milestonePage)
	r.Post("/milestones/:id", s.updateMilestoneForm)
}

// milestoneStatusOptions are the statuses of the milestone status forms,
// named in the page's language.
func (s *Server) milestoneStatusOptions(c *fiber.Ctx) []selectOption {
	var opts []selectOption
	for _, st := range participation.MilestoneStatuses {
		opts = append(opts, selectOption{Value: st, Label: s.T(c, "milestone.status."+st)})
	}
	return opts
}

// milestonePageData is a milestone with its commitment and its history.
type milestonePageData struct {
	C        *participation.Commitment
	M        participation.Milestone
	Changes  []*participation.MilestoneChange
	Statuses []selectOption
}

func (s *Server) milestoneData(c *fiber.Ctx, id int64) (milestonePageData, error) {
	ctx := c.UserContext()
	m, err := s.svc.Commitments.FindMilestone(ctx, id)
	if err != nil {
		return milestonePageData{}, err
	}
	cm, err := s.svc.Commitments.FindCommitment(ctx, m.CommitmentID)
	if err != nil {
		return milestonePageData{}, err
	}
	changes, err := s.svc.Commitments.FindMilestoneChanges(ctx, id)
	if err != nil {
		return milestonePageData{}, err
	}
	return milestonePageData{C: cm, M: *m, Changes: changes, Statuses: s.milestoneStatusOptions(c)}, nil
}

func (s *Server) milestonePage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	d, err := s.milestoneData(c, id)
	if err != nil {
		return err
	}
	form := map[string]string{"milestone_status": d.M.Status, "evidence_links": strings.Join(d.M.EvidenceLinks, "\n")}
	if d.M.Note != nil {
		form["milestone_note"] = *d.M.Note
	}
	formTranslations(form, d.M.NoteTexts(), "milestone_note")
	return s.render(c, fiber.StatusOK, "milestone", d, form, nil)
}

func (s *Server) updateMilestoneForm(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	form := formValues(c, "milestone_status", "milestone_note", "evidence_links")
	note := form["milestone_note"]
	u := participation.MilestoneUpdate{Status: form["milestone_status"], Note: &note,
		EvidenceLinks: strings.Split(form["evidence_links"], "\n"), TranslationInput: readTranslations(c, form, "milestone_note")}
	for i, l := range u.EvidenceLinks {
		u.EvidenceLinks[i] = strings.TrimSpace(l)
	}
	m, err := s.svc.Commitments.UpdateMilestone(c.UserContext(), id, u)
	if err != nil {
		d, derr := s.milestoneData(c, id)
		if derr != nil {
			return derr
		}
		return s.formError(c, "milestone", d, form, pageFieldErrors(err, map[string]string{"status": "milestone_status", "note": "milestone_note"}, tooManyRules))
	}
	s.flash(c, "milestone_saved")
	return redirect(c, fmt.Sprintf("/commitments/%d#milestone-%d", m.CommitmentID, m.ID))
}
