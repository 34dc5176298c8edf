package postgres_test

import (
	"context"
	"sync/atomic"
	"testing"

	"osallistu/participation"
)

func TestFollowAndNotifications(t *testing.T) {
	t.Parallel()
	f := newCommitmentFixture(t)
	liisa, liisaAccount := mustAccount(t, f.s, "liisa@example.fi")
	matti, _ := mustAccount(t, f.s, "matti@example.fi")
	idea := f.ideas[1] // in themes[1]

	t.Run("Follow", func(t *testing.T) {
		for range 2 { // repeating is harmless
			if err := f.s.Follow(liisa, participation.FollowIdea, idea.ID); err != nil {
				t.Fatal(err)
			}
		}
		if ok, err := f.s.IsFollowing(liisa, participation.FollowIdea, idea.ID); err != nil || !ok {
			t.Fatalf("following %v %v", ok, err)
		}
		if ok, _ := f.s.IsFollowing(context.Background(), participation.FollowIdea, idea.ID); ok {
			t.Fatal("signed out follows")
		}
		wantCode(t, f.s.Follow(context.Background(), participation.FollowIdea, idea.ID), participation.EUNAUTHENTICATED)
		wantCode(t, f.s.Follow(liisa, participation.FollowIdea, 999999), participation.ENOTFOUND)
		wantCode(t, f.s.Follow(liisa, participation.FollowCommitment, 999999), participation.ENOTFOUND)
		wantCode(t, f.s.Follow(liisa, "theme", f.themes[0].ID), participation.ENOTFOUND)
	})

	// The commitment comes from the idea's theme, not the idea itself.
	c := f.draft(t, "Julkisuuslakiosaaminen", nil, []int64{f.themes[1].ID}, ms("Kurssit", "Muistilista")...)
	unrelated := f.draft(t, "Muu", []int64{f.ideas[0].ID}, nil, ms("Muu välitavoite")...)
	if err := f.s.Follow(matti, participation.FollowCommitment, c.ID); err != nil {
		t.Fatal(err)
	}
	// The official who acts follows too, and is not told of their own change.
	if err := f.s.Follow(f.official, participation.FollowCommitment, c.ID); err != nil {
		t.Fatal(err)
	}

	t.Run("OnApprove", func(t *testing.T) {
		if _, err := f.s.ApproveCommitment(f.official, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.ApproveCommitment(f.official, unrelated.ID); err != nil {
			t.Fatal(err)
		}
		list, total, err := f.s.FindInAppMessages(liisa, participation.InAppFilter{Limit: 10})
		// The subject, whose page the server links to: the commitment, no milestone.
		if err != nil || total != 1 || list[0].Kind != participation.MessageCommitmentApproved || list[0].SubjectID != c.ID ||
			list[0].Params.Title != c.Title || list[0].SubjectKind != participation.SubjectCommitment || list[0].Params.MilestoneID != 0 ||
			list[0].ReadAt != nil || list[0].Channel != participation.ChannelInApp {
			t.Fatalf("liisa's %d %+v %v", total, list, err)
		}
		if _, total, _ := f.s.FindInAppMessages(matti, participation.InAppFilter{Limit: 10}); total != 1 {
			t.Fatalf("matti's %d", total)
		}
		if _, total, _ := f.s.FindInAppMessages(f.official, participation.InAppFilter{Limit: 10}); total != 0 {
			t.Fatalf("the official was told of their own approval: %d", total)
		}
	})
	t.Run("OnMilestoneStatus", func(t *testing.T) {
		m := c.Milestones[1]
		if _, err := f.s.UpdateMilestone(f.official, m.ID, participation.MilestoneUpdate{Status: "on_track"}); err != nil {
			t.Fatal(err)
		}
		// A note without a change of status tells nobody.
		if _, err := f.s.UpdateMilestone(f.official, m.ID, participation.MilestoneUpdate{Status: "on_track", Note: ptr("Kurssit käynnissä")}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.UpdateMilestone(f.official, unrelated.Milestones[0].ID, participation.MilestoneUpdate{Status: "done"}); err != nil {
			t.Fatal(err)
		}
		list, total, err := f.s.FindInAppMessages(liisa, participation.InAppFilter{Limit: 10})
		if err != nil || total != 2 {
			t.Fatalf("liisa's %d %v", total, err)
		}
		n := list[0]
		if n.Kind != participation.MessageMilestoneStatus || n.Params.MilestoneID != m.ID || n.Params.MilestoneTitle != "Muistilista" || n.Params.Status != "on_track" ||
			n.SubjectKind != participation.SubjectCommitment || n.SubjectID != c.ID {
			t.Fatalf("notification %+v", n)
		}
		if n, _ := f.s.CountUnread(matti); n != 2 {
			t.Fatalf("matti's unread %d", n)
		}
	})
	t.Run("MergedFollowersHearOfTheTarget", func(t *testing.T) {
		// Someone following a draft that is merged hears of the target's milestones.
		drop := f.draft(t, "Yhdistyvä", nil, nil)
		pekka, _ := mustAccount(t, f.s, "pekka@example.fi")
		if err := f.s.Follow(pekka, participation.FollowCommitment, drop.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.MergeCommitment(f.official, drop.ID, participation.Merge{IntoID: &c.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.UpdateMilestone(f.official, c.Milestones[0].ID, participation.MilestoneUpdate{Status: "late"}); err != nil {
			t.Fatal(err)
		}
		if n, _ := f.s.CountUnread(pekka); n != 1 {
			t.Fatalf("pekka's unread %d", n)
		}
	})
	t.Run("TwiceMergedFollowersHearOfTheEnd", func(t *testing.T) {
		// X is merged into Y and Y into c: whoever follows X, or an idea
		// that fed X alone, hears of c.
		x := f.draft(t, "X", []int64{f.ideas[6].ID}, nil)
		y := f.draft(t, "Y", nil, nil)
		aino, _ := mustAccount(t, f.s, "aino@example.fi")
		eero, _ := mustAccount(t, f.s, "eero@example.fi")
		if err := f.s.Follow(aino, participation.FollowCommitment, x.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Follow(eero, participation.FollowIdea, f.ideas[6].ID); err != nil {
			t.Fatal(err)
		}
		for _, m := range [][2]int64{{x.ID, y.ID}, {y.ID, c.ID}} {
			if _, err := f.s.MergeCommitment(f.official, m[0], participation.Merge{IntoID: &m[1]}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.s.UpdateMilestone(f.official, c.Milestones[0].ID, participation.MilestoneUpdate{Status: "on_track"}); err != nil {
			t.Fatal(err)
		}
		for name, ctx := range map[string]context.Context{"aino": aino, "eero": eero} {
			list, total, err := f.s.FindInAppMessages(ctx, participation.InAppFilter{Limit: 10})
			if err != nil || total != 1 || list[0].SubjectID != c.ID {
				t.Fatalf("%s's %d %+v %v", name, total, list, err)
			}
		}
	})
	t.Run("Read", func(t *testing.T) {
		list, _, _ := f.s.FindInAppMessages(liisa, participation.InAppFilter{Limit: 10})
		unread, err := f.s.MarkRead(liisa, []int64{list[0].ID})
		if err != nil || unread != len(list)-1 {
			t.Fatalf("unread %d of %d %v", unread, len(list), err)
		}
		if _, total, _ := f.s.FindInAppMessages(liisa, participation.InAppFilter{UnreadOnly: true, Limit: 10}); total != unread {
			t.Fatalf("unread list %d", total)
		}
		// Another's notification is not marked by id.
		mattis, _, _ := f.s.FindInAppMessages(matti, participation.InAppFilter{Limit: 10})
		if _, err := f.s.MarkRead(liisa, []int64{mattis[0].ID}); err != nil {
			t.Fatal(err)
		}
		if n, _ := f.s.CountUnread(matti); n != len(mattis) {
			t.Fatalf("matti's unread %d", n)
		}
		if unread, err := f.s.MarkRead(liisa, nil); err != nil || unread != 0 {
			t.Fatalf("unread %d %v", unread, err)
		}
		if n, _ := f.s.CountUnread(context.Background()); n != 0 {
			t.Fatal("signed out has notifications")
		}
		_, _, err = f.s.FindInAppMessages(context.Background(), participation.InAppFilter{Limit: 10})
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
	t.Run("Unfollow", func(t *testing.T) {
		if err := f.s.Unfollow(liisa, participation.FollowIdea, idea.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.UpdateMilestone(f.official, c.Milestones[0].ID, participation.MilestoneUpdate{Status: "done"}); err != nil {
			t.Fatal(err)
		}
		if n, _ := f.s.CountUnread(liisa); n != 0 {
			t.Fatalf("told after unfollowing: %d", n)
		}
	})
	t.Run("Erase", func(t *testing.T) {
		if err := f.s.Follow(liisa, participation.FollowCommitment, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.UpdateMilestone(f.official, c.Milestones[0].ID, participation.MilestoneUpdate{Status: "on_track"}); err != nil {
			t.Fatal(err)
		}
		if err := f.s.EraseAccount(liisa); err != nil {
			t.Fatal(err)
		}
		var left int
		if err := f.s.DB().Get(&left, `SELECT (SELECT count(*) FROM follows WHERE account_id = $1) + (SELECT count(*) FROM outbox WHERE account_id = $1)`,
			liisaAccount.ID); err != nil || left != 0 {
			t.Fatalf("%d follows and notifications left after erasure: %v", left, err)
		}
	})
}

// TestFollowNewsByEmail: a follower who asked for email gets the news by
// email as well, in their language, in the change's transaction; one who
// did not gets it in the app only. The store's OnEmail hook hears of each
// commit that wrote an email, and of no other.
func TestFollowNewsByEmail(t *testing.T) {
	t.Parallel()
	f := newCommitmentFixture(t)
	var pokes atomic.Int32
	f.s.OnEmail(func() { pokes.Add(1) })
	liisa, liisaAccount := mustAccount(t, f.s, "liisa@example.fi")
	matti, mattiAccount := mustAccount(t, f.s, "matti@example.fi")
	c := f.draft(t, "Avoin data", nil, nil, ms("Kurssit")...)
	for ctx, lang := range map[context.Context]string{liisa: "sv", matti: "en"} {
		if err := f.s.SetMessageLanguage(ctx, lang); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Follow(ctx, participation.FollowCommitment, c.ID); err != nil {
			t.Fatal(err)
		}
	}
	admin := outboxAdmin(t, f.s)
	emailsOf := func(account int64) []*participation.Message {
		list, _, err := f.s.FindMessages(admin, participation.MessageFilter{Channel: participation.ChannelEmail, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var out []*participation.Message
		for _, m := range list {
			if m.AccountID != nil && *m.AccountID == account {
				out = append(out, m)
			}
		}
		return out
	}

	t.Run("InAppOnlyWithoutAsking", func(t *testing.T) {
		if _, err := f.s.ApproveCommitment(f.official, c.ID); err != nil {
			t.Fatal(err)
		}
		if n := pokes.Load(); n != 0 {
			t.Fatalf("poked %d times for in-app messages", n)
		}
		if got := emailsOf(liisaAccount.ID); len(got) != 0 {
			t.Fatalf("emails %+v", got)
		}
	})
	t.Run("EmailWhenAsked", func(t *testing.T) {
		if err := f.s.SetEmailNotifications(liisa, true); err != nil {
			t.Fatal(err)
		}
		m := c.Milestones[0]
		if _, err := f.s.UpdateMilestone(f.official, m.ID, participation.MilestoneUpdate{Status: participation.MilestoneLate}); err != nil {
			t.Fatal(err)
		}
		if n := pokes.Load(); n != 1 {
			t.Fatalf("poked %d times, want once", n)
		}
		got := emailsOf(liisaAccount.ID)
		if len(got) != 1 {
			t.Fatalf("liisa's emails %+v", got)
		}
		e := got[0]
		if e.Kind != participation.MessageMilestoneStatus || e.Lang != "sv" || e.Address != "liisa@example.fi" || e.SubjectID != c.ID ||
			e.Params.MilestoneID != m.ID || e.Params.Status != participation.MilestoneLate || e.State() != participation.MessageWaiting {
			t.Fatalf("email %+v", e)
		}
		if got := emailsOf(mattiAccount.ID); len(got) != 0 {
			t.Fatalf("matti's emails %+v", got)
		}
		for ctx, lang := range map[context.Context]string{liisa: "sv", matti: "en"} {
			list, total, err := f.s.FindInAppMessages(ctx, participation.InAppFilter{Limit: 10})
			if err != nil || total != 2 || list[0].Kind != participation.MessageMilestoneStatus || list[0].Lang != lang {
				t.Fatalf("in-app %d %+v %v", total, list, err)
			}
		}
	})
}
