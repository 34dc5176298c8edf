package server

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// organisationPages registers the register of organisations: the list with
// its search, registering one, an organisation's page, adding a member by
// email, leaving, and an official's verification.
func (s *Server) organisationPages(r fiber.Router) {
	r.Get("/organisations", s.organisationsPage)
	r.Get("/organisations/new", s.newOrganisationPage)
	r.Post("/organisations", s.createOrganisationForm)
	r.Get("/organisations/:id", s.organisationPage)
	r.Post("/organisations/:id/members", s.addMemberForm)
	r.Post("/organisations/:id/leave", s.leaveOrganisationForm)
	r.Post("/organisations/:id/verify", s.verifyOrganisationForm)
}

// The organisation form's words for the Business ID's rules.
const (
	ruleBusinessIDFormat = "business_id_format"
	ruleBusinessIDTaken  = "business_id_taken"
)

// organisationsPerPage is the register page's page size.
const organisationsPerPage = 25

// organisationsData is a page of the register.
type organisationsData struct {
	Organisations []*participation.Organisation
	Query         string
	Pager
}

func (s *Server) organisationsPage(c *fiber.Ctx) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	limit = min(limit, organisationsPerPage)
	q := copyString(c.Query("q"))
	list, total, err := s.svc.Organisations.FindOrganisations(c.UserContext(), participation.OrganisationFilter{Query: q, Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "organisations", organisationsData{
		Organisations: list, Query: q, Pager: Pager{Total: total, Limit: limit, Offset: offset},
	}, nil, nil)
}

// organisationFormData is the form that registers an organisation: the
// kinds to choose from.
type organisationFormData struct {
	Kinds []string
}

func newOrganisationFormData() organisationFormData {
	return organisationFormData{Kinds: participation.OrganisationKinds}
}

func (s *Server) newOrganisationPage(c *fiber.Ctx) error {
	if account(c) == nil {
		return redirect(c, "/login?next=/organisations/new")
	}
	return s.render(c, fiber.StatusOK, "organisation_new", newOrganisationFormData(), map[string]string{"kind": participation.OrganisationAssociation}, nil)
}

func (s *Server) createOrganisationForm(c *fiber.Ctx) error {
	if account(c) == nil {
		return redirect(c, "/login?next=/organisations/new")
	}
	form := formValues(c, "name", "business_id", "kind")
	o, err := s.svc.Organisations.CreateOrganisation(c.UserContext(), participation.NewOrganisation{
		Name: form["name"], BusinessID: optional(form["business_id"]), Kind: optional(form["kind"]),
	})
	if err != nil {
		// A taken Business ID is the field's error, not the whole form's,
		// and the form says what a Business ID looks like.
		if participation.ErrorCode(err) == participation.ECONFLICT {
			err = &participation.Error{Code: participation.ECONFLICT, Message: participation.ErrorMessage(err),
				Fields: participation.FieldErrors{"business_id": {Rule: ruleBusinessIDTaken}}}
		}
		return s.formError(c, "organisation_new", newOrganisationFormData(), form,
			pageFieldErrors(err, nil, map[string]string{participation.RuleFormat: ruleBusinessIDFormat}))
	}
	s.flash(c, "organisation_created")
	return redirect(c, "/organisations/"+itoa(o.ID))
}

// organisationData is an organisation's page: the organisation and, for its
// members, the others.
type organisationData struct {
	Organisation *participation.Organisation
	// Member says that the signed-in account is a member.
	Member  bool
	Members []*participation.OrganisationMember
}

// organisationData loads an organisation's page for the caller.
func (s *Server) organisationData(c *fiber.Ctx) (*organisationData, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	ctx := c.UserContext()
	o, err := s.svc.Organisations.FindOrganisation(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &organisationData{Organisation: o}
	if account(c) == nil {
		return d, nil
	}
	mine, err := s.svc.Organisations.FindMyOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	d.Member = slices.ContainsFunc(mine, func(m *participation.Organisation) bool { return m.ID == o.ID })
	if d.Member {
		if d.Members, err = s.svc.Organisations.FindMembers(ctx, o.ID); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (s *Server) organisationPage(c *fiber.Ctx) error {
	d, err := s.organisationData(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "organisation", d, nil, nil)
}

func (s *Server) addMemberForm(c *fiber.Ctx) error {
	d, err := s.organisationData(c)
	if err != nil {
		return err
	}
	if account(c) == nil {
		return redirect(c, "/login?next=/organisations/"+itoa(d.Organisation.ID))
	}
	form := formValues(c, "email")
	added, err := s.svc.Organisations.AddMember(c.UserContext(), d.Organisation.ID, participation.NewMember{Email: form["email"]})
	if err != nil {
		return s.formError(c, "organisation", d, form, err)
	}
	if added.Status == participation.MemberInvited {
		s.flash(c, "member_invited")
	} else {
		s.flash(c, "member_added")
	}
	return redirect(c, "/organisations/"+itoa(d.Organisation.ID))
}

func (s *Server) leaveOrganisationForm(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if account(c) == nil {
		return redirect(c, "/login?next=/organisations/"+itoa(id))
	}
	if err := s.svc.Organisations.LeaveOrganisation(c.UserContext(), id); err != nil {
		return err
	}
	s.flash(c, "organisation_left")
	return redirect(c, "/organisations/"+itoa(id))
}

func (s *Server) verifyOrganisationForm(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.svc.Organisations.VerifyOrganisation(c.UserContext(), id); err != nil {
		return err
	}
	s.flash(c, "organisation_verified")
	return redirect(c, "/organisations/"+itoa(id))
}
