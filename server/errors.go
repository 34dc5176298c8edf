package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// statusOf maps each domain error code to its HTTP status: the one table.
var statusOf = map[string]int{
	participation.EINVALID:         fiber.StatusUnprocessableEntity,
	participation.EMALFORMED:       fiber.StatusBadRequest,
	participation.EUNAUTHENTICATED: fiber.StatusUnauthorized,
	participation.EFORBIDDEN:       fiber.StatusForbidden,
	participation.ENOTFOUND:        fiber.StatusNotFound,
	participation.ECLOSED:          fiber.StatusConflict,
	participation.ECONFLICT:        fiber.StatusConflict,
	participation.ETOOLARGE:        fiber.StatusRequestEntityTooLarge,
	participation.ERATELIMITED:     fiber.StatusTooManyRequests,
	participation.EUNAVAILABLE:     fiber.StatusServiceUnavailable,
	participation.EINTERNAL:        fiber.StatusInternalServerError,
}

// apiCode is the code API.md names; malformed input is "invalid" there too.
func apiCode(code string) string {
	if code == participation.EMALFORMED {
		return participation.EINVALID
	}
	return code
}

// fromFiberError turns fiber's own errors (unknown route, body too large,
// wrong method) into domain errors.
func fromFiberError(fe *fiber.Error) *participation.Error {
	switch fe.Code {
	case fiber.StatusNotFound:
		return participation.Errorf(participation.ENOTFOUND, "There is nothing at this address.")
	case fiber.StatusRequestEntityTooLarge:
		return participation.Errorf(participation.ETOOLARGE, "The request is too large.")
	case fiber.StatusMethodNotAllowed:
		return participation.Errorf(participation.ENOTFOUND, "This address does not take that method.")
	case fiber.StatusTooManyRequests:
		return participation.Errorf(participation.ERATELIMITED, "Too many requests. Wait a minute and try again.")
	case fiber.StatusBadRequest:
		return participation.Errorf(participation.EMALFORMED, "The request is malformed.")
	}
	if fe.Code < 500 {
		return participation.Errorf(participation.EMALFORMED, "%s", fe.Message)
	}
	return nil
}

// handleError is fiber's error handler: it answers the API with API.md's
// error shape and the pages with an error page. Only internal errors are logged.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		if de := fromFiberError(fe); de != nil {
			err = de
		}
	}
	code := participation.ErrorCode(err)
	status := statusOf[code]
	if status == 0 {
		status = fiber.StatusInternalServerError
	}
	if code == participation.EINTERNAL {
		s.log.Error("request failed", "method", c.Method(), "path", c.Path(),
			"request_id", c.GetRespHeader(fiber.HeaderXRequestID), "err", err)
	}
	if isAPI(c) {
		body := fiber.Map{"code": apiCode(code), "message": participation.ErrorMessage(err)}
		var de *participation.Error
		if errors.As(err, &de) && len(de.Fields) > 0 {
			body["fields"] = de.Fields
		}
		return c.Status(status).JSON(fiber.Map{"error": body})
	}
	if rerr := s.render(c, status, "error", fiber.Map{"Code": code}, nil, nil); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		return c.Status(status).SendString(participation.ErrorMessage(err))
	}
	return nil
}
