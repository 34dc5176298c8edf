package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"osallistu/participation"
)

// wallFixture is a workshop with an open collection and two participants.
type wallFixture struct {
	*workshopFixture
	col        *participation.Collection
	aino, eero *participation.Participant
}

func newWallFixture(t *testing.T) *wallFixture {
	t.Helper()
	f := &wallFixture{workshopFixture: newWorkshopFixture(t)}
	var err error
	if f.col, err = f.s.CreateCollection(f.official, f.w.ID, participation.NewCollection{Title: "Julkisuus"}); err != nil {
		t.Fatal(err)
	}
	f.aino, f.eero = f.join(t, "Aino"), f.join(t, "Eero")
	return f
}

func TestSubmitProposal(t *testing.T) {
	f := newWallFixture(t)
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		p, err := f.s.SubmitProposal(ctx, f.col.ID, f.aino.Token, participation.NewProposal{Body: " Asiakirjat verkkoon "})
		if err != nil || p.Body != "Asiakirjat verkkoon" || p.WorkshopID != f.w.ID || p.Supports != 0 {
			t.Fatal(p, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, body := range []string{"", "   ", string(make([]rune, participation.ProposalMax+1))} {
			_, err := f.s.SubmitProposal(ctx, f.col.ID, f.aino.Token, participation.NewProposal{Body: body})
			wantCode(t, err, participation.EINVALID)
		}
	})
	t.Run("ErrUnauthenticated", func(t *testing.T) {
		_, err := f.s.SubmitProposal(ctx, f.col.ID, "unknown", participation.NewProposal{Body: "X"})
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.SubmitProposal(ctx, 99999, f.aino.Token, participation.NewProposal{Body: "X"})
		wantCode(t, err, participation.ENOTFOUND)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := f.s.SubmitProposal(ctx, f.col.ID, f.stranger(t).Token, participation.NewProposal{Body: "X"})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrRateLimited", func(t *testing.T) {
		pace := f.join(t, "Pace")
		for i := range participation.ProposalsPerMinute {
			if _, err := f.s.SubmitProposal(ctx, f.col.ID, pace.Token, participation.NewProposal{Body: fmt.Sprint("Ehdotus ", i)}); err != nil {
				t.Fatal(err)
			}
		}
		_, err := f.s.SubmitProposal(ctx, f.col.ID, pace.Token, participation.NewProposal{Body: "Liikaa"})
		wantCode(t, err, participation.ERATELIMITED)
		// A minute later the pace allows more, up to the collection's limit.
		for i := participation.ProposalsPerMinute; i < participation.ProposalsPerCollection; i++ {
			if i%participation.ProposalsPerMinute == 0 {
				f.clk.t = f.clk.t.Add(time.Minute + time.Second)
			}
			if _, err := f.s.SubmitProposal(ctx, f.col.ID, pace.Token, participation.NewProposal{Body: fmt.Sprint("Ehdotus ", i)}); err != nil {
				t.Fatal(i, err)
			}
		}
		f.clk.t = f.clk.t.Add(time.Hour)
		_, err = f.s.SubmitProposal(ctx, f.col.ID, pace.Token, participation.NewProposal{Body: "Yli rajan"})
		wantCode(t, err, participation.ERATELIMITED)
	})
	t.Run("ErrClosed", func(t *testing.T) {
		if _, err := f.s.CloseCollection(f.official, f.col.ID); err != nil {
			t.Fatal(err)
		}
		_, err := f.s.SubmitProposal(ctx, f.col.ID, f.aino.Token, participation.NewProposal{Body: "Myöhässä"})
		wantCode(t, err, participation.ECLOSED)
	})
}

