package server_test

import (
	"fmt"
	"net/http/httptest"
	"slices"
	"testing"
	"time"
)

// seedRound fills an open round with ideas and comments in bulk, straight
// in SQL: realistic Finnish and Swedish sentences from a small vocabulary,
// so that searches hit a few hundred ideas as real ones would.
func seedRound(b *testing.B, ts *testServer, ideas, comments int) string {
	b.Helper()
	official, _ := ts.signUp("official@example.fi", "official")
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "bench", "title": "Bench", "description": ""}, official).want(b, 201)
	now := time.Now().UTC()
	round := decode[ideaRoundJSON](b, ts.do("POST", "/api/v1/processes/bench/idea-rounds", map[string]any{
		"title": "Bench", "opens_at": now.Add(-time.Hour), "closes_at": now.Add(time.Hour), "allow_anonymous": true,
	}, official).want(b, 201)).ID
	db := ts.store.DB()
	const words = `ARRAY['kunnat','kirjastot','avoin','data','päätökset','verkossa','osallistuminen','nuoret','selkokieli',
		'viranomaiset','palvelut','digitaaliset','hallinto','kansalaiset','avoimuus','tiedot','julkaistaan','kouluissa',
		'kommuner','öppenhet','beslut','bibliotek','unga','tjänster','medborgare','förvaltning']`
	if _, err := db.Exec(`
		INSERT INTO ideas (round_id, title, body, author_name, municipality, language, supports, created_at)
		SELECT $1,
		       'Idea ' || g || ': ' || w[1 + g % 26] || ' ' || w[1 + (g * 7) % 26],
		       'Ehdotan että ' || w[1 + (g * 3) % 26] || ' ja ' || w[1 + (g * 5) % 26] || ' sekä ' || w[1 + (g * 11) % 26] || '.',
		       CASE WHEN g % 3 = 0 THEN 'Osallistuja ' || g END, NULL, CASE WHEN g % 5 = 0 THEN 'sv' ELSE 'fi' END,
		       g % 17, $2::timestamptz - g * interval '1 minute'
		FROM generate_series(1, $3) g, (SELECT `+words+` AS w) v`, round, now, ideas); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`
		INSERT INTO comments (idea_id, body, language, created_at)
		SELECT i.id, 'Kommentti: ' || w[1 + g % 26] || ' ' || w[1 + (g * 13) % 26], 'fi', $2
		FROM generate_series(1, $3) g
		JOIN LATERAL (SELECT id FROM ideas WHERE round_id = $1 ORDER BY id OFFSET (g % $4) LIMIT 1) i ON true,
		     (SELECT `+words+` AS w) v`, round, now, comments, ideas); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO idea_round_counts (round_id, shard, n) VALUES ($1, 0, $2)`, round, ideas); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`
		INSERT INTO idea_comment_counts (idea_id, shard, n)
		SELECT c.idea_id, 0, count(*) FROM comments c JOIN ideas i ON i.id = c.idea_id WHERE i.round_id = $1 GROUP BY c.idea_id`, round); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`ANALYZE ideas; ANALYZE comments`); err != nil {
		b.Fatal(err)
	}
	return fmt.Sprint(round)
}

// benchRequests sends each path in turn b.N times through the app and
// reports the server-side latency percentiles.
func benchRequests(b *testing.B, ts *testServer, paths ...string) {
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest("GET", paths[i%len(paths)], nil)
		start := time.Now()
		res, err := ts.App.Test(req, -1)
		durations = append(durations, time.Since(start))
		if err != nil || res.StatusCode != 200 {
			b.Fatalf("%s: %v %v", paths[i%len(paths)], err, res.StatusCode)
		}
		res.Body.Close()
	}
	b.StopTimer()
	slices.Sort(durations)
	pct := func(p float64) float64 {
		return float64(durations[int(p*float64(len(durations)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// BenchmarkIdeaRound measures the round page and the ideas list with 10 000
// ideas and 30 000 comments: go test -run '^$' -bench IdeaRound ./server/
func BenchmarkIdeaRound(b *testing.B) {
	ts := newTestServer(b)
	round := seedRound(b, ts, 10000, 30000)
	b.Run("Page", func(b *testing.B) {
		benchRequests(b, ts, "/idea-rounds/"+round, "/idea-rounds/"+round+"?sort=supports", "/idea-rounds/"+round+"?offset=5000")
	})
	b.Run("List", func(b *testing.B) {
		benchRequests(b, ts, "/api/v1/idea-rounds/"+round+"/ideas", "/api/v1/idea-rounds/"+round+"/ideas?sort=supports&offset=200")
	})
	b.Run("Search", func(b *testing.B) {
		benchRequests(b, ts, "/api/v1/idea-rounds/"+round+"/ideas?q=kirjastojen",
			"/api/v1/idea-rounds/"+round+"/ideas?q=avoimet+p%C3%A4%C3%A4t%C3%B6kset", "/api/v1/idea-rounds/"+round+"/ideas?q=kommunerna",
			"/idea-rounds/"+round+"?q=nuorten+palvelut")
	})
}
