package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"osallistu/participation"
)

// surveyData is sql/demo/survey.json: the ZEF survey of December 2016 that
// rated the draft goals on importance and feasibility. Its first question
// rates the drafts (items from commitments), its second asks who answers,
// its third takes free comments.
type surveyData struct {
	participation.NewSurvey
	OpensAt   time.Time `json:"opens_at"`
	ClosesAt  time.Time `json:"closes_at"`
	Responses int       `json:"responses"`
	// Ratings are each draft's typical (importance, feasibility), in the
	// drafts' order; answers scatter around them.
	Ratings [][2]float64 `json:"ratings"`
	// Groups weigh the options of the second question.
	Groups []int `json:"groups"`
	// Comments are free texts; every sixth respondent writes one.
	Comments []string `json:"comments"`
}

// survey opens the ZEF survey on the drafts, lets the respondents answer
// anonymously over two weeks and closes it, so that its results show.
func (l *loader) survey() error {
	var d surveyData
	if err := decode("survey.json", &d); err != nil {
		return err
	}
	l.now = d.OpensAt.Add(-time.Hour)
	sv, err := l.store.CreateSurvey(l.official, Slug, d.NewSurvey)
	if err != nil {
		return err
	}
	l.now = d.OpensAt
	if _, err := l.store.OpenSurvey(l.official, sv.ID); err != nil {
		return err
	}
	grid, group, free := sv.Questions[0], sv.Questions[1], sv.Questions[2]
	rng := rand.New(rand.NewPCG(2016, 12))
	rate := func(mean float64, axis *participation.Axis) *float64 {
		v := math.Round(mean + rng.NormFloat64()*1.6)
		v = max(axis.Min, min(axis.Max, v))
		return &v
	}
	weight := 0
	for _, w := range d.Groups {
		weight += w
	}
	step := d.ClosesAt.Sub(d.OpensAt) / time.Duration(d.Responses+1)
	for i := range d.Responses {
		l.now = d.OpensAt.Add(time.Duration(i+1) * step)
		who, err := l.anonymous()
		if err != nil {
			return err
		}
		points := make([]participation.Point, len(grid.Items))
		for j, item := range grid.Items {
			r := d.Ratings[j]
			points[j] = participation.Point{ItemID: item.ID, X: rate(r[0], grid.X), Y: rate(r[1], grid.Y)}
		}
		answers := []participation.Answer{{QuestionID: grid.ID, Points: points}}
		for g, pick := 0, rng.IntN(weight); g < len(d.Groups); g++ {
			if pick -= d.Groups[g]; pick < 0 {
				answers = append(answers, participation.Answer{QuestionID: group.ID, OptionIDs: []int64{group.Options[g].ID}})
				break
			}
		}
		if i%6 == 5 && len(d.Comments) > 0 {
			text := d.Comments[(i/6)%len(d.Comments)]
			answers = append(answers, participation.Answer{QuestionID: free.ID, Text: &text})
		}
		n := participation.NewResponse{Answers: answers, Municipality: l.municipality(i + 3), Submit: true}
		if _, err := l.store.SaveResponse(who, sv.ID, participation.Responder{}, n); err != nil {
			return err
		}
	}
	l.now = d.ClosesAt
	_, err = l.store.CloseSurvey(l.official, sv.ID)
	return err
}
