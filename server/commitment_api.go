package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// commitmentAPI registers the commitment routes of API.md: drafting
// sources, creating, editing, merging and approving, versions, the list.
func (s *Server) commitmentAPI(api fiber.Router) {
	api.Post("/processes/:slug/commitments", s.apiCreateCommitment)
	api.Get("/processes/:slug/commitments", s.apiCommitments)
	api.Get("/processes/:slug/drafting-sources", s.apiDraftingSources)
	api.Get("/commitments/:id", s.apiCommitment)
	api.Patch("/commitments/:id", s.apiUpdateCommitment)
	api.Get("/commitments/:id/versions", s.apiCommitmentVersions)
	api.Post("/commitments/:id/merge", s.apiMergeCommitment)
	api.Post("/commitments/:id/approve", s.apiApproveCommitment)
}

func (s *Server) apiCreateCommitment(c *fiber.Ctx) error {
	var n participation.NewCommitment
	if err := decodeAsOfficial(c, &n); err != nil {
		return err
	}
	cm, err := s.svc.Commitments.CreateCommitment(c.UserContext(), copyString(c.Params("slug")), n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(cm)
}

func (s *Server) apiCommitments(c *fiber.Ctx) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	list, total, err := s.svc.Commitments.FindCommitments(c.UserContext(), participation.CommitmentFilter{
		ProcessSlug: copyString(c.Params("slug")), Status: copyString(c.Query("status")), Limit: limit, Offset: offset,
	})
	if err != nil {
		return err
	}
	return sendList(c, list, total)
}

func (s *Server) apiDraftingSources(c *fiber.Ctx) error {
	src, err := s.svc.Commitments.FindDraftingSources(c.UserContext(), copyString(c.Params("slug")))
	if err != nil {
		return err
	}
	return c.JSON(src)
}

func (s *Server) apiCommitment(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	cm, err := s.svc.Commitments.FindCommitment(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(cm)
}

func (s *Server) apiUpdateCommitment(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var p participation.CommitmentPatch
	if err := decodeAsOfficial(c, &p); err != nil {
		return err
	}
	cm, err := s.svc.Commitments.UpdateCommitment(c.UserContext(), id, p)
	if err != nil {
		return err
	}
	return c.JSON(cm)
}

func (s *Server) apiCommitmentVersions(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	vs, total, err := s.svc.Commitments.FindCommitmentVersions(c.UserContext(), id, limit, offset)
	if err != nil {
		return err
	}
	return sendList(c, vs, total)
}

func (s *Server) apiMergeCommitment(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var m participation.Merge
	if err := decodeAsOfficial(c, &m); err != nil {
		return err
	}
	cm, err := s.svc.Commitments.MergeCommitment(c.UserContext(), id, m)
	if err != nil {
		return err
	}
	return c.JSON(cm)
}

func (s *Server) apiApproveCommitment(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	cm, err := s.svc.Commitments.ApproveCommitment(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(cm)
}
