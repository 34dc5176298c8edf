package server_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestProcessesAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	official, _ := ts.signUp("official@example.fi", "official")
	citizen, _ := ts.signUp("citizen@example.fi")
	body := map[string]any{"slug": "avoin-hallinto", "title": "Avoin hallinto 2017–2019", "description": "Toimintaohjelma"}

	ts.checkStatuses(t, []statusCase{
		{name: "signed out", method: "POST", path: "/api/v1/processes", body: body, status: 401},
		{name: "a citizen may not", method: "POST", path: "/api/v1/processes", body: body, token: citizen, status: 403},
	})
	mustRun(t, "official creates a process", func(t *testing.T) {
		p := decode[processJSON](t, ts.do("POST", "/api/v1/processes", body, official).want(t, 201))
		if p.Slug != "avoin-hallinto" || p.Title != "Avoin hallinto 2017–2019" {
			t.Errorf("process %+v", p)
		}
	})
	t.Run("a taken slug is a conflict", func(t *testing.T) {
		ts.do("POST", "/api/v1/processes", body, official).want(t, 409).wantCode(t, "conflict")
	})
	t.Run("broken rules name their fields", func(t *testing.T) {
		r := ts.do("POST", "/api/v1/processes", map[string]any{"slug": "Bad Slug", "title": "", "description": ""}, official).want(t, 422)
		r.wantCode(t, "invalid").wantFields(t, "slug", "title")
	})
	t.Run("a new process has no steps and zero stats", func(t *testing.T) {
		r := ts.do("GET", "/api/v1/processes/avoin-hallinto", nil, "").want(t, 200)
		if steps := decode[object](t, r).array(t, "steps"); len(steps) != 0 {
			t.Errorf("steps %s", steps)
		}
		if p := decode[processJSON](t, r); p.Stats != (statsJSON{}) {
			t.Errorf("stats %+v", p.Stats)
		}
	})
	t.Run("an unknown slug is 404", func(t *testing.T) {
		ts.do("GET", "/api/v1/processes/nope", nil, "").want(t, 404)
	})
	t.Run("List", func(t *testing.T) {
		for i := 0; i < 3; i++ {
			ts.do("POST", "/api/v1/processes", map[string]any{"slug": "extra-" + itoa(int64(i)), "title": "Extra", "description": ""}, official).want(t, 201)
		}
		for _, c := range []struct {
			query        string
			total, items int
		}{
			{"?limit=2&offset=1", 4, 2},
			{"?limit=100000", 4, 4},
		} {
			l := decode[list[json.RawMessage]](t, ts.do("GET", "/api/v1/processes"+c.query, nil, "").want(t, 200))
			if l.Total != c.total || len(l.Items) != c.items {
				t.Errorf("%s: total %d, %d items; want %d, %d", c.query, l.Total, len(l.Items), c.total, c.items)
			}
		}
		ts.do("GET", "/api/v1/processes?limit=abc", nil, "").want(t, 400)
	})
}

// processStatusJSON is a process as its status, organiser, contact and
// officials show it.
type processStatusJSON struct {
	Slug      string  `json:"slug"`
	Title     string  `json:"title"`
	Status    string  `json:"status"`
	Organiser *string `json:"organiser"`
	Contact   *struct {
		Name  string  `json:"name"`
		Email string  `json:"email"`
		Phone *string `json:"phone"`
	} `json:"contact"`
	Officials *[]struct {
		AccountID int64   `json:"account_id"`
		Email     *string `json:"email"`
	} `json:"officials"`
}

func TestProcessLifecycleAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	official, _ := ts.signUp("official@example.fi", "official")
	other, otherAccount := ts.signUp("other@example.fi", "official")
	admin, _ := ts.signUp("admin@example.fi", "official", "admin")
	citizen, _ := ts.signUp("citizen@example.fi")
	mustRun(t, "a draft through the API", func(t *testing.T) {
		p := decode[processStatusJSON](t, ts.do("POST", "/api/v1/processes", map[string]any{"slug": "luonnos", "title": "Luonnos", "description": "", "status": "draft",
			"organiser": "Valtiovarainministeriö", "contact": map[string]any{"name": "Katju", "email": "katju@example.fi"}}, official).want(t, 201))
		if p.Status != "draft" || p.Organiser == nil || p.Contact == nil || p.Contact.Phone != nil || p.Officials == nil || len(*p.Officials) != 1 {
			t.Fatalf("draft %+v", p)
		}
	})
	t.Run("a draft is not found but by its officials and admins", func(t *testing.T) {
		for _, token := range []string{"", citizen, other} {
			ts.do("GET", "/api/v1/processes/luonnos", nil, token).want(t, 404).wantCode(t, "not_found")
			if l := decode[list[processStatusJSON]](t, ts.do("GET", "/api/v1/processes", nil, token).want(t, 200)); l.Total != 0 {
				t.Errorf("listed %+v", l)
			}
		}
		ts.do("GET", "/api/v1/processes/luonnos", nil, admin).want(t, 200)
	})
	var roundID int64
	mustRun(t, "its steps are not found either", func(t *testing.T) {
		r := ts.do("POST", "/api/v1/processes/luonnos/idea-rounds", map[string]any{"title": "Kierros", "description": "", "allow_anonymous": true,
			"opens_at": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339), "closes_at": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}, official).want(t, 201)
		roundID = decode[struct {
			ID int64 `json:"id"`
		}](t, r).ID
		ts.do("GET", "/api/v1/idea-rounds/"+itoa(roundID)+"/ideas", nil, "").want(t, 404)
		ts.do("POST", "/api/v1/idea-rounds/"+itoa(roundID)+"/ideas", map[string]any{"title": "Idea", "body": "Teksti"}, citizen).want(t, 404)
		ts.do("GET", "/api/v1/processes/luonnos/commitments", nil, citizen).want(t, 404)
		ts.do("GET", "/api/v1/processes/luonnos/report", nil, "").want(t, 404)
		ts.do("GET", "/idea-rounds/"+itoa(roundID), nil, "").want(t, 404)
		ts.do("GET", "/api/v1/idea-rounds/"+itoa(roundID)+"/ideas", nil, official).want(t, 200)
	})
	t.Run("PATCH edits any field; the slug stays", func(t *testing.T) {
		p := decode[processStatusJSON](t, ts.do("PATCH", "/api/v1/processes/luonnos", map[string]any{"title": "Avoin hallinto", "slug": "muu", "contact": nil}, official).want(t, 200))
		if p.Slug != "luonnos" || p.Title != "Avoin hallinto" || p.Contact != nil || p.Organiser == nil {
			t.Errorf("patched %+v", p)
		}
		ts.do("PATCH", "/api/v1/processes/luonnos", map[string]any{"title": ""}, official).want(t, 422).wantCode(t, "invalid").wantFields(t, "title")
		ts.do("PATCH", "/api/v1/processes/luonnos", map[string]any{"contact": map[string]any{"name": "X", "email": "nope"}}, official).want(t, 422).wantCode(t, "invalid").wantFields(t, "contact.email")
		ts.do("PATCH", "/api/v1/processes/luonnos", map[string]any{"title": "x"}, citizen).want(t, 404) // a draft: not even seen
	})
	t.Run("publish", func(t *testing.T) {
		ts.do("POST", "/api/v1/processes/luonnos/publish", nil, citizen).want(t, 404)
		if p := decode[processStatusJSON](t, ts.do("POST", "/api/v1/processes/luonnos/publish", nil, official).want(t, 200)); p.Status != "published" {
			t.Errorf("status %s", p.Status)
		}
		ts.do("POST", "/api/v1/processes/luonnos/publish", nil, official).want(t, 409).wantCode(t, "conflict")
		p := decode[processStatusJSON](t, ts.do("GET", "/api/v1/processes/luonnos", nil, "").want(t, 200))
		if p.Officials != nil || p.Organiser == nil {
			t.Errorf("the public sees %+v", p)
		}
		ts.do("POST", "/api/v1/idea-rounds/"+itoa(roundID)+"/ideas", map[string]any{"title": "Idea", "body": "Teksti"}, citizen).want(t, 201)
	})
	t.Run("another official is forbidden", func(t *testing.T) {
		ts.do("PATCH", "/api/v1/processes/luonnos", map[string]any{"title": "Toisen"}, other).want(t, 403).wantCode(t, "forbidden")
		ts.do("POST", "/api/v1/processes/luonnos/archive", nil, other).want(t, 403)
		ts.do("POST", "/api/v1/idea-rounds/"+itoa(roundID)+"/themes", map[string]any{"title": "Teema", "description": ""}, other).want(t, 403).wantCode(t, "forbidden")
		ts.do("POST", "/api/v1/idea-rounds/"+itoa(roundID)+"/themes", map[string]any{"title": "Teema", "description": ""}, admin).want(t, 201)
	})
	t.Run("officials", func(t *testing.T) {
		ts.do("POST", "/api/v1/processes/luonnos/officials", map[string]any{"email": "citizen@example.fi"}, official).want(t, 422).wantCode(t, "invalid").wantFields(t, "email")
		l := decode[list[json.RawMessage]](t, ts.do("POST", "/api/v1/processes/luonnos/officials", map[string]any{"email": "other@example.fi"}, official).want(t, 201))
		if l.Total != 2 {
			t.Fatalf("officials %+v", l)
		}
		ts.do("PATCH", "/api/v1/processes/luonnos", map[string]any{"title": "Yhteinen"}, other).want(t, 200)
		ts.do("DELETE", "/api/v1/processes/luonnos/officials/"+itoa(otherAccount.ID), nil, other).want(t, 200)
		ts.do("PATCH", "/api/v1/processes/luonnos", map[string]any{"title": "Toisen"}, other).want(t, 403)
	})
	t.Run("archived: readable, listed after the others, read only", func(t *testing.T) {
		ts.do("POST", "/api/v1/processes", map[string]any{"slug": "uusi", "title": "Uusi", "description": ""}, official).want(t, 201)
		if p := decode[processStatusJSON](t, ts.do("POST", "/api/v1/processes/luonnos/archive", nil, official).want(t, 200)); p.Status != "archived" {
			t.Errorf("status %s", p.Status)
		}
		l := decode[list[processStatusJSON]](t, ts.do("GET", "/api/v1/processes", nil, "").want(t, 200))
		if l.Total != 2 || l.Items[1].Slug != "luonnos" {
			t.Errorf("list %+v", l)
		}
		if l := decode[list[processStatusJSON]](t, ts.do("GET", "/api/v1/processes?status=archived", nil, "").want(t, 200)); l.Total != 1 {
			t.Errorf("archived %+v", l)
		}
		ts.do("GET", "/api/v1/processes/luonnos", nil, "").want(t, 200)
		ts.do("GET", "/api/v1/idea-rounds/"+itoa(roundID)+"/ideas", nil, "").want(t, 200)
		r := ts.do("POST", "/api/v1/idea-rounds/"+itoa(roundID)+"/ideas", map[string]any{"title": "Idea", "body": "Teksti"}, citizen).want(t, 409)
		if e := r.wantCode(t, "closed"); !strings.Contains(e.Error.Message, "archived") {
			t.Errorf("message %q", e.Error.Message)
		}
		ts.do("POST", "/api/v1/idea-rounds/"+itoa(roundID)+"/themes", map[string]any{"title": "Teema", "description": ""}, official).want(t, 409)
		if p := decode[processStatusJSON](t, ts.do("POST", "/api/v1/processes/luonnos/unarchive", nil, official).want(t, 200)); p.Status != "published" {
			t.Errorf("status %s", p.Status)
		}
		ts.do("POST", "/api/v1/idea-rounds/"+itoa(roundID)+"/ideas", map[string]any{"title": "Idea 2", "body": "Teksti"}, citizen).want(t, 201)
	})
}
