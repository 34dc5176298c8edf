package postgres_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"osallistu/participation"
)

// writers is how many requests write at once in the benchmarks below: as
// many as the load test of issue 14 had clients.
const writers = 16

// runWriters calls write from writers goroutines b.N times in all and
// reports the rate of writes per second under the given unit.
func runWriters(b *testing.B, unit string, write func(i int64) error) {
	b.SetParallelism((writers + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	var n atomic.Int64
	start := time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := write(n.Add(1)); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), unit)
}

// BenchmarkConcurrentWrites sends ideas into one open round, and comments
// onto one idea, from 16 goroutines at once, and checks that the round's
// and the idea's counts are exact afterwards:
// go test -run '^$' -bench ConcurrentWrites -benchtime 5s ./participation/postgres/
func BenchmarkConcurrentWrites(b *testing.B) {
	b.Run("Ideas", func(b *testing.B) {
		f := newIdeaFixture(b, false)
		citizen, _ := mustAccount(b, f.s, "citizen@example.fi")
		runWriters(b, "ideas/s", func(i int64) error {
			_, err := f.s.CreateIdea(citizen, f.round.ID, participation.NewIdea{
				Title: fmt.Sprintf("Idea %d", i), Body: "Avoimuutta kuntiin ja enemmän osallistumista"}, "fi")
			return err
		})
		r, err := f.s.FindIdeaRound(context.Background(), f.round.ID)
		if err != nil {
			b.Fatal(err)
		}
		if r.IdeaCount != b.N {
			b.Fatalf("round counts %d ideas, %d were sent", r.IdeaCount, b.N)
		}
	})
	b.Run("Comments", func(b *testing.B) {
		f := newIdeaFixture(b, false)
		citizen, _ := mustAccount(b, f.s, "citizen@example.fi")
		idea := f.idea(b, citizen, "Kirjastot auki", "Kirjastot auki myös sunnuntaisin")
		runWriters(b, "comments/s", func(i int64) error {
			_, err := f.s.CreateComment(citizen, idea.ID, participation.NewComment{
				Body: fmt.Sprintf("Kommentti %d: kirjastot ovat tärkeitä", i)}, "fi")
			return err
		})
		got, err := f.s.FindIdea(citizen, idea.ID)
		if err != nil {
			b.Fatal(err)
		}
		if got.Comments != b.N {
			b.Fatalf("idea counts %d comments, %d were sent", got.Comments, b.N)
		}
	})
}
