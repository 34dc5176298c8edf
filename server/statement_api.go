package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// statementAPI registers the routes of statements and their summary:
// API.md's, and a single statement.
func (s *Server) statementAPI(api fiber.Router) {
	api.Put("/statement-requests/:id/statements/mine", s.apiSaveStatement)
	api.Get("/statement-requests/:id/statements/mine", s.apiMyStatement)
	api.Get("/statement-requests/:id/statements", s.apiStatements)
	api.Put("/statement-requests/:id/questions/:question_id/response", s.apiSetQuestionResponse)
	api.Get("/statement-requests/:id/summary", s.apiStatementSummary)
	api.Get("/statements/:id", s.apiStatement)
}

func (s *Server) apiSaveStatement(c *fiber.Ctx) error {
	if _, err := participation.RequireAccount(c.UserContext()); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in participation.StatementInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	st, err := s.svc.Statements.SaveStatement(c.UserContext(), id, in)
	if err != nil {
		return err
	}
	return c.JSON(st)
}

func (s *Server) apiMyStatement(c *fiber.Ctx) error {
	if _, err := participation.RequireAccount(c.UserContext()); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var org *int64
	if q := c.Query("organisation_id"); q != "" {
		n, err := strconv.ParseInt(q, 10, 64)
		if err != nil || n < 1 {
			f := participation.FieldErrors{}
			f.Add("organisation_id", participation.RuleFormat, 0)
			return &participation.Error{Code: participation.EMALFORMED, Message: "organisation_id must be an organisation's id.", Fields: f}
		}
		org = &n
	}
	st, err := s.svc.Statements.FindMyStatement(c.UserContext(), id, org)
	if err != nil {
		return err
	}
	return c.JSON(st)
}

func (s *Server) apiStatements(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	list, total, err := s.svc.Statements.FindStatements(c.UserContext(), id, limit, offset)
	if err != nil {
		return err
	}
	return sendList(c, list, total)
}

func (s *Server) apiStatement(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	st, err := s.svc.Statements.FindStatement(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(st)
}

func (s *Server) apiSetQuestionResponse(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	qid, err := idParam(c, "question_id")
	if err != nil {
		return err
	}
	var in participation.QuestionResponse
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	q, err := s.svc.Statements.SetQuestionResponse(c.UserContext(), id, qid, in)
	if err != nil {
		return err
	}
	return c.JSON(q)
}

func (s *Server) apiStatementSummary(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	sum, err := s.svc.Statements.FindStatementSummary(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(sum)
}
