package server

import (
	"errors"
	"maps"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// blockPages registers the officials' page that blocks an account from
// writing and lifts its block.
func (s *Server) blockPages(r fiber.Router) {
	r.Get("/accounts/:id/block", s.blockPage)
	r.Post("/accounts/:id/block", s.block)
	r.Post("/accounts/:id/unblock", s.unblock)
}

// blockPageData is the block page: the account and its block in force (nil
// when it has none).
type blockPageData struct {
	Account *participation.Account
	Block   *participation.AccountBlock
}

func (s *Server) findBlockPageData(c *fiber.Ctx) (blockPageData, error) {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return blockPageData{}, err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return blockPageData{}, err
	}
	var d blockPageData
	if d.Account, err = s.svc.Accounts.FindAccountByID(c.UserContext(), id); err != nil {
		return d, err
	}
	d.Block, err = s.svc.Ideas.FindAccountBlock(c.UserContext(), id)
	if participation.ErrorCode(err) == participation.ENOTFOUND {
		err = nil
	}
	return d, err
}

// blockNext is where the block forms return to: the page they were reached
// from (the queue, the accounts page), else the block page itself.
func blockNext(next string, d blockPageData) string {
	if next == "" {
		return "/accounts/" + itoa(d.Account.ID) + "/block"
	}
	return safeNext(next)
}

func (s *Server) blockPage(c *fiber.Ctx) error {
	d, err := s.findBlockPageData(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "block", d, map[string]string{"next": queryNext(c)}, nil)
}

func (s *Server) block(c *fiber.Ctx) error {
	d, err := s.findBlockPageData(c)
	if err != nil {
		return err
	}
	form := formValues(c, "until", "reason", "next")
	formatErrs := participation.FieldErrors{}
	n := participation.NewBlock{Until: parseLocalTime(formatErrs, "until", form["until"]), Reason: form["reason"]}
	if _, err := s.svc.Ideas.BlockAccount(c.UserContext(), d.Account.ID, n); err != nil {
		// A time that is not understood is missing to the domain; say what
		// is wrong with it instead.
		var de *participation.Error
		if errors.As(err, &de) && de.Code == participation.EINVALID {
			maps.Copy(de.Fields, formatErrs)
		}
		return s.formError(c, "block", d, form, err)
	}
	s.flash(c, "account_blocked")
	return redirect(c, blockNext(form["next"], d))
}

func (s *Server) unblock(c *fiber.Ctx) error {
	d, err := s.findBlockPageData(c)
	if err != nil {
		return err
	}
	form := formValues(c, "unblock_reason", "next")
	if err := s.svc.Ideas.UnblockAccount(c.UserContext(), d.Account.ID, participation.Decision{Reason: form["unblock_reason"]}); err != nil {
		return s.formError(c, "block", d, form, pageFieldErrors(err, map[string]string{"reason": "unblock_reason"}, nil))
	}
	s.flash(c, "account_unblocked")
	return redirect(c, blockNext(form["next"], d))
}
