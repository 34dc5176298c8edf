package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// adminPages registers the admin's account management pages.
func (s *Server) adminPages(r fiber.Router) {
	r.Get("/admin/accounts", s.adminAccountsPage)
	r.Post("/admin/accounts/:id/roles", s.adminSetRoles)
}

type adminAccountsData struct {
	Accounts []*participation.Account
	Roles    []string
	Query    string
	Pager
}

func (s *Server) adminAccountsPage(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleAdmin); err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	q := copyString(c.Query("q"))
	list, total, err := s.svc.Accounts.FindAccounts(c.UserContext(), participation.AccountFilter{Query: q, Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "admin_accounts", adminAccountsData{
		Accounts: list, Roles: participation.Roles[1:], Query: q,
		Pager: Pager{Total: total, Limit: limit, Offset: offset},
	}, nil, nil)
}

func (s *Server) adminSetRoles(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleAdmin); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.svc.Accounts.SetRoles(c.UserContext(), id, formList(c, "roles")); err != nil {
		return err
	}
	s.flash(c, "roles_saved")
	return redirect(c, "/admin/accounts")
}
