// Package demo loads the demo process: Finland's Open Government action
// plan 2017–2019 as the platform would have carried it, step by step at the
// real dates of the mid-term self-assessment (2018): the idea round, the
// opening workshop, the discussion, the commitment drafts, the second
// workshop's idea wall with the goals that became them, the survey, the
// statement request, the merges and approval, and the status review.
//
// The steps, dates, themes, commitments and statuses follow the
// self-assessment; the individual ideas, comments, responses and statements
// are illustrative, written for the demo. The data is sql/demo/*.json, one
// file per step; each step's loader is the file of the same name here.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
	schema "osallistu/sql"
)

// Slug is the address of the demo process.
const Slug = "avoin-hallinto-2017-2019"

// processData is sql/demo/process.json: the demo's official, its process,
// and where its people say they live.
type processData struct {
	Official participation.NewAccount `json:"official"`
	Process  participation.NewProcess `json:"process"`
	// CreatedAt is when the official opened the process, before its first step.
	CreatedAt time.Time `json:"created_at"`
	// Municipalities is the reach of the workshop and the survey: people
	// are given these in turn, so a name given twice is twice as common.
	Municipalities []string `json:"municipalities"`
}

// loader carries the demo through its steps: the store on the demo's own
// clock, the official's context, and the ids each step leaves for the next.
type loader struct {
	ctx      context.Context // nobody signed in
	official context.Context // the demo's official signed in
	store    *postgres.Store
	now      time.Time
	process  processData
	// The idea round and its themes with their workshop votes; the
	// discussion's themes and ideas by theme (the commitments' sources);
	// the drafts in data order.
	roundID         int64
	themeIDs        []int64
	workshopVotes   []int
	discussionIDs   []int64
	discussionIdeas [][]int64
	draftIDs        []int64
	drafts          *commitmentData
}

// Load loads the demo process and replays it at its real dates. It is
// idempotent: a second run finds the process there and changes nothing.
//
// The demo's official runs the process and is no admin. Its password is
// password or, when that is empty, one generated here; either is printed
// once to out. An account that already exists keeps its own.
func Load(ctx context.Context, store *postgres.Store, password string, out io.Writer) error {
	l := &loader{ctx: ctx}
	if err := decode("process.json", &l.process); err != nil {
		return err
	}
	if _, err := store.FindProcessBySlug(ctx, Slug); err == nil {
		fmt.Fprintf(out, "the demo process is already there: /processes/%s\n", Slug)
		return nil
	} else if participation.ErrorCode(err) != participation.ENOTFOUND {
		return err
	}
	if password == "" {
		password = rand.Text()
	}
	o := l.process.Official
	official, err := store.EnsureAccount(ctx, o.Email, password, o.Name, participation.RoleOfficial)
	if err != nil {
		return err
	}
	l.official = participation.NewContextWithAccount(ctx, official)
	// The demo's own clock walks through the process's dates.
	l.store = postgres.NewStore(store.DB(), func() time.Time { return l.now })
	l.now = l.process.CreatedAt
	if _, err := l.store.CreateProcess(l.official, l.process.Process); err != nil {
		return fmt.Errorf("demo process: %w", err)
	}
	for _, step := range []struct {
		name string
		run  func() error
	}{
		{"idea round", l.ideaRound},
		{"workshop", l.workshop},
		{"discussion", l.discussion},
		{"commitment drafts", l.commitments},
		{"idea wall", l.wall},
		{"survey", l.survey},
		{"statement request", l.statements},
		{"merges and approval", l.approval},
		{"status review", l.review},
		{"event", l.events},
	} {
		if err := step.run(); err != nil {
			return fmt.Errorf("demo %s: %w", step.name, err)
		}
	}
	fmt.Fprintf(out, "demo process loaded: /processes/%s\nofficial: %s / %s (unless the account was there before: then its own password)\n",
		Slug, o.Email, password)
	return nil
}

// decode reads one of the demo's data files.
func decode(name string, v any) error {
	b, err := schema.Demo.ReadFile("demo/" + name)
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("demo data %s: %w", name, err)
	}
	return nil
}

// municipality is the i-th person's municipality in the demo's reach, or
// nil for every seventh person, who did not say.
func (l *loader) municipality(i int) *string {
	ms := l.process.Municipalities
	if i%7 == 6 || len(ms) == 0 {
		return nil
	}
	m := ms[(i*7)%len(ms)]
	return &m
}

// anonymous returns the context of a new anonymous respondent, as the
// server issues one to a browser that supports or answers without an account.
func (l *loader) anonymous() (context.Context, error) {
	_, r, err := l.store.IssueRespondent(l.ctx)
	if err != nil {
		return nil, err
	}
	return participation.NewContextWithRespondent(l.ctx, r), nil
}
