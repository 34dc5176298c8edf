package server_test

import (
	"fmt"
	"testing"
)

// seedCommitments adds a process of n approved commitments to ts, straight
// in SQL: each with three milestones that carry a status report, and two
// of round's ideas as its sources. It returns the process's slug.
func seedCommitments(b *testing.B, ts *testServer, round string, n int) string {
	b.Helper()
	slug := fmt.Sprintf("report-%d", n)
	db := ts.store.DB()
	for _, st := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO processes (slug, title, description, created_at) VALUES ($1, $1, '', now())`, []any{slug}},
		{`INSERT INTO commitments (process_id, status, title, problem, description, lead_agency, starts_on, ends_on,
		                           created_at, updated_at, approved_at)
		  SELECT p.id, 'approved', 'Sitoumus ' || g, 'Ongelma ' || g, 'Mitä sitoumus tekee: ' || g, 'Valtiovarainministeriö',
		         '2017-07-01', '2019-06-30', now() - interval '1 day', now() - interval '1 day', now() - interval '1 day'
		  FROM processes p, generate_series(1, $2) g WHERE p.slug = $1`, []any{slug, n}},
		{`INSERT INTO milestones (commitment_id, origin_commitment_id, position, title, due, status, note, created_at, updated_at)
		  SELECT c.id, c.id, m, 'Välitavoite ' || m, date '2017-09-01' + m * 120,
		         (ARRAY['done', 'on_track', 'late'])[1 + (c.id + m) % 3], 'Etenee', now() - interval '1 day', now() - interval '1 hour'
		  FROM commitments c JOIN processes p ON p.id = c.process_id, generate_series(1, 3) m WHERE p.slug = $1`, []any{slug}},
		{`INSERT INTO milestone_changes (milestone_id, status, note, created_at)
		  SELECT m.id, m.status, m.note, m.updated_at
		  FROM milestones m JOIN commitments c ON c.id = m.commitment_id JOIN processes p ON p.id = c.process_id WHERE p.slug = $1`, []any{slug}},
		{`INSERT INTO commitment_sources (commitment_id, idea_id)
		  SELECT c.id, i.id FROM commitments c JOIN processes p ON p.id = c.process_id
		  JOIN LATERAL (SELECT id FROM ideas WHERE round_id = $2 ORDER BY id OFFSET (c.id * 2) % 90 LIMIT 2) i ON true
		  WHERE p.slug = $1`, []any{slug, round}},
		{`ANALYZE commitments; ANALYZE milestones; ANALYZE milestone_changes; ANALYZE commitment_sources`, nil},
	} {
		if _, err := db.Exec(st.sql, st.args...); err != nil {
			b.Fatalf("%s: %v", st.sql, err)
		}
	}
	return slug
}

// BenchmarkCostGrowth measures how a page's time grows with what it is
// about: the idea round page (newest first, most supported, page 250 or
// the last) at 100 and 10 000 ideas, and the self-assessment report at 10
// and 100 commitments. go test -run '^$' -bench CostGrowth -benchtime 600x ./server/
func BenchmarkCostGrowth(b *testing.B) {
	for _, ideas := range []int{100, 10000} {
		ts := newTestServer(b)
		round := seedRound(b, ts, ideas, 3*ideas)
		last := fmt.Sprint(min(5000, ideas-20))
		b.Run(fmt.Sprintf("RoundPage/ideas=%d", ideas), func(b *testing.B) {
			benchRequests(b, ts, "/idea-rounds/"+round, "/idea-rounds/"+round+"?sort=supports", "/idea-rounds/"+round+"?offset="+last)
		})
		commitments := map[int]int{100: 10, 10000: 100}[ideas]
		slug := seedCommitments(b, ts, round, commitments)
		b.Run(fmt.Sprintf("Report/commitments=%d", commitments), func(b *testing.B) {
			benchRequests(b, ts, "/processes/"+slug+"/report")
		})
	}
}
