package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
)

// approvedMessage is a valid commitment_approved message to account on channel.
func approvedMessage(account int64, channel string) participation.Message {
	return participation.Message{AccountID: &account, Channel: channel, Kind: participation.MessageCommitmentApproved,
		SubjectKind: participation.SubjectCommitment, SubjectID: 42, Params: participation.MessageParams{Title: "Avoin data"}}
}

// emailTo is a commitment_approved email to an address without an account.
func emailTo(address, lang string) participation.Message {
	return participation.Message{Email: address, Channel: participation.ChannelEmail, Kind: participation.MessageCommitmentApproved,
		SubjectKind: participation.SubjectCommitment, SubjectID: 42, Lang: lang, Params: participation.MessageParams{Title: "Avoin data"}}
}

// outboxAdmin returns a context signed in as an admin (the same each time).
func outboxAdmin(t *testing.T, s *postgres.Store) context.Context {
	t.Helper()
	a, err := s.EnsureAdmin(context.Background(), "outbox-admin@example.fi", "correct horse battery", "Admin")
	if err != nil {
		t.Fatal(err)
	}
	return participation.NewContextWithAccount(context.Background(), a)
}

// allMessages lists the messages, newest first, as an admin sees them.
func allMessages(t *testing.T, s *postgres.Store, f participation.MessageFilter) ([]*participation.Message, int) {
	t.Helper()
	admin := outboxAdmin(t, s)
	if f.Limit == 0 {
		f.Limit = 100
	}
	list, total, err := s.FindMessages(admin, f)
	if err != nil {
		t.Fatal(err)
	}
	return list, total
}

