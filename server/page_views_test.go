package server_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"osallistu/participation"
	"osallistu/participation/postgres"
	"osallistu/participation/postgres/pgtest"
)

// TestPageViews counts page views in memory and saves them when the
// server shuts down: a page opened from outside the site begins a visit,
// one opened from a link of the site does not, and what is no page (an
// API answer, a missing page, a form's post) is not counted.
func TestPageViews(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.do("GET", "/", nil, "").want(t, 200)
	ts.do("GET", "/accessibility", nil, "", "Referer", "https://www.google.com/search?q=osallistu").want(t, 200)
	ts.do("GET", "/", nil, "", "Referer", "http://example.com/processes").want(t, 200) // from the site itself
	ts.do("GET", "/api/v1/processes", nil, "").want(t, 200)
	ts.do("GET", "/no-such-page", nil, "").want(t, 404)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ts.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := ts.store.FindStatistics(context.Background(), participation.StatisticsFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	year := time.Now().In(participation.Helsinki).Year()
	var got *participation.YearStatistics
	for i := range st.Years {
		if st.Years[i].Year == year {
			got = &st.Years[i]
		}
	}
	if got == nil || got.PageViews != 3 || got.Visits != 2 {
		t.Fatalf("this year's figures %+v", got)
	}
}

// TestPageViewsWriteNothing: looking at pages writes nothing to the
// database (DESIGN.md: reading is free), whoever looks and whatever cookies
// they bring: PostgreSQL's counts of the rows inserted, updated and deleted
// in the test's database are the same after a round of every kind of page,
// each seen twice (a first view without the CSRF cookie, a second with it)
// by every kind of visitor, as before it.
func TestPageViewsWriteNothing(t *testing.T) {
	url := pgtest.NewURL(t)
	ts := newTestServerOn(t, url)
	w := newAPIWorld(t, ts)
	p := w.foreign
	id := func(key string) string { return itoa(p.ids[key]) }
	process, round, idea, commitment := "/processes/"+p.slug, "/idea-rounds/"+id("idea-rounds"), "/ideas/"+id("ideas"), "/commitments/"+id("commitments")
	request, survey, workshop := "/statement-requests/"+id("statement-requests"), "/surveys/"+id("surveys"), "/workshops/"+id("workshops")
	public := []string{"/", "/privacy", "/statistics", "/login", "/register", "/password/forgot", "/join",
		process, process + "/commitments", process + "/status", process + "/report",
		round, idea, idea + "/trace", "/themes/" + id("themes"), commitment, commitment + "/versions", "/milestones/" + id("milestones"),
		workshop, request, survey, "/surveys/" + id("surveys/results") + "/results", "/organisations", "/organisations/" + id("organisations")}
	signedIn := append(slices.Clone(public), "/account", "/notifications", round+"/ideas/new", idea+"/comments/new")
	respondent, participant := ts.client(""), ts.client("")
	respondent.cookies["osallistu_respondent"] = w.respondent
	participant.cookies["osallistu_participant"] = p.joined
	visitors := []struct {
		name   string
		client *pageClient
		pages  []string
	}{
		{"signed out", ts.client(""), public},
		{"an anonymous respondent", respondent, public},
		{"a workshop participant", participant, append(slices.Clone(public), "/vote")},
		{"a citizen", ts.client(w.tokens[actorCitizen]), signedIn},
		{"an organisation's member", ts.client(w.tokens[actorMember]), append(slices.Clone(signedIn), request+"/statement/submitted")},
		{"an official", ts.client(w.tokens[actorOfficial]), append(slices.Clone(signedIn), process+"/edit", round+"/group",
			workshop+"/control", workshop+"/projector", survey+"/progress", survey+"/edit", request+"/summary", "/moderation")},
		{"an admin", ts.client(w.tokens[actorAdmin]), append(slices.Clone(signedIn), "/admin/accounts", "/admin/outbox")},
	}

	stats, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer stats.Close()
	before := settledWrites(t, ts, stats)
	for _, v := range visitors {
		for _, page := range v.pages {
			for range 2 {
				if r := v.client.get(page); r.status != 200 {
					t.Errorf("%s: GET %s: status %d", v.name, page, r.status)
				}
			}
		}
	}
	if after := settledWrites(t, ts, stats); after != before {
		t.Errorf("the page views wrote to the database: rows inserted, updated, deleted %v before, %v after", before, after)
	}
}

// rowWrites are the rows inserted, updated and deleted in a database.
type rowWrites struct{ inserted, updated, deleted int64 }

// settledWrites returns the rows written so far in the test's database, by
// PostgreSQL's statistics, once they are complete. A backend adds its
// counts to them lazily: when it has been idle a while (at most a second,
// unless it finds them locked), and when it ends. So the server's pool
// connections are closed, to end their backends, and the counts are read
// until they have kept still for longer than an idle backend waits. The
// poll listener only listens, and stats only reads. The page views that
// the server adds to the database once a minute (pageViews) are left out:
// they are one write for many views, whenever the minute is up.
func settledWrites(t *testing.T, ts *testServer, stats *sqlx.DB) rowWrites {
	t.Helper()
	ts.store.DB().SetMaxIdleConns(0)
	defer ts.store.DB().SetMaxIdleConns(20)
	var last rowWrites
	still := time.Now()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		var now rowWrites
		if err := stats.QueryRow(`
			SELECT d.tup_inserted - t.n_tup_ins, d.tup_updated - t.n_tup_upd, d.tup_deleted - t.n_tup_del
			FROM pg_stat_database d, pg_stat_user_tables t
			WHERE d.datname = current_database() AND t.relname = 'page_views'`).Scan(&now.inserted, &now.updated, &now.deleted); err != nil {
			t.Fatal(err)
		}
		if now != last {
			last, still = now, time.Now()
		} else if time.Since(still) > 2*time.Second {
			return last
		}
	}
	t.Fatalf("the database's counts of written rows did not keep still: last %v", last)
	return last
}
