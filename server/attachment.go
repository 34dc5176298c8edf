package server

// A statement request's attachments, uploaded and downloaded: the same for
// the pages and the API.

import (
	"io"
	"mime"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

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

// downloadAttachment sends a document to be saved, never shown in the page's
// place: its type is the one its content was found to be, and nosniff
// keeps browsers from guessing another.
func (s *Server) downloadAttachment(c *fiber.Ctx) error {
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
