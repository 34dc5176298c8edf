package server

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// The one place where every page and API route of a thing in a process
// checks the process's status: a draft is not found but by its officials
// and admins (the process, its listing and every step: idea rounds, ideas,
// workshops, polls, surveys, statement requests, commitments, the report);
// an archived process takes no writes (409 closed), but its own changes
// (editing, un-archiving) and moderation.

// processRefKinds maps the first segment of a path (after /api/v1) to the
// kind of thing its second segment names.
var processRefKinds = map[string]string{
	"processes":          participation.RefProcess,
	"idea-rounds":        participation.RefIdeaRound,
	"ideas":              participation.RefIdea,
	"comments":           participation.RefComment,
	"themes":             participation.RefTheme,
	"workshops":          participation.RefWorkshop,
	"polls":              participation.RefPoll,
	"surveys":            participation.RefSurvey,
	"statement-requests": participation.RefStatementRequest,
	"attachments":        participation.RefAttachment,
	"commitments":        participation.RefCommitment,
	"milestones":         participation.RefMilestone,
	"events":             participation.RefEvent,
}

// moderationActions are the last segments of the moderators' writes, which
// an archived process still takes.
var moderationActions = map[string]bool{"hide": true, "restore": true, "dismiss": true}

// processRefOf returns the thing of a process that path names, if any.
func processRefOf(path string) (participation.ProcessRef, []string, bool) {
	path = strings.TrimPrefix(path, "/api/v1")
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) < 2 {
		return participation.ProcessRef{}, nil, false
	}
	kind, ok := processRefKinds[segs[0]]
	if !ok {
		return participation.ProcessRef{}, nil, false
	}
	if kind == participation.RefProcess {
		if segs[1] == "new" {
			return participation.ProcessRef{}, nil, false
		}
		return participation.RefToProcess(segs[1]), segs, true
	}
	id, err := strconv.ParseInt(segs[1], 10, 64)
	if err != nil || id < 1 {
		return participation.ProcessRef{}, nil, false
	}
	return participation.RefTo(kind, id), segs, true
}

// localManages is where processAccess leaves whether the asking account
// manages the process of the request's thing: its pages show their
// officials' tools only then (View.Manages).
const localManages = "manages"

// manages reports whether the asking account manages the process of the
// request's thing (processAccess); false where the request names none.
func manages(c *fiber.Ctx) bool {
	m, _ := c.Locals(localManages).(bool)
	return m
}

// processAccess refuses a request about a thing of a draft process to those
// who may not see it (404), and a write to a thing of an archived process
// (409 closed). A ballot (the hot path) is left to its poll's status.
func (s *Server) processAccess(c *fiber.Ctx) error {
	ref, segs, ok := processRefOf(c.Path())
	if !ok {
		return c.Next()
	}
	method := c.Method()
	if segs[0] == "polls" && len(segs) == 3 && segs[2] == "ballot" {
		return c.Next()
	}
	write := method != fiber.MethodGet && method != fiber.MethodHead &&
		ref.Kind != participation.RefProcess && !moderationActions[segs[len(segs)-1]]
	manages, err := s.svc.Processes.CheckProcessAccess(c.UserContext(), ref, write)
	if err != nil {
		return err
	}
	c.Locals(localManages, manages)
	return c.Next()
}