func TestEnqueue(t *testing.T) {
	t.Parallel()
	s, clk := newStore(t)
	liisaCtx, liisa := mustAccount(t, s, "liisa@example.fi")
	_, matti := mustAccount(t, s, "matti@example.fi")
	ctx := context.Background()
	if err := s.SetMessageLanguage(liisaCtx, "sv"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetEmailNotifications(liisaCtx, true); err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		news := approvedMessage(0, "").ToAccounts([]int64{liisa.ID, matti.ID})
		ext := emailTo(" Ext@Example.FI ", "en")
		if err := s.Enqueue(ctx, append(news, ext)...); err != nil {
			t.Fatal(err)
		}
		list, total := allMessages(t, s, participation.MessageFilter{})
		// Matti has not asked for email: his news stays in the app.
		if total != 4 {
			t.Fatalf("%d messages: %+v", total, list)
		}
		got := map[string]*participation.Message{}
		for _, m := range list {
			key := m.Channel + " " + m.Address
			got[key] = m
		}
		for key, lang := range map[string]string{
			"in_app liisa@example.fi": "sv", "email liisa@example.fi": "sv", "in_app matti@example.fi": "fi", "email ext@example.fi": "en",
		} {
			m := got[key]
			if m == nil {
				t.Errorf("no %s message", key)
				continue
			}
			if m.Lang != lang || m.Params.Title != "Avoin data" || m.SubjectID != 42 || !m.CreatedAt.Equal(clk.t) {
				t.Errorf("%s: %+v", key, m)
			}
			if m.Channel == participation.ChannelEmail && (m.NextAttemptAt == nil || !m.NextAttemptAt.Equal(clk.t) || m.State() != participation.MessageWaiting) {
				t.Errorf("%s is not due at once: %+v", key, m)
			}
		}
		if m := got["email ext@example.fi"]; m != nil && (m.AccountID != nil || m.Email != "ext@example.fi") {
			t.Errorf("address message %+v", m)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, before := allMessages(t, s, participation.MessageFilter{})
		bad := approvedMessage(liisa.ID, participation.ChannelInApp)
		bad.Params.Title = ""
		err := s.Enqueue(ctx, approvedMessage(liisa.ID, participation.ChannelInApp), bad)
		wantCode(t, err, participation.EINVALID)
		wantCode(t, s.Enqueue(ctx, approvedMessage(999999, participation.ChannelInApp)), participation.EINVALID)
		if _, after := allMessages(t, s, participation.MessageFilter{}); after != before {
			t.Fatalf("a rejected batch wrote %d messages", after-before)
		}
	})
	t.Run("ErasedAccountGetsNothing", func(t *testing.T) {
		goneCtx, gone := mustAccount(t, s, "gone@example.fi")
		if err := s.EraseAccount(goneCtx); err != nil {
			t.Fatal(err)
		}
		_, before := allMessages(t, s, participation.MessageFilter{})
		if err := s.Enqueue(ctx, approvedMessage(gone.ID, participation.ChannelInApp)); err != nil {
			t.Fatal(err)
		}
		if _, after := allMessages(t, s, participation.MessageFilter{}); after != before {
			t.Fatal("an erased account got a message")
		}
	})
	t.Run("Nothing", func(t *testing.T) {
		if err := s.Enqueue(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestClaimDue(t *testing.T) {
	t.Parallel()
	s, clk := newStore(t)
	ctx := context.Background()
	accountCtx, account := mustAccount(t, s, "liisa@example.fi")
	if err := s.SetEmailNotifications(accountCtx, true); err != nil {
		t.Fatal(err)
	}
	if err := s.Enqueue(ctx, emailTo("a@example.fi", "fi"), approvedMessage(account.ID, participation.ChannelInApp),
		approvedMessage(account.ID, participation.ChannelEmail), emailTo("c@example.fi", "sv")); err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		got, err := s.ClaimDue(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Address != "a@example.fi" || got[1].Address != "liisa@example.fi" {
			t.Fatalf("claimed %+v", got)
		}
		for _, m := range got {
			if m.Channel != participation.ChannelEmail || m.Attempts != 1 || !m.NextAttemptAt.Equal(clk.t.Add(participation.OutboxLease)) {
				t.Errorf("claimed %+v", m)
			}
		}
		rest, err := s.ClaimDue(ctx, 10)
		if err != nil || len(rest) != 1 || rest[0].Address != "c@example.fi" || rest[0].Lang != "sv" {
			t.Fatalf("rest %+v %v", rest, err)
		}
		if none, err := s.ClaimDue(ctx, 10); err != nil || len(none) != 0 {
			t.Fatalf("claimed twice: %+v %v", none, err)
		}
	})
	t.Run("LeaseRunsOut", func(t *testing.T) {
		// A sender that claimed and died: after the lease, another sends.
		clk.t = clk.t.Add(participation.OutboxLease)
		again, err := s.ClaimDue(ctx, 10)
		if err != nil || len(again) != 3 || again[0].Attempts != 2 {
			t.Fatalf("after the lease %+v %v", again, err)
		}
	})
	t.Run("ErasedAccountHasNoAddress", func(t *testing.T) {
		clk.t = clk.t.Add(participation.OutboxLease)
		if err := s.Enqueue(ctx, approvedMessage(account.ID, participation.ChannelEmail)); err != nil {
			t.Fatal(err)
		}
		// The account's messages go with it; none is left to claim.
		if err := s.EraseAccount(accountCtx); err != nil {
			t.Fatal(err)
		}
		got, err := s.ClaimDue(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range got {
			if m.AccountID != nil {
				t.Fatalf("claimed an erased account's message %+v", m)
			}
		}
	})
}

func TestClaimDueConcurrently(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	var batch []participation.Message
	for range 60 {
		batch = append(batch, emailTo("many@example.fi", "fi"))
	}
	if err := s.Enqueue(ctx, batch...); err != nil {
		t.Fatal(err)
	}
	// Four senders claim at once, five at a time, until nothing is due:
	// every message is claimed exactly once.
	var mu sync.Mutex
	claimed := map[int64]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				got, err := s.ClaimDue(ctx, 5)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, m := range got {
					claimed[m.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(claimed) != 60 {
		t.Fatalf("%d of 60 claimed", len(claimed))
	}
	for id, n := range claimed {
		if n != 1 {
			t.Errorf("message %d claimed %d times", id, n)
		}
	}
}

func TestMarkSentAndFailed(t *testing.T) {
	t.Parallel()
	s, clk := newStore(t)
	ctx := context.Background()
	if err := s.Enqueue(ctx, emailTo("a@example.fi", "fi"), emailTo("b@example.fi", "fi")); err != nil {
		t.Fatal(err)
	}
	claimed, err := s.ClaimDue(ctx, 10)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claimed %+v %v", claimed, err)
	}
	a, b := claimed[0], claimed[1]
	find := func(id int64) *participation.Message {
		t.Helper()
		m, err := s.FindMessage(outboxAdmin(t, s), id)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}

	t.Run("Retry", func(t *testing.T) {
		if err := s.MarkFailed(ctx, a.ID, "421 try later", time.Minute); err != nil {
			t.Fatal(err)
		}
		m := find(a.ID)
		if m.State() != participation.MessageWaiting || m.LastError != "421 try later" || !m.NextAttemptAt.Equal(clk.t.Add(time.Minute)) {
			t.Fatalf("after a failure %+v", m)
		}
		if got, _ := s.ClaimDue(ctx, 10); len(got) != 0 {
			t.Fatalf("due before its time: %+v", got)
		}
		clk.t = clk.t.Add(time.Minute)
		if got, _ := s.ClaimDue(ctx, 10); len(got) != 1 || got[0].ID != a.ID || got[0].Attempts != 2 {
			t.Fatalf("not due after its time: %+v", got)
		}
	})
	t.Run("Sent", func(t *testing.T) {
		if err := s.MarkSent(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		m := find(a.ID)
		if m.State() != participation.MessageSent || !m.SentAt.Equal(clk.t) || m.LastError != "" || m.NextAttemptAt != nil {
			t.Fatalf("after sending %+v", m)
		}
		// A late failure report of another sender does not undo it.
		if err := s.MarkFailed(ctx, a.ID, "timeout", 0); err != nil {
			t.Fatal(err)
		}
		if m := find(a.ID); m.State() != participation.MessageSent || m.LastError != "" {
			t.Fatalf("a sent message failed: %+v", m)
		}
	})
	t.Run("GiveUp", func(t *testing.T) {
		if err := s.MarkFailed(ctx, b.ID, "550 no such user", 0); err != nil {
			t.Fatal(err)
		}
		m := find(b.ID)
		if m.State() != participation.MessageFailed || !m.FailedAt.Equal(clk.t) || m.NextAttemptAt != nil || m.LastError != "550 no such user" {
			t.Fatalf("given up %+v", m)
		}
		clk.t = clk.t.Add(24 * time.Hour)
		if got, _ := s.ClaimDue(ctx, 10); len(got) != 0 {
			t.Fatalf("a failed message is due: %+v", got)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		wantCode(t, s.MarkSent(ctx, 999999), participation.ENOTFOUND)
		wantCode(t, s.MarkFailed(ctx, 999999, "x", time.Minute), participation.ENOTFOUND)
		_, acc := mustAccount(t, s, "inapp@example.fi")
		if err := s.Enqueue(ctx, approvedMessage(acc.ID, participation.ChannelInApp)); err != nil {
			t.Fatal(err)
		}
		list, _ := allMessages(t, s, participation.MessageFilter{Channel: participation.ChannelInApp})
		wantCode(t, s.MarkSent(ctx, list[0].ID), participation.ENOTFOUND)
	})
}

func TestFindMessages(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	liisaCtx, liisa := mustAccount(t, s, "liisa@example.fi")
	var batch []participation.Message
	for range 3 {
		batch = append(batch, approvedMessage(liisa.ID, participation.ChannelInApp), emailTo("x@example.fi", "en"))
	}
	if err := s.Enqueue(ctx, batch...); err != nil {
		t.Fatal(err)
	}
	emails, err := s.ClaimDue(ctx, 10)
	if err != nil || len(emails) != 3 {
		t.Fatalf("claimed %v %v", emails, err)
	}
	if err := s.MarkSent(ctx, emails[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkFailed(ctx, emails[1].ID, "550", 0); err != nil {
		t.Fatal(err)
	}
	inApp, _, err := s.FindInAppMessages(liisaCtx, participation.InAppFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkRead(liisaCtx, []int64{inApp[0].ID}); err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		for _, tc := range []struct {
			f    participation.MessageFilter
			want int
		}{
			{participation.MessageFilter{}, 6},
			{participation.MessageFilter{Channel: participation.ChannelEmail}, 3},
			{participation.MessageFilter{State: participation.MessageWaiting}, 1},
			{participation.MessageFilter{State: participation.MessageSent}, 1},
			{participation.MessageFilter{State: participation.MessageFailed}, 1},
			{participation.MessageFilter{State: participation.MessageUnread}, 2},
			{participation.MessageFilter{State: participation.MessageRead}, 1},
			{participation.MessageFilter{State: participation.MessageRead, Channel: participation.ChannelEmail}, 0},
		} {
			list, total := allMessages(t, s, tc.f)
			if total != tc.want || len(list) != tc.want {
				t.Errorf("%+v: %d (%d listed), want %d", tc.f, total, len(list), tc.want)
			}
			for _, m := range list {
				if (tc.f.State != "" && m.State() != tc.f.State) || (tc.f.Channel != "" && m.Channel != tc.f.Channel) {
					t.Errorf("%+v listed %+v", tc.f, m)
				}
			}
		}
		page, total := allMessages(t, s, participation.MessageFilter{Limit: 4, Offset: 4})
		if total != 6 || len(page) != 2 || page[0].ID < page[1].ID {
			t.Fatalf("second page %d %+v", total, page)
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, _, err := s.FindMessages(liisaCtx, participation.MessageFilter{Limit: 10})
		wantCode(t, err, participation.EFORBIDDEN)
		_, _, err = s.FindMessages(ctx, participation.MessageFilter{Limit: 10})
		wantCode(t, err, participation.EUNAUTHENTICATED)
		_, err = s.FindMessage(liisaCtx, emails[0].ID)
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		admin := outboxAdmin(t, s)
		_, _, err := s.FindMessages(admin, participation.MessageFilter{State: "lost", Limit: 10})
		wantCode(t, err, participation.EINVALID)
		_, err = s.FindMessage(admin, 999999)
		wantCode(t, err, participation.ENOTFOUND)
	})
}

func TestInAppMessages(t *testing.T) {
	t.Parallel()
	s, clk := newStore(t)
	ctx := context.Background()
	liisaCtx, liisa := mustAccount(t, s, "liisa@example.fi")
	mattiCtx, matti := mustAccount(t, s, "matti@example.fi")
	if err := s.Enqueue(ctx, approvedMessage(liisa.ID, participation.ChannelInApp), approvedMessage(liisa.ID, participation.ChannelInApp),
		emailTo("liisa@example.fi", "fi"), approvedMessage(matti.ID, participation.ChannelInApp)); err != nil {
		t.Fatal(err)
	}

	t.Run("Find", func(t *testing.T) {
		list, total, err := s.FindInAppMessages(liisaCtx, participation.InAppFilter{Limit: 10})
		if err != nil || total != 2 || len(list) != 2 || list[0].ID < list[1].ID {
			t.Fatalf("liisa's %d %+v %v", total, list, err)
		}
		for _, m := range list {
			if m.Channel != participation.ChannelInApp || *m.AccountID != liisa.ID || m.ReadAt != nil {
				t.Errorf("message %+v", m)
			}
		}
		if page, total, _ := s.FindInAppMessages(liisaCtx, participation.InAppFilter{Limit: 1, Offset: 1}); total != 2 || len(page) != 1 || page[0].ID != list[1].ID {
			t.Fatalf("second page %+v", page)
		}
		_, _, err = s.FindInAppMessages(ctx, participation.InAppFilter{Limit: 10})
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
	t.Run("Read", func(t *testing.T) {
		list, _, _ := s.FindInAppMessages(liisaCtx, participation.InAppFilter{Limit: 10})
		unread, err := s.MarkRead(liisaCtx, []int64{list[0].ID})
		if err != nil || unread != 1 {
			t.Fatalf("unread %d %v", unread, err)
		}
		if got, total, _ := s.FindInAppMessages(liisaCtx, participation.InAppFilter{UnreadOnly: true, Limit: 10}); total != 1 || got[0].ID != list[1].ID {
			t.Fatalf("unread list %d %+v", total, got)
		}
		if read, _, _ := s.FindInAppMessages(liisaCtx, participation.InAppFilter{Limit: 1}); read[0].ReadAt == nil || !read[0].ReadAt.Equal(clk.t) {
			t.Fatalf("read %+v", read[0])
		}
		// Another's message is not marked by id.
		mattis, _, _ := s.FindInAppMessages(mattiCtx, participation.InAppFilter{Limit: 10})
		if _, err := s.MarkRead(liisaCtx, []int64{mattis[0].ID}); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountUnread(mattiCtx); n != 1 {
			t.Fatalf("matti's unread %d", n)
		}
		if unread, err := s.MarkRead(liisaCtx, nil); err != nil || unread != 0 {
			t.Fatalf("unread %d %v", unread, err)
		}
		if n, _ := s.CountUnread(liisaCtx); n != 0 {
			t.Fatalf("liisa's unread %d", n)
		}
		if n, err := s.CountUnread(ctx); n != 0 || err != nil {
			t.Fatalf("signed out has %d unread (%v)", n, err)
		}
		_, err = s.MarkRead(ctx, nil)
		wantCode(t, err, participation.EUNAUTHENTICATED)
		// An id below 1 is no id at all.
		_, err = s.MarkRead(liisaCtx, []int64{list[0].ID, 0})
		wantCode(t, err, participation.EINVALID)
	})
	t.Run("FollowNewsAreInAppMessages", func(t *testing.T) {
		// What the commitment code tells followers lands in the outbox, in
		// the follower's language, and reads back as an in-app message.
		if err := s.SetMessageLanguage(liisaCtx, "en"); err != nil {
			t.Fatal(err)
		}
		official, _ := mustAccount(t, s, "official@example.fi", "official")
		approver, _ := mustAccount(t, s, "approver@example.fi", "official")
		if _, err := s.CreateProcess(official, participation.NewProcess{Slug: "viestit", Title: "Viestit"}); err != nil {
			t.Fatal(err)
		}
		addOfficial(t, s, official, "viestit", "approver@example.fi")
		opens, closes := clk.t.Add(-time.Hour), clk.t.Add(time.Hour)
		round, err := s.CreateIdeaRound(official, "viestit", participation.NewIdeaRound{Title: "R", OpensAt: &opens, ClosesAt: &closes})
		if err != nil {
			t.Fatal(err)
		}
		idea, err := s.CreateIdea(official, round.ID, participation.NewIdea{Title: "Idea", Body: "Text"}, "fi")
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.CreateCommitment(official, "viestit", participation.NewCommitment{
			CommitmentText: participation.CommitmentText{Title: "Sitoumus"}, SourceIdeaIDs: []int64{idea.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Follow(liisaCtx, participation.FollowCommitment, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ApproveCommitment(approver, c.ID); err != nil {
			t.Fatal(err)
		}
		list, _, err := s.FindInAppMessages(liisaCtx, participation.InAppFilter{Limit: 1})
		if err != nil || len(list) != 1 {
			t.Fatalf("%+v %v", list, err)
		}
		m := list[0]
		if m.Kind != participation.MessageCommitmentApproved || m.SubjectKind != participation.SubjectCommitment || m.SubjectID != c.ID ||
			m.Params.Title != "Sitoumus" || m.Lang != "en" || m.ReadAt != nil {
			t.Fatalf("message %+v", m)
		}
		// Liisa has not asked for email: the news is in the app only.
		emails, _ := allMessages(t, s, participation.MessageFilter{Channel: participation.ChannelEmail})
		for _, e := range emails {
			if e.AccountID != nil && *e.AccountID == liisa.ID && e.SubjectID == c.ID {
				t.Fatalf("an email she did not ask for: %+v", e)
			}
		}
		if n, _ := s.CountUnread(liisaCtx); n != 1 {
			t.Fatalf("unread %d", n)
		}
	})
}

func TestMessageSettings(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx, _ := mustAccount(t, s, "liisa@example.fi")
	t.Run("OK", func(t *testing.T) {
		st, err := s.FindMessageSettings(ctx)
		if err != nil || st.Lang != "fi" || st.EmailNotifications {
			t.Fatalf("defaults %+v %v", st, err)
		}
		if err := s.SetEmailNotifications(ctx, true); err != nil {
			t.Fatal(err)
		}
		if err := s.SetMessageLanguage(ctx, "sv"); err != nil {
			t.Fatal(err)
		}
		if st, _ := s.FindMessageSettings(ctx); st.Lang != "sv" || !st.EmailNotifications {
			t.Fatalf("settings %+v", st)
		}
		if err := s.SetEmailNotifications(ctx, false); err != nil {
			t.Fatal(err)
		}
		if st, _ := s.FindMessageSettings(ctx); st.EmailNotifications {
			t.Fatalf("settings %+v", st)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		wantCode(t, s.SetMessageLanguage(ctx, "de"), participation.EINVALID)
	})
	t.Run("ErrUnauthenticated", func(t *testing.T) {
		wantCode(t, s.SetEmailNotifications(context.Background(), true), participation.EUNAUTHENTICATED)
		wantCode(t, s.SetMessageLanguage(context.Background(), "sv"), participation.EUNAUTHENTICATED)
		_, err := s.FindMessageSettings(context.Background())
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		goneCtx, _ := mustAccount(t, s, "gone@example.fi")
		if err := s.EraseAccount(goneCtx); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.SetEmailNotifications(goneCtx, true), participation.ENOTFOUND)
	})
}

//END
