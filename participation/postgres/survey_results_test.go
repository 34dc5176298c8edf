package postgres_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
)

// rating is one respondent's rating of one item.
type rating struct {
	respondent int
	item       int64
	x, y       float64
}

// sent is what the results test sent, to count independently.
type sent struct {
	single, multi map[int64]int
	scale         []int
	texts         []string
	ratings       []rating
	responses     int
}

// answerRandomly submits n responses of respondents 1..n from the given
// municipalities in turn, answering at random (items and optional
// questions skipped now and then), and returns what it sent from each
// municipality ("" for all).
func answerRandomly(t testing.TB, s *postgres.Store, sv *participation.Survey, n int, municipalities []string, seed uint64) map[string]*sent {
	t.Helper()
	rnd := rand.New(rand.NewPCG(seed, 7))
	out := map[string]*sent{}
	get := func(m string) *sent {
		if out[m] == nil {
			out[m] = &sent{single: map[int64]int{}, multi: map[int64]int{}}
		}
		return out[m]
	}
	qs := sv.Questions
	for i := 1; i <= n; i++ {
		m := municipalities[i%len(municipalities)]
		var answers []participation.Answer
		single := qs[qSingle].Options[rnd.IntN(len(qs[qSingle].Options))].ID
		answers = append(answers, participation.Answer{QuestionID: qs[qSingle].ID, OptionIDs: []int64{single}})
		var multi []int64
		for _, o := range qs[qMulti].Options {
			if rnd.IntN(2) == 0 {
				multi = append(multi, o.ID)
			}
		}
		if len(multi) > 0 {
			answers = append(answers, participation.Answer{QuestionID: qs[qMulti].ID, OptionIDs: multi})
		}
		value := *qs[qScale].Min + rnd.IntN(*qs[qScale].Max-*qs[qScale].Min+1)
		if rnd.IntN(5) > 0 {
			answers = append(answers, participation.Answer{QuestionID: qs[qScale].ID, Value: ptr(float64(value))})
		}
		text := fmt.Sprintf("Answer %d", i)
		if rnd.IntN(3) == 0 {
			answers = append(answers, participation.Answer{QuestionID: qs[qText].ID, Text: &text})
		}
		var points []participation.Point
		var rs []rating
		g := qs[qGrid]
		for _, it := range g.Items {
			if rnd.IntN(6) == 0 {
				continue // skipped
			}
			x := g.X.Min + math.Round(rnd.Float64()*(g.X.Max-g.X.Min)*10)/10
			y := g.Y.Min + math.Round(rnd.Float64()*(g.Y.Max-g.Y.Min)*10)/10
			points = append(points, participation.Point{ItemID: it.ID, X: ptr(x), Y: ptr(y)})
			rs = append(rs, rating{respondent: i, item: it.ID, x: x, y: y})
		}
		if len(points) > 0 {
			answers = append(answers, participation.Answer{QuestionID: g.ID, Points: points})
		}
		mp := &m
		if m == "" {
			mp = nil
		}
		if _, err := s.SaveResponse(respondent(int64(i)), sv.ID, participation.Responder{},
			participation.NewResponse{Answers: answers, Municipality: mp, Submit: true}); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"", m} {
			st := get(key)
			st.responses++
			st.single[single]++
			for _, id := range multi {
				st.multi[id]++
			}
			if len(answers) > 2 && slices.ContainsFunc(answers, func(a participation.Answer) bool { return a.QuestionID == qs[qScale].ID }) {
				st.scale = append(st.scale, value)
			}
			if slices.ContainsFunc(answers, func(a participation.Answer) bool { return a.QuestionID == qs[qText].ID }) {
				st.texts = append(st.texts, text)
			}
			st.ratings = append(st.ratings, rs...)
			if m == "" {
				break
			}
		}
	}
	return out
}

