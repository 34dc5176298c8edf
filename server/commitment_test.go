package server_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/lib/pq"

	"osallistu/participation"
)

// commitmentWorld is a process ("avoin", from openRound) with ideas in
// themes and a closed workshop poll over the themes.
type commitmentWorld struct {
	ts       *testServer
	official string // bearer tokens
	citizen  string
	round    string
	ideas    []int64 // ideas[0], ideas[1] in themes[0]; ideas[2] in themes[1]; ideas[3] in none
	themes   []int64 // themes[0] ranks 2 (tied), themes[1] 1, themes[2] 2 (tied), themes[3] 4
}

func newCommitmentWorld(t *testing.T) *commitmentWorld {
	t.Helper()
	ts := newTestServer(t)
	official, round := openRound(t, ts, true)
	citizen, _ := ts.signUp("citizen@example.fi")
	w := &commitmentWorld{ts: ts, official: official, citizen: citizen, round: round}
	for _, title := range []string{"Ymmärrettävyys", "Julkisuus", "Avoin maakunta", "Neljäs teema"} {
		th := ts.do("POST", "/api/v1/idea-rounds/"+round+"/themes", map[string]any{"title": title}, official).want(t, 201).json(t)
		w.themes = append(w.themes, int64(th["id"].(float64)))
	}
	for i, title := range []string{"Lasten osallisuus", "Selkeä virkakieli", "Julkisuusperiaate yhtiöihin", "Tubettajat mukaan"} {
		idea := ts.do("POST", "/api/v1/idea-rounds/"+round+"/ideas", map[string]any{"title": title, "body": "Ehdotus: " + title}, citizen).want(t, 201).json(t)
		id := int64(idea["id"].(float64))
		w.ideas = append(w.ideas, id)
		if i < 3 {
			ts.do("PUT", "/api/v1/ideas/"+itoa(id)+"/theme", map[string]any{"theme_id": w.themes[i/2]}, official).want(t, 200)
		}
	}
	seedVotes(t, ts, "avoin", w.themes, []int{3, 5, 3, 1})
	return w
}

// seedVotes writes a closed workshop poll over the themes with ballots that
// give theme i votes[i], in plain SQL as the workshop store writes them;
// ballots name up to three options each.
func seedVotes(t *testing.T, ts *testServer, slug string, themes []int64, votes []int) {
	t.Helper()
	db := ts.store.DB()
	code, err := participation.NewJoinCode()
	if err != nil {
		t.Fatal(err)
	}
	var workshop, poll int64
	if err := db.Get(&workshop, `INSERT INTO workshops (process_id, title, starts_at, join_code, created_at)
		SELECT id, 'Avaustilaisuus', now(), $2, now() FROM processes WHERE slug = $1 RETURNING id`, slug, code); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&poll, `INSERT INTO polls (workshop_id, question, max_choices, status, position, opened_at, closed_at, created_at)
		VALUES ($1, 'Tärkeimmät tavoitealueet', 3, 'closed', 1, now(), now(), now()) RETURNING id`, workshop); err != nil {
		t.Fatal(err)
	}
	options := make([]int64, len(themes))
	for i, th := range themes {
		if err := db.Get(&options[i], `INSERT INTO poll_options (poll_id, label, theme_id, position) VALUES ($1, $2, $3, $4) RETURNING id`,
			poll, fmt.Sprint("Teema ", i), th, i); err != nil {
			t.Fatal(err)
		}
	}
	left := slices.Clone(votes)
	for p := 0; ; p++ {
		var ballot []int64
		for i := range left {
			if left[i] > 0 && len(ballot) < 3 {
				ballot = append(ballot, options[i])
				left[i]--
			}
		}
		if len(ballot) == 0 {
			return
		}
		hash := sha256.Sum256([]byte(fmt.Sprint(code, p)))
		var participant int64
		if err := db.Get(&participant, `INSERT INTO participants (workshop_id, token_hash, created_at) VALUES ($1, $2, now()) RETURNING id`,
			workshop, hash[:]); err != nil {
			t.Fatal(err)
		}
		db.MustExec(`INSERT INTO ballots (poll_id, participant_id, option_ids, created_at, updated_at) VALUES ($1, $2, $3, now(), now())`,
			poll, participant, pq.Array(ballot))
	}
}

// hasKeys fails unless every key is present in m (null counts as present).
func hasKeys(t *testing.T, what string, m map[string]any, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("%s lacks %q: %v", what, k, m)
		}
	}
}

