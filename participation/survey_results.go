package participation

import (
	"math"
	"sort"
	"time"
)

// SurveyResults are a survey's results: its submitted responses counted
// per question. Numbers are never rounded.
type SurveyResults struct {
	SurveyID  int64  `json:"survey_id"`
	Status    string `json:"status"`
	Responses int    `json:"responses"`
	// Relative says each respondent's grid ratings were standardised
	// (z-scores per axis) before averaging.
	Relative bool `json:"relative"`
	// Municipality, when set, is the only municipality counted.
	Municipality *string          `json:"municipality"`
	Questions    []QuestionResult `json:"questions"`
}

// QuestionResult is one question's result. Which fields it uses depends on
// its kind, as in Question: Options (single, multi); Mean, Median and
// Distribution (scale); Answers (text); X, Y and Items (grid2d). The
// others are null.
type QuestionResult struct {
	QuestionID int64  `json:"question_id"`
	Kind       string `json:"kind"`
	Prompt     string `json:"prompt"`
	Translatable
	// Answered counts the responses that answered the question.
	Answered     int            `json:"answered"`
	Options      []OptionResult `json:"options"`
	Mean         *float64       `json:"mean"`
	Median       *float64       `json:"median"`
	Distribution []ValueCount   `json:"distribution"`
	Answers      []string       `json:"answers"`
	X            *Axis          `json:"x"`
	Y            *Axis          `json:"y"`
	Items        []ItemResult   `json:"items"`
}

// OptionResult counts the responses that chose an option.
type OptionResult struct {
	OptionID int64  `json:"option_id"`
	Label    string `json:"label"`
	Count    int    `json:"count"`
	Translatable
}

// ValueCount counts the responses that gave a scale's value.
type ValueCount struct {
	Value int `json:"value"`
	Count int `json:"count"`
}

// ItemResult is where the respondents placed a grid2d item: N ratings,
// their means and sample standard deviations (null below two ratings) on
// each axis, and the item's rank among the question's rated items.
type ItemResult struct {
	ItemID       int64    `json:"item_id"`
	Label        string   `json:"label"`
	CommitmentID *int64   `json:"commitment_id"`
	N            int      `json:"n"`
	MeanX        *float64 `json:"mean_x"`
	MeanY        *float64 `json:"mean_y"`
	SdX          *float64 `json:"sd_x"`
	SdY          *float64 `json:"sd_y"`
	// Rank is 1 for the highest mean_x + mean_y; ties share a rank (1, 2,
	// 2, 4) and items nobody rated have none.
	Rank *int `json:"rank"`
	Translatable
}

// Median returns the median of the values a distribution counts (the mean
// of the middle two for an even count), or nil when it counts none.
func Median(dist []ValueCount) *float64 {
	n := 0
	for _, d := range dist {
		n += d.Count
	}
	if n == 0 {
		return nil
	}
	// nth returns the value at 0-based position i of the sorted values.
	nth := func(i int) float64 {
		for _, d := range dist {
			if i < d.Count {
				return float64(d.Value)
			}
			i -= d.Count
		}
		return math.NaN()
	}
	m := nth(n / 2)
	if n%2 == 0 {
		m = (nth(n/2-1) + m) / 2
	}
	return &m
}

// MeanOf returns the mean of the values a distribution counts, or nil
// when it counts none. The sum is exact (whole numbers), so the mean is
// the nearest float64 to the true one.
func MeanOf(dist []ValueCount) *float64 {
	var sum, n int64
	for _, d := range dist {
		sum += int64(d.Value) * int64(d.Count)
		n += int64(d.Count)
	}
	if n == 0 {
		return nil
	}
	m := float64(sum) / float64(n)
	return &m
}

// RankItems sets each item's Rank by mean_x + mean_y, highest first: the
// items that are both important and feasible lead (ZEF's reading of the
// top right quadrant). Ties share a rank; unrated items get none.
func RankItems(items []ItemResult) {
	order := make([]int, 0, len(items))
	for i := range items {
		items[i].Rank = nil
		if items[i].N > 0 && items[i].MeanX != nil && items[i].MeanY != nil {
			order = append(order, i)
		}
	}
	score := func(i int) float64 { return *items[i].MeanX + *items[i].MeanY }
	sort.SliceStable(order, func(a, b int) bool { return score(order[a]) > score(order[b]) })
	for pos, i := range order {
		r := pos + 1
		if pos > 0 && score(order[pos-1]) == score(i) {
			r = *items[order[pos-1]].Rank
		}
		items[i].Rank = &r
	}
}

// AnswerRow is one row of a survey's results as CSV: one chosen option,
// rated item, scale value or text of one submitted response. Respondent is
// the response's number, which says nothing of who sent it.
type AnswerRow struct {
	Respondent   int64     `db:"respondent"`
	SubmittedAt  time.Time `db:"submitted_at"`
	QuestionID   int64     `db:"question_id"`
	Question     string    `db:"question"`
	OptionOrItem *string   `db:"option_or_item"`
	Value        *float64  `db:"value"`
	X            *float64  `db:"x"`
	Y            *float64  `db:"y"`
	Text         *string   `db:"text"`
}

// CommitmentSurveyResult is a commitment's place in a closed survey's
// two-axis question that rated it: its item's means and its rank among
// the question's rated items (Items of them).
type CommitmentSurveyResult struct {
	SurveyID    int64    `json:"survey_id" db:"survey_id"`
	SurveyTitle string   `json:"survey_title" db:"survey_title"`
	QuestionID  int64    `json:"question_id" db:"question_id"`
	Prompt      string   `json:"prompt" db:"prompt"`
	ItemID      int64    `json:"item_id" db:"item_id"`
	X           Axis     `json:"x" db:"-"`
	Y           Axis     `json:"y" db:"-"`
	N           int      `json:"n" db:"n"`
	MeanX       *float64 `json:"mean_x" db:"mean_x"`
	MeanY       *float64 `json:"mean_y" db:"mean_y"`
	SdX         *float64 `json:"sd_x" db:"sd_x"`
	SdY         *float64 `json:"sd_y" db:"sd_y"`
	Rank        *int     `json:"rank" db:"-"`
	Items       int      `json:"items" db:"-"`
}

