package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// organisationAPI registers the routes of the register of organisations:
// API.md's, and the ones to read an organisation, list one's members,
// leave it, verify it and list the caller's own.
func (s *Server) organisationAPI(api fiber.Router) {
	api.Post("/organisations", s.apiCreateOrganisation)
	api.Get("/organisations", s.apiOrganisations)
	api.Get("/organisations/:id", s.apiOrganisation)
	api.Post("/organisations/:id/members", s.apiAddMember)
	api.Get("/organisations/:id/members", s.apiMembers)
	api.Delete("/organisations/:id/membership", s.apiLeaveOrganisation)
	api.Post("/organisations/:id/verify", s.apiVerifyOrganisation)
	api.Get("/me/organisations", s.apiMyOrganisations)
}

func (s *Server) apiCreateOrganisation(c *fiber.Ctx) error {
	if _, err := participation.RequireAccount(c.UserContext()); err != nil {
		return err
	}
	var n participation.NewOrganisation
	if err := decodeJSON(c, &n); err != nil {
		return err
	}
	o, err := s.svc.Organisations.CreateOrganisation(c.UserContext(), n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(o)
}

func (s *Server) apiOrganisations(c *fiber.Ctx) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	list, total, err := s.svc.Organisations.FindOrganisations(c.UserContext(), participation.OrganisationFilter{
		Query: copyString(c.Query("q")), Limit: limit, Offset: offset,
	})
	if err != nil {
		return err
	}
	return sendList(c, list, total)
}

func (s *Server) apiOrganisation(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	o, err := s.svc.Organisations.FindOrganisation(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(o)
}

// apiAddMember answers 201 with what it did: the account with the address
// became a member ("member"), or the address was invited to register ("invited").
func (s *Server) apiAddMember(c *fiber.Ctx) error {
	if _, err := participation.RequireAccount(c.UserContext()); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var n participation.NewMember
	if err := decodeJSON(c, &n); err != nil {
		return err
	}
	added, err := s.svc.Organisations.AddMember(c.UserContext(), id, n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(added)
}

func (s *Server) apiMembers(c *fiber.Ctx) error {
	if _, err := participation.RequireAccount(c.UserContext()); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	members, err := s.svc.Organisations.FindMembers(c.UserContext(), id)
	if err != nil {
		return err
	}
	return sendPage(c, members)
}

func (s *Server) apiLeaveOrganisation(c *fiber.Ctx) error {
	if _, err := participation.RequireAccount(c.UserContext()); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.svc.Organisations.LeaveOrganisation(c.UserContext(), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) apiVerifyOrganisation(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	o, err := s.svc.Organisations.VerifyOrganisation(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(o)
}

func (s *Server) apiMyOrganisations(c *fiber.Ctx) error {
	list, err := s.svc.Organisations.FindMyOrganisations(c.UserContext())
	if err != nil {
		return err
	}
	return sendPage(c, list)
}

// sendPage sends the page of a short list, loaded whole, that ?limit= and
// ?offset= ask for, as every list is sent.
func sendPage[T any](c *fiber.Ctx, items []T) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	total := len(items)
	start := min(offset, total)
	items = items[start : start+min(limit, total-start)]
	return sendList(c, items, total)
}
