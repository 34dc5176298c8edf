package server

import (
	"io"
	"mime"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// statementRequestAPI registers the routes of statement requests and their
// attachments: API.md's, and a process's list, an attachment's download
// and its removal.
func (s *Server) statementRequestAPI(api fiber.Router) {
	api.Post("/processes/:slug/statement-requests", s.apiCreateStatementRequest)
	api.Get("/processes/:slug/statement-requests", s.apiStatementRequests)
	api.Get("/statement-requests/:id", s.apiStatementRequest)
	api.Patch("/statement-requests/:id", s.apiUpdateStatementRequest)
	api.Post("/statement-requests/:id/publish", s.apiPublishStatementRequest)
	api.Post("/statement-requests/:id/attachments", s.apiAddAttachment)
	api.Get("/attachments/:id", s.apiAttachment)
	api.Delete("/attachments/:id", s.apiDeleteAttachment)
}

func (s *Server) apiCreateStatementRequest(c *fiber.Ctx) error {
	var n participation.NewStatementRequest
	if err := decodeAsOfficial(c, &n); err != nil {
		return err
	}
	r, err := s.svc.StatementRequests.CreateStatementRequest(c.UserContext(), copyString(c.Params("slug")), n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

func (s *Server) apiStatementRequests(c *fiber.Ctx) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	list, total, err := s.svc.StatementRequests.FindStatementRequests(c.UserContext(), participation.StatementRequestFilter{
		ProcessSlug: copyString(c.Params("slug")), Limit: limit, Offset: offset,
	})
	if err != nil {
		return err
	}
	return sendList(c, list, total)
}

func (s *Server) apiStatementRequest(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := s.svc.StatementRequests.FindStatementRequest(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *Server) apiUpdateStatementRequest(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var p participation.StatementRequestPatch
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	r, err := s.svc.StatementRequests.UpdateStatementRequest(c.UserContext(), id, p)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *Server) apiPublishStatementRequest(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := s.svc.StatementRequests.PublishStatementRequest(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// apiAddAttachment takes the multipart field file. A file over the limit
// is 413 too_large; the server's body limit lets such a file through for
// this answer (Config.BodyLimit), while JSON bodies stay within 1 MiB.
func (s *Server) apiAddAttachment(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	n, err := readUpload(c, "file")
	if err != nil {
		return err
	}
	a, err := s.svc.StatementRequests.AddAttachment(c.UserContext(), id, n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(a)
}

// readUpload reads the file of a multipart form's field: a request that is
// no multipart form is malformed, one without the field is invalid. It
// reads one byte past the limit, so that the domain can tell too large.
func readUpload(c *fiber.Ctx, field string) (participation.NewAttachment, error) {
	ctype, _, _ := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if ctype != fiber.MIMEMultipartForm {
		return participation.NewAttachment{}, participation.Errorf(participation.EMALFORMED, "Send the file as multipart/form-data in the field %q.", field)
	}
	fh, err := c.FormFile(field)
	if err != nil {
		f := participation.FieldErrors{}
		f.Add(field, participation.RuleRequired, 0)
		return participation.NewAttachment{}, f.Err()
	}
	file, err := fh.Open()
	if err != nil {
		return participation.NewAttachment{}, err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, participation.MaxAttachmentSize+1))
	if err != nil {
		return participation.NewAttachment{}, err
	}
	return participation.NewAttachment{Filename: copyString(fh.Filename), Data: data}, nil
}

// apiAttachment sends a document to be saved, never shown in the page's
// place: its type is the one its content was found to be, and nosniff
// keeps browsers from guessing another.
func (s *Server) apiAttachment(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	a, err := s.svc.StatementRequests.FindAttachment(c.UserContext(), id)
	if err != nil {
		return err
	}
	ctype := a.ContentType
	if ctype == participation.ContentTypeTXT {
		ctype += "; charset=utf-8"
	}
	c.Set(fiber.HeaderContentType, ctype)
	c.Set(fiber.HeaderContentDisposition, attachmentDisposition(a.Filename))
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentSecurityPolicy, "sandbox; default-src 'none'")
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	c.Set(fiber.HeaderContentLength, strconv.FormatInt(a.Size, 10))
	return c.Send(a.Data)
}

// attachmentDisposition names a download: an ASCII name for old clients and
// the UTF-8 name (RFC 6266) for the rest.
func attachmentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return `attachment; filename="` + ascii + `"; filename*=UTF-8''` + strings.ReplaceAll(url.PathEscape(name), "'", "%27")
}

func (s *Server) apiDeleteAttachment(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.svc.StatementRequests.DeleteAttachment(c.UserContext(), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
