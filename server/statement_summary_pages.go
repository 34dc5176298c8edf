package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// The summary of a statement request's answers: per question the
// positions counted (an SVG chart with the numbers in a table beside it),
// every answer grouped by the kind of organisation, and the officials'
// account of how they were taken into account; who was invited and did
// not answer; and the statements in full. It prints as the request's
// report.

// summaryData is a request's summary page.
type summaryData struct {
	Request    *participation.StatementRequest
	Summary    *participation.StatementSummary
	Questions  []questionView
	Statements []statementView
	// MoreStatements counts the statements beyond those shown in full.
	MoreStatements int
}

// questionView is one question of the summary as the page shows it.
type questionView struct {
	participation.QuestionSummary
	N          int
	Commitment *participation.SourceRef // the draft commitment it asks about, or nil
	Bars       []positionBar
	Groups     []answerGroup
	// Others are the languages besides the question's own, for the
	// translations of the officials' response.
	Others []string
}

// ChartHeight returns the height of the question's chart.
func (q questionView) ChartHeight() int { return len(q.Bars)*(chartBarHeight+chartGap) + chartGap }

// BarX returns where the chart's bars start, right of the labels.
func (q questionView) BarX() int { return positionLabelWidth }

// positionBar is one position's bar of a question's chart.
type positionBar struct {
	Position string
	Count    int
	Y        int // top of the bar
	Width    int // of chartWidth
	TextX    int // where the count is written
	Percent  int // of the question's answers, rounded
}

// positionLabelWidth leaves room for the longest position's name,
// "Inget att yttra".
const positionLabelWidth = 170

// positionBars lays out one bar per position, longest for the most.
func positionBars(p participation.PositionCounts) []positionBar {
	most, sum := 0, p.Total()
	for _, pos := range participation.Positions {
		most = max(most, p.Of(pos))
	}
	bars := make([]positionBar, len(participation.Positions))
	for i, pos := range participation.Positions {
		b := positionBar{Position: pos, Count: p.Of(pos), Y: chartGap + i*(chartBarHeight+chartGap)}
		if most > 0 {
			b.Width = b.Count * chartWidth / most
		}
		if b.Count > 0 && b.Width < 2 {
			b.Width = 2
		}
		b.TextX = positionLabelWidth + b.Width + 8
		if sum > 0 {
			b.Percent = (200*b.Count + sum) / (2 * sum)
		}
		bars[i] = b
	}
	return bars
}

// answerGroup is the answers to a question of one kind of organisation;
// Kind "" holds the answers people gave for themselves.
type answerGroup struct {
	Kind    string
	Answers []participation.SummaryAnswer
}

// groupAnswers splits answers, ordered by kind already, into their kinds.
func groupAnswers(answers []participation.SummaryAnswer) []answerGroup {
	var groups []answerGroup
	for _, a := range answers {
		kind := ""
		if a.Organisation != nil {
			kind = a.Organisation.Kind
		}
		if len(groups) == 0 || groups[len(groups)-1].Kind != kind {
			groups = append(groups, answerGroup{Kind: kind})
		}
		g := &groups[len(groups)-1]
		g.Answers = append(g.Answers, a)
	}
	return groups
}

// statementView is a submitted statement in full: its answers beside the
// questions.
type statementView struct {
	*participation.Statement
	Items []answerItem
}

// newSummaryData arranges request r's summary and statements for the page.
func newSummaryData(r *participation.StatementRequest, sum *participation.StatementSummary, statements []*participation.Statement, total int) *summaryData {
	d := &summaryData{Request: r, Summary: sum, MoreStatements: total - len(statements)}
	for i, q := range sum.Questions {
		v := questionView{QuestionSummary: q, N: i + 1, Bars: positionBars(q.Positions), Groups: groupAnswers(q.Answers),
			Commitment: commitmentOf(r, q.CommitmentID)}
		for _, l := range participation.ContentLanguages {
			if l != q.OwnLanguage() {
				v.Others = append(v.Others, l)
			}
		}
		d.Questions = append(d.Questions, v)
	}
	for _, st := range statements {
		d.Statements = append(d.Statements, statementView{Statement: st, Items: answerItems(r, st)})
	}
	return d
}

// summaryStatements is how many statements the summary shows in full.
const summaryStatements = maxLimit

// summaryData loads the summary of the request of the path.
func (s *Server) summaryData(c *fiber.Ctx) (*summaryData, error) {
	r, err := s.findRequest(c)
	if err != nil {
		return nil, err
	}
	ctx := c.UserContext()
	sum, err := s.svc.Statements.FindStatementSummary(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	statements, total, err := s.svc.Statements.FindStatements(ctx, r.ID, summaryStatements, 0)
	if err != nil {
		return nil, err
	}
	return newSummaryData(r, sum, statements, total), nil
}

func (s *Server) statementSummaryPage(c *fiber.Ctx) error {
	d, err := s.summaryData(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "statement_summary", d, d.responseForm(), nil)
}

// responseForm returns the values of the officials' response forms.
func (d *summaryData) responseForm() map[string]string {
	form := map[string]string{}
	for _, q := range d.Questions {
		id := itoa(q.QuestionID)
		if q.Response != nil {
			form["response_"+id] = *q.Response
		}
		for _, l := range q.Others {
			form["response_"+l+"_"+id] = q.Translations[l]["response"]
		}
	}
	return form
}

func (s *Server) questionResponseForm(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	d, err := s.summaryData(c)
	if err != nil {
		return err
	}
	qid, err := idParam(c, "question_id")
	if err != nil {
		return err
	}
	q := d.Request.Question(qid)
	if q == nil {
		return participation.Errorf(participation.ENOTFOUND, "The request has no such question.")
	}
	id := itoa(qid)
	form := d.responseForm()
	form["response_"+id] = formValues(c, "response_"+id)["response_"+id]
	in := participation.QuestionResponse{Response: optional(form["response_"+id]), Translations: participation.Translations{}}
	names := map[string]string{"response": "response_" + id}
	for _, l := range participation.ContentLanguages {
		if l == q.OwnLanguage() {
			continue
		}
		name := "response_" + l + "_" + id
		form[name] = formValues(c, name)[name]
		names["translations."+l+".response"], names["translations."+l] = name, name
		if form[name] != "" {
			in.Translations[l] = map[string]string{"response": form[name]}
		}
	}
	if _, err := s.svc.Statements.SetQuestionResponse(c.UserContext(), d.Request.ID, qid, in); err != nil {
		return s.formError(c, "statement_summary", d, form, pageFieldErrors(err, names, nil))
	}
	s.flash(c, "response_saved")
	return redirect(c, "/statement-requests/"+itoa(d.Request.ID)+"/summary#question-"+id)
}
