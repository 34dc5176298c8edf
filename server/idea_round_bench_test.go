package server_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"osallistu/participation/postgres/seed"
)

// seedRound makes an open round and fills it with ideas and comments in
// bulk, straight in SQL (package seed).
func seedRound(b *testing.B, ts *testServer, ideas, comments int) string {
	b.Helper()
	official, _ := ts.signUp("official@example.fi", "official")
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "bench", "title": "Bench", "description": ""}, official).want(b, 201)
	now := time.Now().UTC()
	round := decode[ideaRoundJSON](b, ts.do("POST", "/api/v1/processes/bench/idea-rounds", map[string]any{
		"title": "Bench", "opens_at": now.Add(-time.Hour), "closes_at": now.Add(time.Hour), "allow_anonymous": true,
	}, official).want(b, 201)).ID
	if err := seed.Ideas(context.Background(), ts.store.DB(), round, ideas, comments, now); err != nil {
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