func id64(v any) int64 { return int64(v.(float64)) }

func TestCommitmentsAPI(t *testing.T) {
	w := newCommitmentWorld(t)
	ts, official, citizen := w.ts, w.official, w.citizen
	base := "/api/v1/processes/avoin/commitments"
	draft := map[string]any{
		"title": "Lisätään lasten ja nuorten osallisuutta", "problem": "Lapsia ei kuulla.", "description": "Lasten oikeuksien päivä.",
		"lead_agency": "OM", "source_idea_ids": []int64{w.ideas[0]}, "source_theme_ids": []int64{w.themes[0]},
		"milestones": []map[string]any{{"title": "Lasten oikeuksien päivä", "due": "2017-11-14"}, {"title": "TEAS-selvitys", "due": "2030-06-30"}},
	}

	// Create: who, where and what.
	ts.do("POST", base, draft, "").want(t, 401)
	ts.do("POST", base, draft, citizen).want(t, 403)
	ts.do("POST", "/api/v1/processes/nope/commitments", draft, official).want(t, 404)
	ts.do("POST", base, `{"title": `, official).want(t, 400)
	ts.do("POST", base, map[string]any{"title": 5}, official).want(t, 400)
	ts.do("POST", base, map[string]any{"title": "x", "milestones": []map[string]any{{"title": "m", "due": 20181231}}}, official).want(t, 400)
	for _, bad := range []map[string]any{
		{"title": ""},
		{"title": "x", "source_idea_ids": []int64{999999}},
		{"title": "x", "milestones": []map[string]any{{"title": "m", "due": "31.12.2018"}}},
		{"title": "x", "milestones": []map[string]any{{"title": "", "due": "2018-12-31"}}},
	} {
		r := ts.do("POST", base, bad, official).want(t, 422)
		if r.errorCode(t) != "invalid" || r.json(t)["error"].(map[string]any)["fields"] == nil {
			t.Fatalf("error %s", r.body)
		}
	}
	a := ts.do("POST", base, draft, official).want(t, 201).json(t)
	hasKeys(t, "commitment", a, "id", "status", "version", "title", "problem", "description", "lead_agency", "how_it_addresses", "relevance",
		"other_actors", "starts_on", "ends_on", "sources", "milestones", "merged_from", "merged_into", "statements", "survey_results", "completion")
	if a["status"] != "draft" || a["version"] != 1.0 || a["merged_into"] != nil || len(a["merged_from"].([]any)) != 0 ||
		len(a["statements"].([]any)) != 0 || len(a["survey_results"].([]any)) != 0 || a["starts_on"] != nil {
		t.Fatalf("created %v", a)
	}
	src := a["sources"].(map[string]any)
	if ideas := src["ideas"].([]any); len(ideas) != 1 || ideas[0].(map[string]any)["title"] != "Lasten osallisuus" {
		t.Fatalf("sources %v", src)
	}
	if themes := src["themes"].([]any); len(themes) != 1 || id64(themes[0].(map[string]any)["id"]) != w.themes[0] {
		t.Fatalf("sources %v", src)
	}
	ms := a["milestones"].([]any)
	m0 := ms[0].(map[string]any)
	hasKeys(t, "milestone", m0, "id", "title", "due", "status", "note")
	if len(ms) != 2 || m0["status"] != "not_started" || m0["due"] != "2017-11-14" || m0["note"] != nil {
		t.Fatalf("milestones %v", ms)
	}
	aID := itoa(id64(a["id"]))
	b := ts.do("POST", base, map[string]any{"title": "Haavoittuvat ryhmät", "problem": "Heikoimmat eivät osallistu.",
		"source_idea_ids": []int64{w.ideas[1], w.ideas[3]}, "milestones": []map[string]any{{"title": "Maahanmuuttajatyöpaja", "due": "2018-03-07"}}}, official).want(t, 201).json(t)
	bID := itoa(id64(b["id"]))
	c := ts.do("POST", base, map[string]any{"title": "Julkisuusperiaate", "source_theme_ids": []int64{w.themes[1]}}, official).want(t, 201).json(t)
	cID := itoa(id64(c["id"]))

	// Read.
	got := ts.do("GET", "/api/v1/commitments/"+aID, nil, "").want(t, 200).json(t)
	if got["title"] != draft["title"] {
		t.Fatalf("got %v", got)
	}
	ts.do("GET", "/api/v1/commitments/999999", nil, "").want(t, 404)
	ts.do("GET", "/api/v1/commitments/abc", nil, "").want(t, 404)

	// Patch: a new version.
	patch := map[string]any{"title": "Lisätään lasten ja nuorten osallisuutta ministeriöissä", "starts_on": "2017-07-01", "change_note": "Lausuntojen pohjalta"}
	ts.do("PATCH", "/api/v1/commitments/"+aID, patch, "").want(t, 401)
	ts.do("PATCH", "/api/v1/commitments/"+aID, patch, citizen).want(t, 403)
	ts.do("PATCH", "/api/v1/commitments/999999", patch, official).want(t, 404)
	ts.do("PATCH", "/api/v1/commitments/"+aID, `[1]`, official).want(t, 400)
	ts.do("PATCH", "/api/v1/commitments/"+aID, map[string]any{"title": ""}, official).want(t, 422)
	ts.do("PATCH", "/api/v1/commitments/"+aID, map[string]any{"starts_on": "2019-01-01", "ends_on": "2018-01-01"}, official).want(t, 422)
	p := ts.do("PATCH", "/api/v1/commitments/"+aID, patch, official).want(t, 200).json(t)
	if p["version"] != 2.0 || p["title"] != patch["title"] || p["starts_on"] != "2017-07-01" || p["problem"] != draft["problem"] {
		t.Fatalf("patched %v", p)
	}
	vs := ts.do("GET", "/api/v1/commitments/"+aID+"/versions", nil, "").want(t, 200).json(t)
	items := vs["items"].([]any)
	if vs["total"] != 2.0 || len(items) != 2 {
		t.Fatalf("versions %v", vs)
	}
	v2 := items[1].(map[string]any)
	hasKeys(t, "version", v2, "version", "author_id", "author_name", "created_at", "change_note", "changed_fields")
	if v2["version"] != 2.0 || v2["change_note"] != "Lausuntojen pohjalta" || v2["author_name"] != "Name of official@example.fi" ||
		fmt.Sprint(v2["changed_fields"]) != "[title starts_on]" || !strings.HasSuffix(v2["created_at"].(string), "Z") {
		t.Fatalf("version %v", v2)
	}
	if v := ts.do("GET", "/api/v1/commitments/"+aID+"/versions?limit=1&offset=1", nil, "").want(t, 200).json(t); len(v["items"].([]any)) != 1 {
		t.Fatalf("page %v", v)
	}
	ts.do("GET", "/api/v1/commitments/999999/versions", nil, "").want(t, 404)
	ts.do("GET", "/api/v1/commitments/"+aID+"/versions?limit=x", nil, "").want(t, 400)

	// Merge B into A; the errors first.
	merge := func(from string, body any, token string, status int) map[string]any {
		t.Helper()
		r := ts.do("POST", "/api/v1/commitments/"+from+"/merge", body, token).want(t, status)
		if status == 200 {
			return r.json(t)
		}
		return nil
	}
	merge(bID, map[string]any{"into_id": id64(a["id"])}, "", 401)
	merge(bID, map[string]any{"into_id": id64(a["id"])}, citizen, 403)
	merge("999999", map[string]any{"into_id": id64(a["id"])}, official, 404)
	merge(bID, `{`, official, 400)
	merge(bID, map[string]any{}, official, 422)
	merge(bID, map[string]any{"into_id": 999999}, official, 422)
	if r := ts.do("POST", "/api/v1/commitments/"+bID+"/merge", map[string]any{"into_id": id64(b["id"])}, official).want(t, 409); r.errorCode(t) != "conflict" {
		t.Fatalf("into itself: %s", r.body)
	}
	mb := merge(bID, map[string]any{"into_id": id64(a["id"]), "note": "Yhdistetty lausuntojen pohjalta"}, official, 200)
	if mb["status"] != "merged" || id64(mb["merged_into"]) != id64(a["id"]) {
		t.Fatalf("merged %v", mb)
	}
	merge(bID, map[string]any{"into_id": id64(c["id"])}, official, 409) // merging a merged one
	merge(cID, map[string]any{"into_id": id64(b["id"])}, official, 409) // into a merged one
	ts.do("PATCH", "/api/v1/commitments/"+bID, map[string]any{"title": "Muutos"}, official).want(t, 409)
	ts.do("POST", "/api/v1/commitments/"+bID+"/approve", nil, official).want(t, 409)
	a = ts.do("GET", "/api/v1/commitments/"+aID, nil, "").want(t, 200).json(t)
	if a["version"] != 3.0 || fmt.Sprint(a["merged_from"]) != fmt.Sprint([]any{float64(id64(b["id"]))}) || len(a["milestones"].([]any)) != 3 ||
		len(a["sources"].(map[string]any)["ideas"].([]any)) != 3 || !strings.Contains(a["problem"].(string), "Haavoittuvat ryhmät:\nHeikoimmat eivät osallistu.") {
		t.Fatalf("target %v", a)
	}

	// Approve.
	ts.do("POST", "/api/v1/commitments/"+aID+"/approve", nil, "").want(t, 401)
	ts.do("POST", "/api/v1/commitments/"+aID+"/approve", nil, citizen).want(t, 403)
	ts.do("POST", "/api/v1/commitments/999999/approve", nil, official).want(t, 404)
	if r := ts.do("POST", "/api/v1/commitments/"+aID+"/approve", nil, official).want(t, 200).json(t); r["status"] != "approved" {
		t.Fatalf("approved %v", r)
	}
	ts.do("POST", "/api/v1/commitments/"+aID+"/approve", nil, official).want(t, 409)

	// Lists.
	l := ts.do("GET", base, nil, "").want(t, 200).json(t)
	if l["total"] != 3.0 {
		t.Fatalf("list %v", l)
	}
	for status, n := range map[string]float64{"approved": 1, "merged": 1, "draft": 1} {
		if l := ts.do("GET", base+"?status="+status, nil, "").want(t, 200).json(t); l["total"] != n || len(l["items"].([]any)) != int(n) {
			t.Fatalf("%s: %v", status, l)
		}
	}
	if l := ts.do("GET", base+"?limit=1&offset=2", nil, "").want(t, 200).json(t); l["total"] != 3.0 || len(l["items"].([]any)) != 1 {
		t.Fatalf("page %v", l)
	}
	ts.do("GET", base+"?status=deleted", nil, "").want(t, 422)
	ts.do("GET", base+"?limit=-1", nil, "").want(t, 400)
	ts.do("GET", "/api/v1/processes/nope/commitments", nil, "").want(t, 404)

	// Following: a citizen follows the idea that fed C through its theme.
	follow := "/api/v1/ideas/" + itoa(w.ideas[2]) + "/follow"
	ts.do("PUT", follow, nil, "").want(t, 401)
	ts.do("PUT", "/api/v1/ideas/999999/follow", nil, citizen).want(t, 404)
	ts.do("PUT", "/api/v1/commitments/999999/follow", nil, citizen).want(t, 404)
	if r := ts.do("PUT", follow, nil, citizen).want(t, 200).json(t); r["following"] != true {
		t.Fatalf("follow %v", r)
	}
	ts.do("PUT", follow, nil, citizen).want(t, 200)
	ts.do("PUT", "/api/v1/commitments/"+aID+"/follow", nil, citizen).want(t, 200)
	ts.do("GET", "/api/v1/me/notifications", nil, "").want(t, 401)
	ts.do("POST", "/api/v1/commitments/"+cID+"/approve", nil, official).want(t, 200)

	// Milestones.
	mid := itoa(id64(a["milestones"].([]any)[1].(map[string]any)["id"]))
	upd := map[string]any{"status": "on_track", "note": "Selvitys käynnissä", "evidence_links": []string{"https://okm.fi/teas"}}
	ts.do("PUT", "/api/v1/milestones/"+mid, upd, "").want(t, 401)
	ts.do("PUT", "/api/v1/milestones/"+mid, upd, citizen).want(t, 403)
	ts.do("PUT", "/api/v1/milestones/999999", upd, official).want(t, 404)
	ts.do("PUT", "/api/v1/milestones/"+mid, `"done"`, official).want(t, 400)
	if r := ts.do("PUT", "/api/v1/milestones/"+mid, map[string]any{"status": "cancelled"}, official).want(t, 422); !strings.Contains(string(r.body), `"status"`) {
		t.Fatalf("error %s", r.body)
	}
	ts.do("PUT", "/api/v1/milestones/"+mid, map[string]any{"status": "done", "evidence_links": []string{"ftp://x"}}, official).want(t, 422)
	m := ts.do("PUT", "/api/v1/milestones/"+mid, upd, official).want(t, 200).json(t)
	hasKeys(t, "milestone", m, "id", "title", "due", "status", "note")
	if m["status"] != "on_track" || m["note"] != "Selvitys käynnissä" {
		t.Fatalf("milestone %v", m)
	}
	ts.do("PUT", "/api/v1/milestones/"+mid, map[string]any{"status": "done"}, official).want(t, 200)
	ch := ts.do("GET", "/api/v1/milestones/"+mid+"/changes", nil, "").want(t, 200).json(t)
	if ch["total"] != 2.0 || ch["items"].([]any)[0].(map[string]any)["status"] != "done" || ch["items"].([]any)[1].(map[string]any)["author_name"] != "Name of official@example.fi" {
		t.Fatalf("changes %v", ch)
	}
	ts.do("GET", "/api/v1/milestones/999999/changes", nil, "").want(t, 404)

	// Notifications: C's approval (through the idea's theme), A's milestone twice.
	n := ts.do("GET", "/api/v1/me/notifications", nil, citizen).want(t, 200).json(t)
	if n["total"] != 3.0 {
		t.Fatalf("notifications %v", n)
	}
	first := n["items"].([]any)[0].(map[string]any)
	hasKeys(t, "notification", first, "id", "kind", "commitment_id", "commitment_title", "milestone_id", "milestone_title", "status", "link", "created_at", "read_at")
	if first["kind"] != "milestone_status" || first["status"] != "done" || first["read_at"] != nil {
		t.Fatalf("notification %v", first)
	}
	if n := ts.do("GET", "/api/v1/me/notifications?unread=true&limit=1", nil, citizen).want(t, 200).json(t); n["total"] != 3.0 || len(n["items"].([]any)) != 1 {
		t.Fatalf("unread %v", n)
	}
	if r := ts.do("POST", "/api/v1/me/notifications/read", map[string]any{"ids": []int64{id64(first["id"])}}, citizen).want(t, 200).json(t); r["unread"] != 2.0 {
		t.Fatalf("read %v", r)
	}
	ts.do("POST", "/api/v1/me/notifications/read", `{"ids": "all"}`, citizen).want(t, 400)
	if r := ts.do("POST", "/api/v1/me/notifications/read", nil, citizen).want(t, 200).json(t); r["unread"] != 0.0 {
		t.Fatalf("read all %v", r)
	}
	ts.do("POST", "/api/v1/me/notifications/read", nil, "").want(t, 401)
	if r := ts.do("DELETE", follow, nil, citizen).want(t, 200).json(t); r["following"] != false {
		t.Fatalf("unfollow %v", r)
	}
	ts.do("DELETE", "/api/v1/commitments/"+aID+"/follow", nil, citizen).want(t, 200)
	ts.do("DELETE", follow, nil, "").want(t, 401)

	// The report counts the approved commitments' milestones.
	r := ts.do("GET", "/api/v1/processes/avoin/report", nil, "").want(t, 200).json(t)
	totals := r["totals"].(map[string]any)
	if len(r["commitments"].([]any)) != 2 || totals["done"] != 1.0 || totals["not_started"] != 2.0 || totals["on_track"] != 0.0 || totals["late"] != 0.0 {
		t.Fatalf("report %v", r)
	}
	rc := r["commitments"].([]any)[0].(map[string]any)
	hasKeys(t, "report commitment", rc, "id", "title", "status", "milestones")
	ts.do("GET", "/api/v1/processes/nope/report", nil, "").want(t, 404)

	// The trace of B's second idea: fed B directly, which ended in A.
	tr := ts.do("GET", "/api/v1/ideas/"+itoa(w.ideas[1])+"/trace", nil, "").want(t, 200).json(t)
	hasKeys(t, "trace", tr, "idea", "theme", "polls", "commitments", "milestones")
	if tr["theme"].(map[string]any)["id"] != float64(w.themes[0]) {
		t.Fatalf("theme %v", tr["theme"])
	}
	polls := tr["polls"].([]any)
	if len(polls) != 1 {
		t.Fatalf("polls %v", polls)
	}
	poll := polls[0].(map[string]any)
	hasKeys(t, "poll", poll, "poll_id", "question", "option_id", "votes", "rank")
	if poll["votes"] != 3.0 || poll["rank"] != 2.0 {
		t.Fatalf("poll %v", poll)
	}
	var path []string
	for _, x := range tr["commitments"].([]any) {
		c := x.(map[string]any)
		hasKeys(t, "trace commitment", c, "id", "title", "status", "via", "merged_into")
		path = append(path, fmt.Sprint(c["title"], " ", c["status"], " ", c["via"], " ", c["merged_into"] != nil))
	}
	// B fed it directly and was merged into A; A has B's sources now and
	// A's own theme is the idea's theme too.
	want := []string{"Lisätään lasten ja nuorten osallisuutta ministeriöissä approved idea false", "Haavoittuvat ryhmät merged idea true"}
	if !slices.Equal(path, want) {
		t.Fatalf("trace commitments\n got %v\nwant %v", path, want)
	}
	if ms := tr["milestones"].([]any); len(ms) != 3 {
		t.Fatalf("trace milestones %v", ms)
	}
	hasKeys(t, "trace milestone", tr["milestones"].([]any)[0].(map[string]any), "id", "commitment_id", "title", "due", "status")
	// Ranks with ties share: theme 1 first, themes 0 and 2 second, theme 3 fourth.
	tr3 := ts.do("GET", "/api/v1/ideas/"+itoa(w.ideas[2])+"/trace", nil, "").want(t, 200).json(t)
	if p := tr3["polls"].([]any)[0].(map[string]any); p["rank"] != 1.0 || p["votes"] != 5.0 {
		t.Fatalf("rank %v", p)
	}
	if tr4 := ts.do("GET", "/api/v1/ideas/"+itoa(w.ideas[3])+"/trace", nil, "").want(t, 200).json(t); tr4["theme"] != nil || len(tr4["polls"].([]any)) != 0 {
		t.Fatalf("trace without theme %v", tr4)
	}
	ts.do("GET", "/api/v1/ideas/999999/trace", nil, "").want(t, 404)

	// The drafting page's ranking.
	d := ts.do("GET", "/api/v1/processes/avoin/drafting-sources", nil, "").want(t, 200).json(t)
	if th := d["themes"].([]any)[0].(map[string]any); id64(th["id"]) != w.themes[1] || th["best_rank"] != 1.0 {
		t.Fatalf("drafting %v", d["themes"])
	}
	ts.do("GET", "/api/v1/processes/nope/drafting-sources", nil, "").want(t, 404)
}