// meanSD are the mean and sample deviation, counted in two passes.
func meanSD(v []float64) (mean float64, sd *float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	if len(v) < 2 {
		return mean, nil
	}
	var ss float64
	for _, x := range v {
		ss += (x - mean) * (x - mean)
	}
	d := math.Sqrt(ss / float64(len(v)-1))
	return mean, &d
}

// near reports whether two results agree to floating-point rounding.
func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// standardise turns each respondent's ratings into z-scores per axis
// (population deviation; 0 where their ratings do not vary).
func standardise(rs []rating) []rating {
	by := map[int][]int{}
	for i, r := range rs {
		by[r.respondent] = append(by[r.respondent], i)
	}
	out := slices.Clone(rs)
	for _, idx := range by {
		for axis := 0; axis < 2; axis++ {
			get := func(r rating) float64 { return [2]float64{r.x, r.y}[axis] }
			var sum float64
			for _, i := range idx {
				sum += get(rs[i])
			}
			mean := sum / float64(len(idx))
			var ss float64
			varies := false
			for _, i := range idx {
				ss += (get(rs[i]) - mean) * (get(rs[i]) - mean)
				varies = varies || get(rs[i]) != get(rs[idx[0]])
			}
			sd := math.Sqrt(ss / float64(len(idx)))
			for _, i := range idx {
				z := 0.0
				if varies {
					z = (get(rs[i]) - mean) / sd
				}
				if axis == 0 {
					out[i].x = z
				} else {
					out[i].y = z
				}
			}
		}
	}
	return out
}

// checkResults compares the store's results with what was sent.
func checkResults(t *testing.T, res *participation.SurveyResults, sv *participation.Survey, st *sent, relative bool) {
	t.Helper()
	if res.Responses != st.responses {
		t.Errorf("responses %d, sent %d", res.Responses, st.responses)
	}
	q := res.Questions
	for _, o := range q[qSingle].Options {
		if o.Count != st.single[o.OptionID] {
			t.Errorf("single %d: %d, sent %d", o.OptionID, o.Count, st.single[o.OptionID])
		}
	}
	for _, o := range q[qMulti].Options {
		if o.Count != st.multi[o.OptionID] {
			t.Errorf("multi %d: %d, sent %d", o.OptionID, o.Count, st.multi[o.OptionID])
		}
	}
	// Scale: the distribution of every value, the mean, and the median of
	// the sorted values (the middle two's mean for an even count).
	counts := map[int]int{}
	var sum float64
	for _, v := range st.scale {
		counts[v]++
		sum += float64(v)
	}
	sc := sv.Questions[qScale]
	if len(q[qScale].Distribution) != *sc.Max-*sc.Min+1 || q[qScale].Answered != len(st.scale) {
		t.Errorf("distribution %+v, answered %d", q[qScale].Distribution, q[qScale].Answered)
	}
	for _, d := range q[qScale].Distribution {
		if d.Count != counts[d.Value] {
			t.Errorf("value %d: %d, sent %d", d.Value, d.Count, counts[d.Value])
		}
	}
	sorted := slices.Clone(st.scale)
	slices.Sort(sorted)
	median := float64(sorted[len(sorted)/2])
	if len(sorted)%2 == 0 {
		median = float64(sorted[len(sorted)/2-1]+sorted[len(sorted)/2]) / 2
	}
	if q[qScale].Mean == nil || !near(*q[qScale].Mean, sum/float64(len(st.scale))) || *q[qScale].Median != median {
		t.Errorf("mean %v median %v, want %v %v", *q[qScale].Mean, *q[qScale].Median, sum/float64(len(st.scale)), median)
	}
	if !slices.Equal(q[qText].Answers, st.texts) {
		t.Errorf("texts %v, sent %v", q[qText].Answers, st.texts)
	}
	ratings := st.ratings
	if relative {
		ratings = standardise(ratings)
	}
	for _, it := range q[qGrid].Items {
		var xs, ys []float64
		for _, r := range ratings {
			if r.item == it.ItemID {
				xs, ys = append(xs, r.x), append(ys, r.y)
			}
		}
		if it.N != len(xs) {
			t.Errorf("item %d: n %d, sent %d", it.ItemID, it.N, len(xs))
			continue
		}
		if len(xs) == 0 {
			if it.MeanX != nil || it.SdX != nil || it.Rank != nil {
				t.Errorf("unrated item %+v", it)
			}
			continue
		}
		mx, sx := meanSD(xs)
		my, sy := meanSD(ys)
		if !near(*it.MeanX, mx) || !near(*it.MeanY, my) {
			t.Errorf("item %d: means %v %v, want %v %v", it.ItemID, *it.MeanX, *it.MeanY, mx, my)
		}
		if (sx == nil) != (it.SdX == nil) || sx != nil && (!near(*it.SdX, *sx) || !near(*it.SdY, *sy)) {
			t.Errorf("item %d: deviations %v %v, want %v %v", it.ItemID, it.SdX, it.SdY, sx, sy)
		}
	}
}