// NewSurveyResults returns the results of s with nothing counted yet:
// every option and item at zero, every scale value in the distribution.
// The store adds its counts, then calls Finish.
func NewSurveyResults(s *Survey) *SurveyResults {
	r := &SurveyResults{SurveyID: s.ID, Status: s.Status, Questions: make([]QuestionResult, len(s.Questions))}
	for i, q := range s.Questions {
		qr := QuestionResult{QuestionID: q.ID, Kind: q.Kind, Prompt: q.Prompt, Translatable: q.Translatable}
		switch q.Kind {
		case QuestionSingle, QuestionMulti:
			qr.Options = make([]OptionResult, len(q.Options))
			for j, o := range q.Options {
				qr.Options[j] = OptionResult{OptionID: o.ID, Label: o.Label, Translatable: o.Translatable}
			}
		case QuestionScale:
			for v := *q.Min; v <= *q.Max; v++ {
				qr.Distribution = append(qr.Distribution, ValueCount{Value: v})
			}
		case QuestionText:
			qr.Answers = []string{}
		case QuestionGrid2D:
			qr.X, qr.Y = q.X, q.Y
			qr.Items = make([]ItemResult, len(q.Items))
			for j, it := range q.Items {
				qr.Items[j] = ItemResult{ItemID: it.ID, Label: it.Label, CommitmentID: it.CommitmentID, Translatable: it.Translatable}
			}
		}
		r.Questions[i] = qr
	}
	return r
}

// question returns the result of question id, or nil.
func (r *SurveyResults) question(id int64) *QuestionResult {
	for i := range r.Questions {
		if r.Questions[i].QuestionID == id {
			return &r.Questions[i]
		}
	}
	return nil
}

// ChoiceAggregate is what the store counts of one option or item: how many
// chose or rated it and, for an item, the ratings' means and sample
// standard deviations (null below two).
type ChoiceAggregate struct {
	QuestionID int64    `db:"question_id"`
	ChoiceID   int64    `db:"choice_id"`
	N          int      `db:"n"`
	MeanX      *float64 `db:"mean_x"`
	MeanY      *float64 `db:"mean_y"`
	SdX        *float64 `db:"sd_x"`
	SdY        *float64 `db:"sd_y"`
}

// AddChoice puts an option's count or an item's ratings in the results.
func (r *SurveyResults) AddChoice(a ChoiceAggregate) {
	q := r.question(a.QuestionID)
	if q == nil {
		return
	}
	for i := range q.Options {
		if q.Options[i].OptionID == a.ChoiceID {
			q.Options[i].Count = a.N
		}
	}
	for i := range q.Items {
		if it := &q.Items[i]; it.ItemID == a.ChoiceID {
			it.N, it.MeanX, it.MeanY, it.SdX, it.SdY = a.N, a.MeanX, a.MeanY, a.SdX, a.SdY
			if a.N < 2 { // a deviation of one rating says nothing
				it.SdX, it.SdY = nil, nil
			}
		}
	}
}

// AddValue puts the count of a scale's value in the results.
func (r *SurveyResults) AddValue(questionID int64, value, count int) {
	if q := r.question(questionID); q != nil {
		for i := range q.Distribution {
			if q.Distribution[i].Value == value {
				q.Distribution[i].Count = count
			}
		}
	}
}

// AddText puts a text answer in the results.
func (r *SurveyResults) AddText(questionID int64, text string) {
	if q := r.question(questionID); q != nil && q.Kind == QuestionText {
		q.Answers = append(q.Answers, text)
	}
}

// SetAnswered sets how many responses answered a question.
func (r *SurveyResults) SetAnswered(questionID int64, n int) {
	if q := r.question(questionID); q != nil {
		q.Answered = n
	}
}

// Finish works out what follows from the counts: the scales' means and
// medians and the items' ranks.
func (r *SurveyResults) Finish() {
	for i := range r.Questions {
		q := &r.Questions[i]
		switch q.Kind {
		case QuestionScale:
			q.Mean, q.Median = MeanOf(q.Distribution), Median(q.Distribution)
		case QuestionGrid2D:
			RankItems(q.Items)
		}
	}
}

// ResultFilter chooses how results are computed: Relative standardises
// each respondent's grid ratings first; Municipality counts only the
// responses from there.
type ResultFilter struct {
	Relative     bool
	Municipality string
}

// Validate writes the municipality as responses keep it: a known one in
// its Finnish form, so that "Helsingfors" finds the responses from Helsinki.
func (f *ResultFilter) Validate() error {
	fe := FieldErrors{}
	m := f.Municipality
	if n := normalizeMunicipality(fe, "municipality", &m); n != nil {
		f.Municipality = *n
	} else {
		f.Municipality = ""
	}
	return fe.Err()
}

// CheckShown returns EFORBIDDEN when viewer, not an official, filters by a
// municipality that fewer than FilterMunicipalityMin of the responses come
// from: so few could tell whose answers they are.
func (f *ResultFilter) CheckShown(responses int, viewer *Account) error {
	if f.Municipality == "" || viewer.HasRole(RoleOfficial) || responses >= FilterMunicipalityMin {
		return nil
	}
	return Errorf(EFORBIDDEN, "Fewer than %d responses come from this municipality: their results are not shown apart.", FilterMunicipalityMin)
}