func seeOther(t *testing.T, r response, prefix string) string {
	t.Helper()
	return r.redirectsTo(t, prefix)
}

func pageHas(t *testing.T, r response, parts ...string) {
	t.Helper()
	r.contains(t, parts...)
}

func TestCommitmentPages(t *testing.T) {
	w := newCommitmentWorld(t)
	ts := w.ts
	official, citizen, anon := ts.client(w.official), ts.client(w.citizen), ts.client("")

	// The drafting page ranks the themes by votes; starting a draft
	// prefills the form with the selected sources.
	r := official.get("/processes/avoin/drafting?lang=en").want(t, 200)
	body := string(r.body)
	if i, j := strings.Index(body, "Julkisuus"), strings.Index(body, "Ymmärrettävyys"); i < 0 || j < 0 || i > j {
		t.Fatalf("the best-ranked theme is not first")
	}
	pageHas(t, r, "Best rank in the workshop votes: 1", `name="source_idea_ids" value="`+itoa(w.ideas[0])+`"`)
	newForm := fmt.Sprintf("/processes/avoin/commitments/new?source_idea_ids=%d&source_idea_ids=%d&source_theme_ids=%d", w.ideas[0], w.ideas[1], w.themes[0])
	r = official.get(newForm).want(t, 200)
	pageHas(t, r, `id="source-idea-`+itoa(w.ideas[1])+`" name="source_idea_ids" value="`+itoa(w.ideas[1])+`" checked`,
		`id="source-theme-`+itoa(w.themes[0])+`" name="source_theme_ids" value="`+itoa(w.themes[0])+`" checked`, `name="milestone_title_3"`)
	for _, path := range []string{"/processes/avoin/drafting", newForm} {
		anon.get(path).want(t, 401)
		citizen.get(path).want(t, 403)
	}

	form := url.Values{
		"source_idea_ids": {itoa(w.ideas[0]), itoa(w.ideas[1])}, "source_theme_ids": {itoa(w.themes[0])},
		"title": {""}, "problem": {"Lapsia ei kuulla."}, "lead_agency": {"OM"}, "starts_on": {"2017-07-01"}, "ends_on": {"2019-06-30"},
		"milestone_title_1": {"Lasten oikeuksien päivä"}, "milestone_due_1": {"2017-11-14"}, "milestone_responsible_1": {"OM"},
		"milestone_title_2": {"TEAS-selvitys"}, "milestone_due_2": {""}, "milestone_title_3": {""}, "milestone_due_3": {""},
	}
	r = official.post(t, newForm, "/processes/avoin/commitments", form).want(t, 422)
	pageHas(t, r, `class="error-summary"`, `href="#title"`, `href="#milestones"`, `id="milestones-error"`, "Lapsia ei kuulla.", `value="TEAS-selvitys"`)
	form.Set("title", "Lasten ja nuorten osallisuus")
	form.Set("milestone_due_2", "2018-12-31")
	loc := seeOther(t, official.post(t, newForm, "/processes/avoin/commitments", form), "/commitments/")
	cid := strings.TrimPrefix(loc, "/commitments/")
	cm, err := ts.store.FindCommitment(adminContext(t, ts), mustID(t, cid))
	if err != nil || len(cm.Milestones) != 2 || len(cm.Sources.Ideas) != 2 || len(cm.Sources.Themes) != 1 || *cm.StartsOn != "2017-07-01" {
		t.Fatalf("created %+v %v", cm, err)
	}
	r = official.get(loc+"?lang=en").want(t, 200)
	pageHas(t, r, "Lasten ja nuorten osallisuus", "Draft", "Approve the commitment", `action="/milestones/`, "Lasten osallisuus", "/ideas/"+itoa(w.ideas[0])+"/trace")
	anon.get(loc).want(t, 200)
	if strings.Contains(string(anon.get(loc).body), "/approve") {
		t.Error("the public sees the officials' tools")
	}

	// Edit: a new version; the history page compares word by word.
	edit := official.get(loc+"/edit").want(t, 200)
	pageHas(t, edit, `value="Lasten ja nuorten osallisuus"`, `name="milestone_id_1" value="`+itoa(cm.Milestones[0].ID)+`"`, `value="2018-12-31"`)
	anon.get(loc+"/edit").want(t, 401)
	form = url.Values{
		"source_idea_ids": {itoa(w.ideas[0]), itoa(w.ideas[1])}, "source_theme_ids": {itoa(w.themes[0])},
		"title": {"Lisätään lasten ja nuorten osallisuutta"}, "problem": {"Lapsia ja nuoria ei kuulla."}, "lead_agency": {"OM"},
		"starts_on": {"2017-07-01"}, "ends_on": {"2019-06-30"}, "change_note": {"Lausuntojen pohjalta"},
		"milestone_id_1": {itoa(cm.Milestones[0].ID)}, "milestone_title_1": {"Lasten oikeuksien päivä"}, "milestone_due_1": {"2017-11-14"},
		"milestone_id_2": {itoa(cm.Milestones[1].ID)}, "milestone_title_2": {"TEAS-selvitys"}, "milestone_due_2": {"2018-12-31"},
		"milestone_title_3": {"Uusi välitavoite"}, "milestone_due_3": {"2019-05-31"},
	}
	seeOther(t, official.post(t, loc+"/edit", loc, form), loc)
	form.Set("ends_on", "2016-01-01")
	r = official.post(t, loc+"/edit", loc, form).want(t, 422)
	pageHas(t, r, `id="ends_on-error"`)
	r = anon.get(loc+"/versions?lang=en").want(t, 200)
	pageHas(t, r, "Lausuntojen pohjalta", "Changes from version 1 to version 2", `<del><span class="visually-hidden">[removed: </span>Lasten `,
		`<ins><span class="visually-hidden">[added: </span>Lisätään `, "Uusi välitavoite")
	anon.get(loc+"/versions?from=2&to=2&lang=en").want(t, 200)
	pageHas(t, anon.get(loc+"/versions?from=2&to=2&lang=en"), "No differences between these versions.")

	// Merge another draft into it, through the form; errors first.
	other, err := ts.store.CreateCommitment(officialCtx(t, ts), "avoin", participation.NewCommitment{
		CommitmentText: participation.CommitmentText{Title: "Haavoittuvat ryhmät"}, SourceIdeaIDs: []int64{w.ideas[3]}})
	if err != nil {
		t.Fatal(err)
	}
	otherLoc := "/commitments/" + itoa(other.ID)
	r = official.post(t, otherLoc, otherLoc+"/merge", url.Values{"into_id": {""}}).want(t, 422)
	pageHas(t, r, `href="#into_id"`, `id="into_id-error"`)
	seeOther(t, official.post(t, otherLoc, otherLoc+"/merge", url.Values{"into_id": {cid}, "merge_note": {"Yhdistetty"}}), otherLoc)
	r = anon.get(otherLoc+"?lang=en").want(t, 200)
	pageHas(t, r, "Merged", `href="/commitments/`+cid+`"`)
	r = official.post(t, otherLoc, otherLoc+"/approve", nil).want(t, 409)
	pageHas(t, r, `class="error-summary"`)
	official.get(otherLoc+"/edit").want(t, 409)

	// Approve, and set a milestone's status; a bad link is shown on the
	// milestone's own page.
	seeOther(t, official.post(t, loc, loc+"/approve", nil), loc)
	mid := itoa(cm.Milestones[0].ID)
	r = official.post(t, loc, "/milestones/"+mid, url.Values{"milestone_status": {"done"}, "evidence_links": {"not a link"}}).want(t, 422)
	pageHas(t, r, `id="evidence_links-error"`, `class="error-summary"`)
	seeOther(t, official.post(t, loc, "/milestones/"+mid, url.Values{"milestone_status": {"done"}, "milestone_note": {"Järjestettiin 14.11.2017"},
		"evidence_links": {"https://lapsiasia.fi\nhttps://www.mll.fi"}}), loc+"#milestone-"+mid)
	r = anon.get("/milestones/"+mid+"?lang=en").want(t, 200)
	pageHas(t, r, "Järjestettiin 14.11.2017", "https://www.mll.fi", "Status history")
	anon.get("/milestones/999999").want(t, 404)
	citizen.post(t, loc, "/milestones/"+mid, url.Values{"milestone_status": {"late"}}).want(t, 403)

	// The public pages, in every language.
	for _, lang := range []string{"fi", "sv", "en"} {
		for _, path := range []string{"/processes/avoin/commitments", "/processes/avoin/status", "/processes/avoin/report", loc,
			loc + "/versions", "/ideas/" + itoa(w.ideas[0]) + "/trace", "/processes/avoin"} {
			r := anon.get(path + "?lang=" + lang)
			if r.status != 200 || !strings.Contains(string(r.body), `<html lang="`+lang+`"`) {
				t.Errorf("GET %s in %s: %d", path, lang, r.status)
			}
		}
	}
	r = anon.get("/processes/avoin/report?lang=en")
	pageHas(t, r, "<svg", `role="img"`, "Milestones by status", `href="/api/v1/processes/avoin/report"`, "Ymmärrettävyys", "Completion (IRM)")
	r = anon.get("/processes/avoin/commitments?lang=en")
	pageHas(t, r, "Approved commitments", "Ymmärrettävyys", "Merged commitments", "Haavoittuvat ryhmät")
	pageHas(t, anon.get("/processes/avoin?lang=en"), `href="/processes/avoin/report"`, `href="/processes/avoin/status"`)
	pageHas(t, official.get("/processes/avoin?lang=en").want(t, 200), `href="/processes/avoin/drafting"`)
	anon.get("/processes/nope/report").want(t, 404)
	anon.get("/commitments/999999").want(t, 404)

	// Following through the trace page and the notifications page.
	trace := "/ideas/" + itoa(w.ideas[0]) + "/trace"
	seeOther(t, anon.post(t, "/login", "/ideas/"+itoa(w.ideas[0])+"/follow", url.Values{"next": {trace}}), "/login?next="+trace)
	seeOther(t, citizen.post(t, trace, "/ideas/"+itoa(w.ideas[0])+"/follow", url.Values{"next": {trace}}), trace)
	pageHas(t, citizen.get(trace+"?lang=en"), "You follow this idea.", "Lisätään lasten ja nuorten osallisuutta", "Done")
	seeOther(t, official.post(t, loc, "/milestones/"+itoa(cm.Milestones[1].ID), url.Values{"milestone_status": {"late"}}), loc)
	r = citizen.get("/notifications?lang=en").want(t, 200)
	pageHas(t, r, "is now: Late.", `class="nav-count">1<`, "Mark all as read")
	seeOther(t, citizen.post(t, "/notifications", "/notifications/read", nil), "/notifications")
	if strings.Contains(string(citizen.get("/notifications").body), "nav-count") {
		t.Error("unread count after reading")
	}
	seeOther(t, anon.get("/notifications"), "/login?next=/notifications")
	seeOther(t, citizen.post(t, loc, loc+"/follow", nil), loc)
	seeOther(t, citizen.post(t, loc, loc+"/unfollow", nil), loc)
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscan(s, &id); err != nil {
		t.Fatalf("id %q: %v", s, err)
	}
	return id
}

// officialCtx is a context signed in as the fixture's official.
func officialCtx(t *testing.T, ts *testServer) context.Context {
	t.Helper()
	sess, err := ts.store.CreateSession(context.Background(), "official@example.fi", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	return participation.NewContextWithAccount(context.Background(), sess.Account)
}