func TestSurveyResults(t *testing.T) {
	f := newSurveyFixture(t, true)
	// Eight typed items besides the two drafts, to rank and to skip.
	sv := f.create(t, true, sampleQuestions(false))
	qs := toNewQuestions(sv.Questions)
	for i := 0; i < 7; i++ {
		qs[qGrid].Items = append(qs[qGrid].Items, participation.NewChoice{Label: fmt.Sprintf("Goal %d", i)})
	}
	var err error
	if sv, err = f.s.UpdateSurvey(f.official, sv.ID, participation.SurveyPatch{Questions: &qs}); err != nil {
		t.Fatal(err)
	}
	if sv, err = f.s.OpenSurvey(f.official, sv.ID); err != nil {
		t.Fatal(err)
	}
	st := answerRandomly(t, f.s, sv, 57, []string{"Helsinki", "Espoo", ""}, 1)
	// A draft is not counted.
	if _, err := f.s.SaveResponse(respondent(1000), sv.ID, participation.Responder{}, participation.NewResponse{Answers: f.fullAnswers()[:0]}); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := f.s.FindSurveyResults(f.citizen, sv.ID, participation.ResultFilter{})
		wantCode(t, err, participation.EFORBIDDEN)
		_, err = f.s.FindSurveyResults(context.Background(), sv.ID, participation.ResultFilter{})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("OfficialsWhileOpen", func(t *testing.T) {
		res, err := f.s.FindSurveyResults(f.official, sv.ID, participation.ResultFilter{})
		if err != nil {
			t.Fatal(err)
		}
		checkResults(t, res, sv, st[""], false)
	})
	if _, err := f.s.CloseSurvey(f.official, sv.ID); err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		res, err := f.s.FindSurveyResults(context.Background(), sv.ID, participation.ResultFilter{})
		if err != nil {
			t.Fatal(err)
		}
		checkResults(t, res, sv, st[""], false)
		// Ranks follow mean_x + mean_y, highest first.
		items := slices.Clone(res.Questions[qGrid].Items)
		slices.SortFunc(items, func(a, b participation.ItemResult) int { return *a.Rank - *b.Rank })
		for i := 1; i < len(items); i++ {
			if *items[i-1].MeanX+*items[i-1].MeanY < *items[i].MeanX+*items[i].MeanY {
				t.Errorf("rank %d above %d: %+v %+v", *items[i-1].Rank, *items[i].Rank, items[i-1], items[i])
			}
		}
	})
	t.Run("Relative", func(t *testing.T) {
		res, err := f.s.FindSurveyResults(context.Background(), sv.ID, participation.ResultFilter{Relative: true})
		if err != nil || !res.Relative {
			t.Fatal(err)
		}
		checkResults(t, res, sv, st[""], true)
	})
	t.Run("Municipality", func(t *testing.T) {
		res, err := f.s.FindSurveyResults(context.Background(), sv.ID, participation.ResultFilter{Municipality: "esbo"})
		if err != nil || res.Municipality == nil || *res.Municipality != "Espoo" {
			t.Fatalf("%+v %v", res, err)
		}
		checkResults(t, res, sv, st["Espoo"], false)
		res, err = f.s.FindSurveyResults(context.Background(), sv.ID, participation.ResultFilter{Municipality: "Helsinki", Relative: true})
		if err != nil {
			t.Fatal(err)
		}
		checkResults(t, res, sv, st["Helsinki"], true)
		// Too few responses to show apart, but to officials.
		_, err = f.s.FindSurveyResults(f.citizen, sv.ID, participation.ResultFilter{Municipality: "Tampere"})
		wantCode(t, err, participation.EFORBIDDEN)
		if res, err = f.s.FindSurveyResults(f.official, sv.ID, participation.ResultFilter{Municipality: "Tampere"}); err != nil || res.Responses != 0 {
			t.Fatalf("%+v %v", res, err)
		}
	})
	t.Run("AnswerRows", func(t *testing.T) {
		rows, err := f.s.FindSurveyAnswerRows(f.official, sv.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := len(st[""].scale) + len(st[""].texts) + len(st[""].ratings) + st[""].responses // one single option each
		for _, n := range st[""].multi {
			want += n
		}
		if len(rows) != want {
			t.Fatalf("%d rows, want %d", len(rows), want)
		}
		r := rows[0]
		if r.Respondent == 0 || r.Question != "Which first?" || r.OptionOrItem == nil || r.Value != nil {
			t.Fatalf("first row %+v", r)
		}
		_, err = f.s.FindSurveyAnswerRows(f.citizen, sv.ID)
		wantCode(t, err, participation.EFORBIDDEN)
	})
}

