package demo_test

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"slices"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
	"osallistu/participation/postgres/demo"
	"osallistu/participation/postgres/pgtest"
)

// TestNewsletterDigestOfDemoMonth builds the digest of March 2017 from the
// demo's records, through the periodic sweep, and compares it with what
// the demo's data says happened that month: the statement request's
// summary (10.3.2017) and the commitments approved (17.3.2017), nothing
// else. Nothing is sent before the subscription is confirmed, and after
// unsubscribing nothing more is.
func TestNewsletterDigestOfDemoMonth(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	if err := demo.Load(ctx, postgres.NewStore(db, nil), "", io.Discard); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2017, 3, 5, 12, 0, 0, 0, time.UTC)
	s := postgres.NewStore(db, func() time.Time { return now })
	if err := s.Subscribe(ctx, participation.NewSubscription{Email: "Tilaaja@Example.fi", Process: demo.Slug, Language: "en"}); err != nil {
		t.Fatal(err)
	}
	digests := func() []participation.Message {
		var rows []struct {
			Kind   string `db:"kind"`
			Params []byte `db:"params"`
		}
		if err := db.Select(&rows, `SELECT kind, params FROM outbox WHERE email = 'tilaaja@example.fi' ORDER BY id`); err != nil {
			t.Fatal(err)
		}
		var out []participation.Message
		for _, r := range rows {
			m := participation.Message{Kind: r.Kind}
			if err := json.Unmarshal(r.Params, &m.Params); err != nil {
				t.Fatal(err)
			}
			out = append(out, m)
		}
		return out
	}
	// Unconfirmed: April's sweep sends nothing but the confirmation.
	now = time.Date(2017, 4, 2, 8, 0, 0, 0, time.UTC)
	if n, err := s.SendDigests(ctx); err != nil || n != 0 {
		t.Fatalf("unconfirmed: %d digests, %v", n, err)
	}
	msgs := digests()
	if len(msgs) != 1 || msgs[0].Kind != participation.MessageSubscriptionConfirmation {
		t.Fatalf("before confirming: %+v", msgs)
	}
	// Confirmed in March: April's sweep sends March's digest, once.
	now = time.Date(2017, 3, 6, 8, 0, 0, 0, time.UTC)
	if _, err := s.ConfirmSubscription(ctx, msgs[0].Params.Token); err != nil {
		t.Fatal(err)
	}
	now = time.Date(2017, 4, 2, 8, 0, 0, 0, time.UTC)
	for i, want := range []int{1, 0} {
		if n, err := s.SendDigests(ctx); err != nil || n != want {
			t.Fatalf("sweep %d: %d digests, %v; want %d", i, n, err, want)
		}
	}
	msgs = digests()
	if len(msgs) != 2 || msgs[1].Kind != participation.MessageNewsletterDigest {
		t.Fatalf("after confirming: %+v", msgs)
	}
	d := msgs[1].Params.Digest
	if d.PeriodStart != "2017-03-01" || d.PeriodEnd != "2017-03-31" {
		t.Errorf("period %s–%s", d.PeriodStart, d.PeriodEnd)
	}
	// What the demo's data says happened in March 2017.
	var cs struct {
		ApprovedAt  time.Time `json:"approved_at"`
		Commitments []struct {
			Title        string                       `json:"title"`
			Translations map[string]map[string]string `json:"translations"`
			MergeInto    *int                         `json:"merge_into"`
		} `json:"drafts"`
	}
	raw, err := os.ReadFile("../../../sql/demo/commitments.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &cs); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, c := range cs.Commitments {
		if c.MergeInto == nil {
			title := c.Title
			if en := c.Translations["en"]["title"]; en != "" {
				title = en
			}
			want = append(want, participation.DigestCommitmentApproved+" "+title)
		}
	}
	var got []string
	for _, it := range d.Items {
		if it.Kind == participation.DigestResults {
			if it.StepKind != participation.StepStatementRequest || it.At.Format("2006-01-02") != "2017-03-10" {
				t.Errorf("results item %+v", it)
			}
			continue
		}
		if it.Kind == participation.DigestCommitmentApproved && !it.At.Equal(cs.ApprovedAt) {
			t.Errorf("approved at %s, want %s", it.At, cs.ApprovedAt)
		}
		got = append(got, it.Kind+" "+it.Title)
	}
	slices.Sort(want)
	slices.Sort(got)
	if len(want) != 7 || !slices.Equal(got, want) {
		t.Errorf("March 2017's items\n got %q\nwant %q", got, want)
	}
	if n := len(d.Items) - len(got); n != 1 {
		t.Errorf("%d results items, want the statement summary alone", n)
	}
	// The unsubscribe link ends it: May's sweep sends nothing more, and the
	// address is gone.
	if err := s.Unsubscribe(ctx, msgs[1].Params.Token); err != nil {
		t.Fatal(err)
	}
	now = time.Date(2017, 5, 2, 8, 0, 0, 0, time.UTC)
	if n, err := s.SendDigests(ctx); err != nil || n != 0 {
		t.Fatalf("after unsubscribing: %d digests, %v", n, err)
	}
	var left int
	if err := db.Get(&left, `SELECT count(*) FROM subscriptions`); err != nil || left != 0 {
		t.Errorf("%d subscriptions left, %v", left, err)
	}
	// A subscription never confirmed is deleted after its time, address,
	// confirmation and all.
	if err := s.Subscribe(ctx, participation.NewSubscription{Email: "ei.koskaan@example.fi", Language: "fi"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		after time.Duration
		left  int
	}{{participation.UnconfirmedSubscriptionLifetime - time.Hour, 1}, {participation.UnconfirmedSubscriptionLifetime + time.Hour, 0}} {
		now = time.Date(2017, 5, 2, 8, 0, 0, 0, time.UTC).Add(c.after)
		if _, err := s.SendDigests(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.Get(&left, `SELECT (SELECT count(*) FROM subscriptions) + (SELECT count(*) FROM outbox WHERE email = 'ei.koskaan@example.fi')`); err != nil || left != 2*c.left {
			t.Errorf("%s after subscribing: %d rows name the address, %v; want %d", c.after, left, err, 2*c.left)
		}
	}
}
