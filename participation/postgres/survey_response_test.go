package postgres_test

import (
	"context"
	"strings"
	"testing"

	"osallistu/participation"
)

// respondent returns a context carrying the verified anonymous respondent id.
func respondent(id int64) context.Context {
	return participation.NewContextWithRespondent(context.Background(), &participation.Respondent{ID: id})
}

// fullAnswers answers every question of the fixture survey.
func (f *surveyFixture) fullAnswers() []participation.Answer {
	g := f.q(qGrid)
	return []participation.Answer{
		{QuestionID: f.q(qSingle).ID, OptionIDs: []int64{f.q(qSingle).Options[1].ID}},
		{QuestionID: f.q(qMulti).ID, OptionIDs: []int64{f.q(qMulti).Options[0].ID, f.q(qMulti).Options[2].ID}},
		{QuestionID: f.q(qScale).ID, Value: ptr(4.0)},
		{QuestionID: f.q(qText).ID, Text: ptr("  More plain language.  ")},
		{QuestionID: g.ID, Points: []participation.Point{{ItemID: g.Items[0].ID, X: ptr(4.5), Y: ptr(2.0)}, {ItemID: g.Items[1].ID, X: ptr(1.0), Y: ptr(5.0)}}},
	}
}

func TestSaveResponse(t *testing.T) {
	f := newSurveyFixture(t, true)
	t.Run("OK", func(t *testing.T) {
		r, err := f.s.SaveResponse(respondent(1), f.survey.ID, participation.Responder{}, participation.NewResponse{Answers: f.fullAnswers(), Submit: true})
		if err != nil {
			t.Fatal(err)
		}
		if !r.Submitted || r.SubmittedAt == nil || len(r.Answers) != 5 || *r.Answers[3].Text != "More plain language." ||
			len(r.Answers[4].Points) != 2 || *r.Answers[4].Points[0].X != 4.5 || *r.Answers[2].Value != 4 || len(r.Answers[1].OptionIDs) != 2 {
			t.Fatalf("response %+v", r)
		}
		sv, _ := f.s.FindSurvey(context.Background(), f.survey.ID)
		if sv.Responses != 1 {
			t.Fatalf("responses %d", sv.Responses)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		_, err := f.s.SaveResponse(respondent(1), f.survey.ID, participation.Responder{}, participation.NewResponse{Answers: f.fullAnswers(), Submit: true})
		wantCode(t, err, participation.ECONFLICT)
		_, err = f.s.SaveResponse(respondent(1), f.survey.ID, participation.Responder{}, participation.NewResponse{})
		wantCode(t, err, participation.ECONFLICT)
	})
	t.Run("AccountInAnonymousSurvey", func(t *testing.T) {
		r, err := f.s.SaveResponse(f.citizen, f.survey.ID, participation.Responder{}, participation.NewResponse{Answers: f.fullAnswers()[:1], Submit: true})
		if err != nil || !r.Submitted {
			t.Fatalf("%+v %v", r, err)
		}
		_, err = f.s.SaveResponse(f.citizen, f.survey.ID, participation.Responder{}, participation.NewResponse{Answers: f.fullAnswers()[:1], Submit: true})
		wantCode(t, err, participation.ECONFLICT)
		var linked int
		if err := f.s.DB().Get(&linked, `SELECT count(*) FROM survey_responses WHERE account_id IS NOT NULL`); err != nil || linked != 0 {
			t.Fatalf("responses naming an account: %d %v", linked, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		g := f.q(qGrid)
		other := f.create(t, true, sampleQuestions(false))
		for name, a := range map[string]participation.Answer{
			"value outside the axis":     {QuestionID: g.ID, Points: []participation.Point{{ItemID: g.Items[0].ID, X: ptr(5.5), Y: ptr(3.0)}}},
			"value below the axis":       {QuestionID: g.ID, Points: []participation.Point{{ItemID: g.Items[0].ID, X: ptr(3.0), Y: ptr(0.0)}}},
			"item of another question":   {QuestionID: g.ID, Points: []participation.Point{{ItemID: other.Questions[qGrid].Items[0].ID, X: ptr(3.0), Y: ptr(3.0)}}},
			"option of another":          {QuestionID: f.q(qSingle).ID, OptionIDs: []int64{f.q(qMulti).Options[0].ID}},
			"two options of single":      {QuestionID: f.q(qSingle).ID, OptionIDs: []int64{f.q(qSingle).Options[0].ID, f.q(qSingle).Options[1].ID}},
			"same option twice":          {QuestionID: f.q(qMulti).ID, OptionIDs: []int64{f.q(qMulti).Options[0].ID, f.q(qMulti).Options[0].ID}},
			"scale fraction":             {QuestionID: f.q(qScale).ID, Value: ptr(2.5)},
			"scale above":                {QuestionID: f.q(qScale).ID, Value: ptr(6.0)},
			"text to a scale":            {QuestionID: f.q(qScale).ID, Text: ptr("four")},
			"question of another":        {QuestionID: other.Questions[0].ID, OptionIDs: []int64{other.Questions[0].Options[0].ID}},
			"point without y":            {QuestionID: g.ID, Points: []participation.Point{{ItemID: g.Items[0].ID, X: ptr(3.0)}}},
			"same item twice":            {QuestionID: g.ID, Points: []participation.Point{{ItemID: g.Items[0].ID, X: ptr(3.0), Y: ptr(3.0)}, {ItemID: g.Items[0].ID, X: ptr(2.0), Y: ptr(3.0)}}},
			"text too long":              {QuestionID: f.q(qText).ID, Text: ptr(strings.Repeat("ä", participation.SurveyAnswerTextMax+1))},
			"options to a grid question": {QuestionID: g.ID, OptionIDs: []int64{g.Items[0].ID}},
		} {
			answers := []participation.Answer{f.fullAnswers()[0], a}
			if a.QuestionID == f.q(qSingle).ID {
				answers = answers[1:]
			}
			_, err := f.s.SaveResponse(respondent(2), f.survey.ID, participation.Responder{}, participation.NewResponse{Answers: answers, Submit: true})
			if participation.ErrorCode(err) != participation.EINVALID {
				t.Errorf("%s: %v", name, err)
			}
		}
		// The required single question left out.
		_, err := f.s.SaveResponse(respondent(2), f.survey.ID, participation.Responder{}, participation.NewResponse{Answers: f.fullAnswers()[1:], Submit: true})
		wantCode(t, err, participation.EINVALID)
		var n int
		if err := f.s.DB().Get(&n, `SELECT count(*) FROM survey_responses WHERE respondent_key = 'r:2'`); err != nil || n != 0 {
			t.Fatalf("refused responses stored: %d %v", n, err)
		}
	})
	t.Run("DraftThenSubmit", func(t *testing.T) {
		ctx := respondent(3)
		// A draft may leave required questions out, and items may be skipped.
		g := f.q(qGrid)
		d, err := f.s.SaveResponse(ctx, f.survey.ID, participation.Responder{}, participation.NewResponse{Answers: []participation.Answer{
			{QuestionID: g.ID, Points: []participation.Point{{ItemID: g.Items[1].ID, X: ptr(2.0), Y: ptr(2.0)}}}}})
		if err != nil || d.Submitted || d.SubmittedAt != nil {
			t.Fatalf("draft %+v %v", d, err)
		}
		mine, err := f.s.FindMyResponse(ctx, f.survey.ID, participation.Responder{})
		if err != nil || mine.ID != d.ID || len(mine.Answers) != 1 || mine.Answers[0].Points[0].ItemID != g.Items[1].ID {
			t.Fatalf("mine %+v %v", mine, err)
		}
		sv, _ := f.s.FindSurvey(context.Background(), f.survey.ID)
		before := sv.Responses
		r, err := f.s.SaveResponse(ctx, f.survey.ID, participation.Responder{}, participation.NewResponse{Answers: f.fullAnswers(), Submit: true})
		if err != nil || r.ID != d.ID || !r.Submitted || len(r.Answers) != 5 {
			t.Fatalf("submitted %+v %v", r, err)
		}
		sv, _ = f.s.FindSurvey(context.Background(), f.survey.ID)
		if sv.Responses != before+1 {
			t.Fatalf("responses %d, before %d", sv.Responses, before)
		}
	})
	t.Run("ErrNotFoundMine", func(t *testing.T) {
		_, err := f.s.FindMyResponse(respondent(99), f.survey.ID, participation.Responder{})
		wantCode(t, err, participation.ENOTFOUND)
	})
	t.Run("ErrUnauthenticated", func(t *testing.T) {
		_, err := f.s.SaveResponse(context.Background(), f.survey.ID, participation.Responder{}, participation.NewResponse{Submit: true})
		wantCode(t, err, participation.EUNAUTHENTICATED)
		_, err = f.s.SaveResponse(context.Background(), f.survey.ID, participation.Responder{InvitationToken: "not-an-invitation"}, participation.NewResponse{Submit: true})
		wantCode(t, err, participation.EUNAUTHENTICATED)
		// A survey for accounts takes no respondent token.
		accounts := f.create(t, false, sampleQuestions(false))
		if _, err := f.s.OpenSurvey(f.official, accounts.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.SaveResponse(respondent(4), accounts.ID, participation.Responder{}, participation.NewResponse{Submit: true})
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
	t.Run("ErrClosed", func(t *testing.T) {
		draft := f.create(t, true, sampleQuestions(false))
		_, err := f.s.SaveResponse(respondent(5), draft.ID, participation.Responder{}, participation.NewResponse{Submit: true})
		wantCode(t, err, participation.ECLOSED)
		if _, err := f.s.CloseSurvey(f.official, f.survey.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.SaveResponse(respondent(5), f.survey.ID, participation.Responder{}, participation.NewResponse{Answers: f.fullAnswers(), Submit: true})
		wantCode(t, err, participation.ECLOSED)
		// A draft saved before the close stays a draft: it is not counted.
		_, err = f.s.SaveResponse(respondent(3), f.survey.ID, participation.Responder{}, participation.NewResponse{Submit: true})
		wantCode(t, err, participation.ECLOSED)
	})
}

func TestSurveyAccounts(t *testing.T) {
	f := newSurveyFixture(t, false)
	ctx, acc := mustAccount(t, f.s, "kuntalainen@example.fi")
	t.Run("OK", func(t *testing.T) {
		r, err := f.s.SaveResponse(ctx, f.survey.ID, participation.Responder{}, participation.NewResponse{Answers: f.fullAnswers(), Municipality: ptr("helsingfors"), Submit: true})
		if err != nil || r.Municipality == nil || *r.Municipality != "Helsinki" {
			t.Fatalf("%+v %v", r, err)
		}
		var owner int64
		if err := f.s.DB().Get(&owner, `SELECT account_id FROM survey_responses WHERE id = $1`, r.ID); err != nil || owner != acc.ID {
			t.Fatalf("owner %d %v", owner, err)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		_, err := f.s.SaveResponse(ctx, f.survey.ID, participation.Responder{}, participation.NewResponse{Answers: f.fullAnswers(), Submit: true})
		wantCode(t, err, participation.ECONFLICT)
	})
	t.Run("ExportAndErase", func(t *testing.T) {
		exp, err := f.s.ExportAccount(ctx)
		if err != nil || !strings.Contains(string(exp.Data["survey_responses"]), "Helsinki") {
			t.Fatalf("export %s %v", exp.Data["survey_responses"], err)
		}
		if err := f.s.EraseAccount(ctx); err != nil {
			t.Fatal(err)
		}
		var m *string
		if err := f.s.DB().Get(&m, `SELECT municipality FROM survey_responses WHERE account_id = $1`, acc.ID); err != nil || m != nil {
			t.Fatalf("municipality kept: %v %v", m, err)
		}
	})
}

func TestSurveyInvitations(t *testing.T) {
	f := newSurveyFixture(t, false)
	var tokens []string
	t.Run("OK", func(t *testing.T) {
		got, err := f.s.InviteToSurvey(f.official, f.survey.ID, participation.NewInvitations{Emails: []string{"A@example.fi", "b@example.fi", "a@example.fi"}})
		if err != nil || got.Invited != 2 || got.AlreadyInvited != 0 { // an address given twice is invited once
			t.Fatalf("%+v %v", got, err)
		}
		again, err := f.s.InviteToSurvey(f.official, f.survey.ID, participation.NewInvitations{Emails: []string{"b@example.fi", "c@example.fi"}, Lang: ptr("sv")})
		if err != nil || again.Invited != 1 || again.AlreadyInvited != 1 {
			t.Fatalf("%+v %v", again, err)
		}
		tokens = invitationTokens(t, f, participation.MessageSurveyInvitation)
		if len(tokens) != 3 {
			t.Fatalf("tokens %v", tokens)
		}
		msgs, _, err := f.s.FindMessages(mustAdmin(t, f), participation.MessageFilter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		langs := map[string]string{}
		for _, m := range msgs {
			langs[m.Email] = m.Lang
			if m.SubjectKind != participation.SubjectSurvey || m.SubjectID != f.survey.ID || m.Channel != participation.ChannelEmail {
				t.Errorf("message %+v", m)
			}
		}
		if langs["a@example.fi"] != "fi" || langs["c@example.fi"] != "sv" {
			t.Errorf("languages %v", langs)
		}
	})
	t.Run("AnswerByInvitation", func(t *testing.T) {
		who := participation.Responder{InvitationToken: tokens[0]}
		// No account, no respondent: the link alone answers.
		if _, err := f.s.SaveResponse(context.Background(), f.survey.ID, who, participation.NewResponse{Answers: f.fullAnswers()}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.SaveResponse(context.Background(), f.survey.ID, who, participation.NewResponse{Answers: f.fullAnswers(), Submit: true}); err != nil {
			t.Fatal(err)
		}
		_, err := f.s.SaveResponse(f.citizen, f.survey.ID, who, participation.NewResponse{Answers: f.fullAnswers(), Submit: true})
		wantCode(t, err, participation.ECONFLICT)
		// The same person signed in is another respondent.
		if _, err := f.s.SaveResponse(f.citizen, f.survey.ID, participation.Responder{}, participation.NewResponse{Answers: f.fullAnswers(), Submit: true}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		other := f.create(t, false, sampleQuestions(false))
		if _, err := f.s.OpenSurvey(f.official, other.ID); err != nil {
			t.Fatal(err)
		}
		_, err := f.s.SaveResponse(context.Background(), other.ID, participation.Responder{InvitationToken: tokens[1]}, participation.NewResponse{Submit: true})
		wantCode(t, err, participation.EFORBIDDEN)
		_, err = f.s.InviteToSurvey(f.citizen, f.survey.ID, participation.NewInvitations{Emails: []string{"x@example.fi"}})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, n := range []participation.NewInvitations{{}, {Emails: []string{"not an address"}}, {Emails: []string{"x@example.fi"}, Lang: ptr("de")}} {
			_, err := f.s.InviteToSurvey(f.official, f.survey.ID, n)
			wantCode(t, err, participation.EINVALID)
		}
	})
	t.Run("Remind", func(t *testing.T) {
		n, err := f.s.RemindInvitations(f.official, f.survey.ID)
		if err != nil || n != 2 {
			t.Fatalf("reminded %d %v", n, err)
		}
		// The reminder carries the same personal links as the invitations.
		reminded := invitationTokens(t, f, participation.MessageSurveyReminder)
		if len(reminded) != 2 || !containsAll(tokens[1:], reminded) {
			t.Fatalf("reminders %v, invitations %v", reminded, tokens)
		}
		p, err := f.s.FindSurveyProgress(f.official, f.survey.ID)
		if err != nil || p.Invited != 3 || p.InvitedAnswered != 1 || p.Responses != 2 || p.LastReminderAt == nil ||
			len(p.PerDay) != 1 || p.PerDay[0] != (participation.DayCount{Date: "2017-03-01", Count: 2}) {
			t.Fatalf("progress %+v %v", p, err)
		}
	})
	t.Run("ErrClosed", func(t *testing.T) {
		if _, err := f.s.CloseSurvey(f.official, f.survey.ID); err != nil {
			t.Fatal(err)
		}
		_, err := f.s.RemindInvitations(f.official, f.survey.ID)
		wantCode(t, err, participation.ECLOSED)
		_, err = f.s.InviteToSurvey(f.official, f.survey.ID, participation.NewInvitations{Emails: []string{"late@example.fi"}})
		wantCode(t, err, participation.ECLOSED)
		_, err = f.s.SaveResponse(context.Background(), f.survey.ID, participation.Responder{InvitationToken: tokens[2]}, participation.NewResponse{Submit: true})
		wantCode(t, err, participation.ECLOSED)
	})
}

// invitationTokens returns the personal links' tokens of the outbox's
// messages of kind, oldest first.
func invitationTokens(t *testing.T, f *surveyFixture, kind string) []string {
	t.Helper()
	var tokens []string
	if err := f.s.DB().Select(&tokens, `SELECT params->>'token' FROM outbox WHERE kind = $1 ORDER BY id`, kind); err != nil {
		t.Fatal(err)
	}
	return tokens
}

func mustAdmin(t *testing.T, f *surveyFixture) context.Context {
	t.Helper()
	ctx, _ := mustAccount(t, f.s, "admin@example.fi", participation.RoleAdmin)
	return ctx
}

func containsAll(have, want []string) bool {
	set := map[string]bool{}
	for _, h := range have {
		set[h] = true
	}
	for _, w := range want {
		if !set[w] {
			return false
		}
	}
	return true
}
