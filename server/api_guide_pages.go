package server

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// apiGuideData is what the API guide page (/api) shows besides its texts:
// the site's address for the examples, the error codes with their
// statuses from the one table (statusOf), and the configured rate limits.
type apiGuideData struct {
	BaseURL string
	WSURL   string // BaseURL with ws: or wss:
	Errors  []apiGuideError
	Limits  apiGuideLimits
}

// apiGuideError is one error code of the API and its statuses.
type apiGuideError struct {
	Code     string
	Statuses string // "400, 422"
}

// apiGuideLimits are the rate limits per minute that the guide names.
type apiGuideLimits struct {
	Write, AddressWrite, Join, Respondent, Login int
}

// exampleBaseURL is the address the examples use when the site's own is
// not configured (a reserved example name, over HTTPS as a site should be). The request's Host is not used: a kept page must not
// carry whatever a client sent.
const exampleBaseURL = "https://osallistu.example"

// apiGuidePages registers the human guide to the JSON API.
func (s *Server) apiGuidePages(r fiber.Router) {
	r.Get("/api", s.apiGuidePage)
}

func (s *Server) apiGuidePage(c *fiber.Ctx) error {
	base := cmp.Or(strings.TrimSuffix(s.cfg.BaseURL, "/"), exampleBaseURL)
	d := apiGuideData{
		BaseURL: base, WSURL: "ws" + strings.TrimPrefix(base, "http"),
		Errors: apiGuideErrors(),
		Limits: apiGuideLimits{Write: s.cfg.WriteLimit, AddressWrite: s.cfg.AddressWriteLimit,
			Join: s.cfg.JoinLimit, Respondent: s.cfg.RespondentLimit, Login: s.cfg.LoginAddressLimit},
	}
	return s.render(c, fiber.StatusOK, "api_guide", d, nil, nil)
}

// apiGuideErrors lists the codes that the API answers (apiCode) with their
// statuses, lowest status first.
func apiGuideErrors() []apiGuideError {
	statuses := map[string][]int{}
	for code, status := range statusOf {
		statuses[apiCode(code)] = append(statuses[apiCode(code)], status)
	}
	out := make([]apiGuideError, 0, len(statuses))
	for code, list := range statuses {
		slices.Sort(list)
		s := make([]string, len(list))
		for i, n := range list {
			s[i] = strconv.Itoa(n)
		}
		out = append(out, apiGuideError{Code: code, Statuses: strings.Join(s, ", ")})
	}
	slices.SortFunc(out, func(a, b apiGuideError) int {
		return cmp.Or(cmp.Compare(a.Statuses, b.Statuses), cmp.Compare(a.Code, b.Code))
	})
	return out
}
