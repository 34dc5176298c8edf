package postgres_test

import (
	"context"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
)

// issuedRespondent issues a respondent token and returns it with a context
// that carries its respondent.
func issuedRespondent(t *testing.T, s *postgres.Store) (string, context.Context) {
	t.Helper()
	token, r, err := s.IssueRespondent(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return token, participation.NewContextWithRespondent(context.Background(), r)
}

func TestPurgeTokens(t *testing.T) {
	f := newWorkshopFixture(t)
	ctx := context.Background()
	const retention = 30 * 24 * time.Hour
	purge := func(t *testing.T, want participation.TokenPurge) {
		t.Helper()
		got, err := f.s.PurgeTokens(ctx, retention)
		if err != nil || got != want {
			t.Fatalf("purged %+v (%v), want %+v", got, err, want)
		}
	}

	// The fixture's workshop: Aino votes, and it ends.
	aino := f.join(t, "Aino")
	if _, err := f.s.OpenPoll(f.official, f.poll.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CastBallot(ctx, f.poll.ID, aino.Token, participation.Ballot{OptionIDs: []int64{f.option(0), f.option(2)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.EndWorkshop(f.official, f.w.ID); err != nil {
		t.Fatal(err)
	}
	before, err := f.s.FindTally(ctx, f.poll.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The official signed in, and someone failed to.
	if _, err := f.s.CreateSession(ctx, "official@example.fi", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CreateSession(ctx, "official@example.fi", "a wrong guess"); participation.ErrorCode(err) != participation.EUNAUTHENTICATED {
		t.Fatal(err)
	}
	// An idea round that closes in an hour: one respondent sends an idea,
	// another supports it; a third is issued a token and uses it nowhere.
	opens, closes := f.clk.t.Add(-time.Hour), f.clk.t.Add(time.Hour)
	round, err := f.s.CreateIdeaRound(f.official, "avoin", participation.NewIdeaRound{Title: "Ideat", OpensAt: &opens, ClosesAt: &closes, AllowAnonymous: true})
	if err != nil {
		t.Fatal(err)
	}
	author, authorCtx := issuedRespondent(t, f.s)
	supporter, supporterCtx := issuedRespondent(t, f.s)
	idle, _ := issuedRespondent(t, f.s)
	idea, err := f.s.CreateIdea(authorCtx, round.ID, participation.NewIdea{Title: "Avoimet kokoukset", Body: "Kokoukset verkkoon."}, "fi")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.SupportIdea(supporterCtx, idea.ID); err != nil {
		t.Fatal(err)
	}

	// A survey answered by a respondent and by an invitation link, closed.
	sv, err := f.s.CreateSurvey(f.official, "avoin", participation.NewSurvey{Title: "Kysely", Anonymous: ptr(true), Questions: sampleQuestions(false)[:1]})
	if err != nil {
		t.Fatal(err)
	}
	if sv, err = f.s.OpenSurvey(f.official, sv.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.InviteToSurvey(f.official, sv.ID, participation.NewInvitations{Emails: []string{"kutsuttu@example.fi"}}); err != nil {
		t.Fatal(err)
	}
	var link string
	if err := f.s.DB().Get(&link, `SELECT params->>'token' FROM outbox WHERE email = 'kutsuttu@example.fi'`); err != nil {
		t.Fatal(err)
	}
	answers := participation.NewResponse{Answers: []participation.Answer{{QuestionID: sv.Questions[0].ID, OptionIDs: []int64{sv.Questions[0].Options[0].ID}}}, Submit: true}
	surveyed, surveyedCtx := issuedRespondent(t, f.s)
	if _, err := f.s.SaveResponse(surveyedCtx, sv.ID, participation.Responder{}, answers); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.SaveResponse(ctx, sv.ID, participation.Responder{InvitationToken: link}, answers); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CloseSurvey(f.official, sv.ID); err != nil {
		t.Fatal(err)
	}

	t.Run("StepsJustEnded", func(t *testing.T) {
		purge(t, participation.TokenPurge{})
		if _, err := f.s.FindParticipant(ctx, aino.Token); err != nil {
			t.Fatalf("a token of a workshop that just ended: %v", err)
		}
	})

	// A month and a day later: a second workshop is under way (it never
	// ends by itself), and a second round is open, with a new respondent.
	f.clk.t = f.clk.t.Add(retention + 24*time.Hour)
	starts := f.clk.t.Add(-time.Hour)
	live, err := f.s.CreateWorkshop(f.official, "avoin", participation.NewWorkshop{Title: "Toinen työpaja", StartsAt: &starts})
	if err != nil {
		t.Fatal(err)
	}
	bert, err := f.s.JoinWorkshop(ctx, participation.NewParticipant{Code: *live.JoinCode, Name: ptr("Bert")})
	if err != nil {
		t.Fatal(err)
	}
	opens2, closes2 := f.clk.t.Add(-time.Hour), f.clk.t.Add(24*time.Hour)
	round2, err := f.s.CreateIdeaRound(f.official, "avoin", participation.NewIdeaRound{Title: "Ideat 2", OpensAt: &opens2, ClosesAt: &closes2, AllowAnonymous: true})
	if err != nil {
		t.Fatal(err)
	}
	current, currentCtx := issuedRespondent(t, f.s)
	if _, err := f.s.CreateIdea(currentCtx, round2.ID, participation.NewIdea{Title: "Selkokieli", Body: "Päätökset selkokielellä."}, "fi"); err != nil {
		t.Fatal(err)
	}

	t.Run("EndedLongAgo", func(t *testing.T) {
		// The official's session from a month ago has ended, and goes too.
		purge(t, participation.TokenPurge{ParticipantTokens: 1, Respondents: 4, SurveyInvitations: 1, Sessions: 1, LoginFailures: 1})
		_, err := f.s.FindParticipant(ctx, aino.Token)
		wantCode(t, err, participation.EUNAUTHENTICATED)
		for _, token := range []string{author, supporter, idle, surveyed} {
			_, err := f.s.FindRespondent(ctx, token)
			wantCode(t, err, participation.EUNAUTHENTICATED)
		}
		// The live workshop's and the open round's tokens stay.
		if _, err := f.s.FindParticipant(ctx, bert.Token); err != nil {
			t.Fatalf("a live workshop's token: %v", err)
		}
		if _, err := f.s.FindRespondent(ctx, current); err != nil {
			t.Fatalf("an open round's respondent: %v", err)
		}
		// What the tokens did stays, counted as before.
		after, err := f.s.FindTally(ctx, f.poll.ID)
		if err != nil || after.Ballots != before.Ballots || after.Options[0].Votes != 1 || after.Options[2].Votes != 1 {
			t.Fatalf("tally after the purge %+v (%v), before %+v", after, err, before)
		}
		got, err := f.s.FindIdea(ctx, idea.ID)
		if err != nil || got.Supports != 1 {
			t.Fatalf("the idea after the purge: %+v %v", got, err)
		}
		var responses, links int
		if err := f.s.DB().Get(&responses, `SELECT count(*) FROM survey_responses WHERE survey_id = $1 AND submitted_at IS NOT NULL`, sv.ID); err != nil || responses != 2 {
			t.Fatalf("%d responses after the purge, want 2 (%v)", responses, err)
		}
		if err := f.s.DB().Get(&links, `SELECT count(*) FROM survey_invitations WHERE token_hash IS NOT NULL`); err != nil || links != 0 {
			t.Fatalf("%d invitation links kept (%v)", links, err)
		}
		// Purging again finds nothing more.
		purge(t, participation.TokenPurge{})
	})

	t.Run("Archived", func(t *testing.T) {
		if _, err := f.s.ChangeProcessStatus(f.official, "avoin", participation.ProcessArchive); err != nil {
			t.Fatal(err)
		}
		purge(t, participation.TokenPurge{ParticipantTokens: 1, Respondents: 1})
		_, err := f.s.FindParticipant(ctx, bert.Token)
		wantCode(t, err, participation.EUNAUTHENTICATED)
		_, err = f.s.FindRespondent(ctx, current)
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
}
