package postgres_test

import (
	"context"
	"fmt"
	"osallistu/participation"
	"osallistu/participation/postgres"
	"osallistu/participation/postgres/pgtest"
	"testing"
	"time"

	"github.com/lib/pq"
)

// BenchmarkSurveyResults counts the results of 10 000 responses to a
// survey of a ten-item two-axis question and five other questions (goal:
// under 200 ms), plain and relative. The responses are written by SQL, at
// random, as SaveResponse would write them.
func BenchmarkSurveyResults(b *testing.B) {
	clk := &clock{t: time.Date(2017, 3, 1, 9, 0, 0, 0, time.UTC)}
	s := postgres.NewStore(pgtest.New(b), clk.now)
	admin, err := s.EnsureAdmin(context.Background(), "bench@example.fi", "correct horse battery", "Bench")
	if err != nil {
		b.Fatal(err)
	}
	official := participation.NewContextWithAccount(context.Background(), admin)
	if _, err := s.CreateProcess(official, participation.NewProcess{Slug: "bench", Title: "Bench"}); err != nil {
		b.Fatal(err)
	}
	qs := sampleQuestions(false)
	qs[qGrid].Items = nil
	for i := 1; i <= 10; i++ {
		qs[qGrid].Items = append(qs[qGrid].Items, participation.NewChoice{Label: fmt.Sprintf("Goal %d", i)})
	}
	qs = append(qs, participation.NewQuestion{Kind: participation.QuestionScale, Prompt: "How feasible?", Min: ptr(0), Max: ptr(10)})
	sv, err := s.CreateSurvey(official, "bench", participation.NewSurvey{Title: "Bench", Anonymous: ptr(true), Questions: qs})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.OpenSurvey(official, sv.ID); err != nil {
		b.Fatal(err)
	}
	q := sv.Questions
	db := s.DB()
	for _, st := range []struct {
		sql  string
		args []any
	}{
		{`SELECT setseed(0.25)`, nil},
		{`INSERT INTO survey_responses (survey_id, respondent_key, respondent_id, municipality, created_at, updated_at, submitted_at)
		  SELECT $1, 'r:' || i, i, (ARRAY['Helsinki', 'Espoo', 'Tampere', NULL])[1 + i % 4], $2::timestamptz, $2::timestamptz,
		         $2::timestamptz + i * interval '1 minute'
		  FROM generate_series(1, 10000) i`, []any{sv.ID, clk.t}},
		// single: one of three; multi: each of four with a chance of one in two
		{`INSERT INTO survey_answers (response_id, question_id, choice_id)
		  SELECT r.id, $2, ($3::bigint[])[1 + floor(random() * 3)::int] FROM survey_responses r WHERE r.survey_id = $1`,
			[]any{sv.ID, q[qSingle].ID, pq.Array([]int64{q[qSingle].Options[0].ID, q[qSingle].Options[1].ID, q[qSingle].Options[2].ID})}},
		{`INSERT INTO survey_answers (response_id, question_id, choice_id)
		  SELECT r.id, c.question_id, c.id FROM survey_responses r, survey_choices c
		  WHERE r.survey_id = $1 AND c.question_id = $2 AND random() < 0.5`, []any{sv.ID, q[qMulti].ID}},
		{`INSERT INTO survey_answers (response_id, question_id, value)
		  SELECT r.id, $2, 1 + floor(random() * 5)::int FROM survey_responses r WHERE r.survey_id = $1 AND random() < 0.8`,
			[]any{sv.ID, q[qScale].ID}},
		{`INSERT INTO survey_answers (response_id, question_id, text)
		  SELECT r.id, $2, 'Answer ' || r.id FROM survey_responses r WHERE r.survey_id = $1 AND random() < 0.3`,
			[]any{sv.ID, q[qText].ID}},
		{`INSERT INTO survey_answers (response_id, question_id, value)
		  SELECT r.id, $2, floor(random() * 11)::int FROM survey_responses r WHERE r.survey_id = $1`, []any{sv.ID, q[5].ID}},
		// ten items, each skipped one time in six, rated 1–5 by tenths
		{`INSERT INTO survey_answers (response_id, question_id, choice_id, x, y)
		  SELECT r.id, c.question_id, c.id, 1 + round((random() * 40)::numeric) / 10, 1 + round((random() * 40)::numeric) / 10
		  FROM survey_responses r, survey_choices c WHERE r.survey_id = $1 AND c.question_id = $2 AND random() < 5.0 / 6`,
			[]any{sv.ID, q[qGrid].ID}},
		// what SaveResponse works out: the z-scores and each answer's first row
		{`UPDATE survey_answers a SET zx = CASE WHEN o.flat_x THEN 0 ELSE (a.x - o.avg_x) / o.sd_x END,
		                            zy = CASE WHEN o.flat_y THEN 0 ELSE (a.y - o.avg_y) / o.sd_y END
		  FROM (SELECT response_id, question_id, avg(x) AS avg_x, stddev_pop(x) AS sd_x, min(x) = max(x) AS flat_x,
		               avg(y) AS avg_y, stddev_pop(y) AS sd_y, min(y) = max(y) AS flat_y
		        FROM survey_answers WHERE x IS NOT NULL GROUP BY 1, 2) o
		  WHERE a.response_id = o.response_id AND a.question_id = o.question_id AND a.x IS NOT NULL`, nil},
		{`UPDATE survey_answers SET first_row = true WHERE ctid IN (
		  SELECT DISTINCT ON (response_id, question_id) ctid FROM survey_answers ORDER BY response_id, question_id, choice_id)`, nil},
		{`ANALYZE survey_responses`, nil},
		{`ANALYZE survey_answers`, nil},
	} {
		if _, err := db.Exec(st.sql, st.args...); err != nil {
			b.Fatalf("%s: %v", st.sql, err)
		}
	}
	for _, f := range []participation.ResultFilter{{}, {Relative: true}, {Municipality: "Espoo"}} {
		name := "plain"
		switch {
		case f.Relative:
			name = "relative"
		case f.Municipality != "":
			name = "municipality"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				res, err := s.FindSurveyResults(official, sv.ID, f)
				if err != nil {
					b.Fatal(err)
				}
				if f.Municipality == "" && res.Responses != 10000 {
					b.Fatalf("%d responses", res.Responses)
				}
			}
		})
	}
}