func TestSupportAndHideProposal(t *testing.T) {
	f := newWallFixture(t)
	ctx := context.Background()
	p, err := f.s.SubmitProposal(ctx, f.col.ID, f.aino.Token, participation.NewProposal{Body: "Selkokieli"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK once each", func(t *testing.T) {
		for range 3 {
			got, err := f.s.SupportProposal(ctx, p.ID, f.eero.Token)
			if err != nil || got.Supports != 1 {
				t.Fatalf("supports %v %v", got, err)
			}
		}
		got, err := f.s.SupportProposal(ctx, p.ID, f.aino.Token)
		if err != nil || got.Supports != 2 {
			t.Fatalf("supports %v %v", got, err)
		}
	})
	t.Run("ErrForbidden for a citizen hiding", func(t *testing.T) {
		citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
		_, err := f.s.HideProposal(citizen, p.ID, participation.ProposalHide{Reason: "Asiaton"})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("hidden: off the wall, kept for officials", func(t *testing.T) {
		_, err := f.s.HideProposal(f.official, p.ID, participation.ProposalHide{Reason: ""})
		wantCode(t, err, participation.EINVALID)
		if _, err := f.s.HideProposal(f.official, p.ID, participation.ProposalHide{Reason: "Asiaton"}); err != nil {
			t.Fatal(err)
		}
		walls, err := f.s.FindWalls(ctx, []int64{f.w.ID})
		if err != nil || len(walls) != 1 || len(walls[0].Collections[0].Proposals) != 0 {
			t.Fatalf("public wall %+v %v", walls, err)
		}
		w, err := f.s.FindWall(f.official, f.w.ID)
		if err != nil || len(w.Collections[0].Proposals) != 1 || !w.Collections[0].Proposals[0].IsHidden() ||
			*w.Collections[0].Proposals[0].HiddenReason != "Asiaton" {
			t.Fatalf("official's wall %+v %v", w, err)
		}
		log, _, err := f.s.FindModerationLog(f.official, 10, 0)
		if err != nil || len(log) != 1 || log[0].Kind != participation.KindProposal || log[0].ItemID != p.ID || log[0].Reason != "Asiaton" {
			t.Fatalf("moderation log %+v %v", log, err)
		}
		// Hiding again changes nothing, and logs nothing.
		if _, err := f.s.HideProposal(f.official, p.ID, participation.ProposalHide{Reason: "Toistamiseen"}); err != nil {
			t.Fatal(err)
		}
		if log, _, _ := f.s.FindModerationLog(f.official, 10, 0); len(log) != 1 {
			t.Errorf("a second hide logged: %+v", log)
		}
		_, err = f.s.SupportProposal(ctx, p.ID, f.eero.Token)
		wantCode(t, err, participation.ENOTFOUND)
		_, err = f.s.ProposalToCommitment(f.official, p.ID, participation.ProposalToCommitment{})
		wantCode(t, err, participation.ECONFLICT)
	})
}

func TestProposalToCommitment(t *testing.T) {
	f := newWallFixture(t)
	ctx := context.Background()
	p, err := f.s.SubmitProposal(ctx, f.col.ID, f.aino.Token, participation.NewProposal{Body: "Avoin maakunta"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ErrInvalid for another process's commitment", func(t *testing.T) {
		_, err := f.s.ProposalToCommitment(f.official, p.ID, participation.ProposalToCommitment{CommitmentID: ptr(int64(99999))})
		wantCode(t, err, participation.EINVALID)
	})
	t.Run("OK, and the commitment's trace names the workshop", func(t *testing.T) {
		got, err := f.s.ProposalToCommitment(f.official, p.ID, participation.ProposalToCommitment{})
		if err != nil || got.CommitmentID == nil {
			t.Fatal(got, err)
		}
		c, err := f.s.FindCommitment(f.official, *got.CommitmentID)
		if err != nil || c.Title != "Avoin maakunta" || c.Status != participation.CommitmentDraft {
			t.Fatal(c, err)
		}
		src, err := f.s.FindProposalSources(ctx, c.ID)
		if err != nil || len(src) != 1 || src[0].ProposalID != p.ID || src[0].WorkshopID != f.w.ID || !src[0].WorkshopDate.Equal(f.w.StartsAt) {
			t.Fatalf("sources %+v %v", src, err)
		}
	})
	t.Run("ErrConflict the second time", func(t *testing.T) {
		_, err := f.s.ProposalToCommitment(f.official, p.ID, participation.ProposalToCommitment{})
		wantCode(t, err, participation.ECONFLICT)
	})
}