func TestSurveyResultsEdges(t *testing.T) {
	f := newSurveyFixture(t, true)
	g := f.q(qGrid)
	t.Run("Empty", func(t *testing.T) {
		res, err := f.s.FindSurveyResults(f.official, f.survey.ID, participation.ResultFilter{})
		if err != nil {
			t.Fatal(err)
		}
		q := res.Questions
		if res.Responses != 0 || q[qScale].Mean != nil || q[qScale].Median != nil || len(q[qScale].Distribution) != 5 ||
			q[qText].Answers == nil || len(q[qGrid].Items) != 2 || q[qGrid].Items[0].MeanX != nil || q[qGrid].Items[0].Rank != nil ||
			q[qSingle].Options[0].Count != 0 {
			t.Fatalf("empty results %+v", res)
		}
	})
	answer := func(id int64, value float64, points ...participation.Point) {
		t.Helper()
		answers := []participation.Answer{f.fullAnswers()[0], {QuestionID: f.q(qScale).ID, Value: &value}, {QuestionID: g.ID, Points: points}}
		if _, err := f.s.SaveResponse(respondent(id), f.survey.ID, participation.Responder{}, participation.NewResponse{Answers: answers, Submit: true}); err != nil {
			t.Fatal(err)
		}
	}
	// The first respondent rates both items alike (no variation on either
	// axis); the second rates one item (a single rating).
	answer(1, 2, participation.Point{ItemID: g.Items[0].ID, X: ptr(2.0), Y: ptr(3.0)}, participation.Point{ItemID: g.Items[1].ID, X: ptr(2.0), Y: ptr(3.0)})
	answer(2, 5, participation.Point{ItemID: g.Items[1].ID, X: ptr(5.0), Y: ptr(1.0)})
	t.Run("OK", func(t *testing.T) {
		res, err := f.s.FindSurveyResults(f.official, f.survey.ID, participation.ResultFilter{})
		if err != nil {
			t.Fatal(err)
		}
		sc := res.Questions[qScale]
		if *sc.Mean != 3.5 || *sc.Median != 3.5 || sc.Distribution[1] != (participation.ValueCount{Value: 2, Count: 1}) {
			t.Errorf("scale %+v", sc)
		}
		first, second := res.Questions[qGrid].Items[0], res.Questions[qGrid].Items[1]
		if first.N != 1 || *first.MeanX != 2 || *first.MeanY != 3 || first.SdX != nil || first.SdY != nil {
			t.Errorf("one rating: %+v", first)
		}
		if second.N != 2 || *second.MeanX != 3.5 || *second.MeanY != 2 || !near(*second.SdX, math.Sqrt(4.5)) || !near(*second.SdY, math.Sqrt(2)) {
			t.Errorf("two ratings: %+v", second)
		}
		if *first.Rank != 2 || *second.Rank != 1 { // 2 + 3 against 3.5 + 2
			t.Errorf("ranks %d %d", *first.Rank, *second.Rank)
		}
	})
	t.Run("Relative", func(t *testing.T) {
		res, err := f.s.FindSurveyResults(f.official, f.survey.ID, participation.ResultFilter{Relative: true})
		if err != nil {
			t.Fatal(err)
		}
		first, second := res.Questions[qGrid].Items[0], res.Questions[qGrid].Items[1]
		if *first.MeanX != 0 || *first.MeanY != 0 || first.SdX != nil || *second.MeanX != 0 || *second.SdX != 0 || *first.Rank != 1 || *second.Rank != 1 {
			t.Errorf("relative %+v %+v", first, second)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := f.s.FindSurveyResults(f.official, f.survey.ID, participation.ResultFilter{Municipality: strings.Repeat("a", 200)})
		wantCode(t, err, participation.EINVALID)
	})
}

func TestCommitmentSurveyResults(t *testing.T) {
	f := newSurveyFixture(t, false)
	g := f.q(qGrid)
	for i, pts := range [][2][2]float64{{{5, 4}, {2, 2}}, {{4, 4}, {1, 3}}, {{3, 5}, {3, 1}}} {
		ctx, _ := mustAccount(t, f.s, fmt.Sprintf("r%d@example.fi", i))
		answers := []participation.Answer{f.fullAnswers()[0], {QuestionID: g.ID, Points: []participation.Point{
			{ItemID: g.Items[0].ID, X: ptr(pts[0][0]), Y: ptr(pts[0][1])}, {ItemID: g.Items[1].ID, X: ptr(pts[1][0]), Y: ptr(pts[1][1])}}}}
		if _, err := f.s.SaveResponse(ctx, f.survey.ID, participation.Responder{}, participation.NewResponse{Answers: answers, Submit: true}); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("NotBeforeClose", func(t *testing.T) {
		c, err := f.s.FindCommitment(context.Background(), f.commitments[0].ID)
		if err != nil || len(c.SurveyResults) != 0 {
			t.Fatalf("%+v %v", c.SurveyResults, err)
		}
	})
	f.clk.t = f.clk.t.Add(time.Hour)
	if _, err := f.s.CloseSurvey(f.official, f.survey.ID); err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		first, err := f.s.FindCommitment(context.Background(), f.commitments[0].ID)
		if err != nil || len(first.SurveyResults) != 1 {
			t.Fatalf("%+v %v", first, err)
		}
		r := first.SurveyResults[0]
		if r.SurveyID != f.survey.ID || r.QuestionID != g.ID || r.ItemID != g.Items[0].ID || r.N != 3 ||
			*r.MeanX != 4 || !near(*r.MeanY, 13.0/3) || *r.SdX != 1 || *r.Rank != 1 || r.Items != 2 || r.X.Label != "Importance" {
			t.Fatalf("result %+v", r)
		}
		second, err := f.s.FindCommitment(context.Background(), f.commitments[1].ID)
		if err != nil || len(second.SurveyResults) != 1 || *second.SurveyResults[0].Rank != 2 || *second.SurveyResults[0].MeanX != 2 {
			t.Fatalf("%+v %v", second.SurveyResults, err)
		}
		list, _, err := f.s.FindCommitments(context.Background(), participation.CommitmentFilter{ProcessSlug: f.process.Slug, Limit: 10})
		if err != nil || len(list[0].SurveyResults) != 1 {
			t.Fatalf("list %+v %v", list, err)
		}
	})
}
