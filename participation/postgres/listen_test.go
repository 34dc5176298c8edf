package postgres_test

import (
	"context"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
	"osallistu/participation/postgres/pgtest"
)

func TestUpdateWorkshopAndListener(t *testing.T) {
	url := pgtest.NewURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	l, err := postgres.NewListener(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	s := postgres.NewStore(db, nil)
	official, _ := mustAccount(t, s, "official@example.fi", "official")
	if _, err := s.CreateProcess(official, participation.NewProcess{Slug: "avoin", Title: "Avoin"}); err != nil {
		t.Fatal(err)
	}
	starts := time.Now()
	w, err := s.CreateWorkshop(official, "avoin", participation.NewWorkshop{Title: "W", StartsAt: &starts})
	if err != nil {
		t.Fatal(err)
	}
	off := false
	got, err := s.UpdateWorkshop(official, w.ID, participation.WorkshopUpdate{ShowResultsLive: &off})
	if err != nil || got.ShowResultsLive {
		t.Fatalf("update %+v %v", got, err)
	}
	_, err = s.UpdateWorkshop(official, 999, participation.WorkshopUpdate{ShowResultsLive: &off})
	wantCode(t, err, participation.ENOTFOUND)
	p, err := s.CreatePoll(official, w.ID, participation.NewPoll{Question: "Q", MaxChoices: ptr(1), Options: []participation.NewPollOption{{Label: "A"}, {Label: "B"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []participation.PollChange{{WorkshopID: w.ID}, {WorkshopID: w.ID, PollID: p.ID}} {
		select {
		case ev := <-l.Events():
			if ev == nil || *ev != want {
				t.Fatalf("event %+v, want %+v", ev, want)
			}
		case <-ctx.Done():
			t.Fatal("no event")
		}
	}
}
