package participation

import (
	"testing"
	"time"
)

func TestStatementRequestStatus(t *testing.T) {
	now := time.Date(2017, 3, 1, 9, 0, 0, 0, time.UTC)
	deadline := now.Add(24 * time.Hour)
	r := &StatementRequest{Deadline: deadline}
	if got := r.StatusAt(now); got != StatementRequestDraft {
		t.Errorf("unpublished: %s", got)
	}
	if ErrorCode(r.CheckOpen(now)) != ECLOSED || r.CheckPublishable(now) != nil {
		t.Error("a draft takes no statements but may be published")
	}
	r.PublishedAt = &now
	if got := r.StatusAt(now); got != StatusOpen || r.CheckOpen(now) != nil {
		t.Errorf("published: %s", got)
	}
	if ErrorCode(r.CheckPublishable(now)) != ECONFLICT {
		t.Error("published twice")
	}
	if got := r.StatusAt(deadline); got != StatusClosed || ErrorCode(r.CheckOpen(deadline)) != ECLOSED {
		t.Errorf("at the deadline: %s", got)
	}
	draft := &StatementRequest{Deadline: now}
	if ErrorCode(draft.CheckPublishable(now)) != ECLOSED {
		t.Error("a draft past its deadline was publishable")
	}
}

func TestNewStatementRequestValidate(t *testing.T) {
	now := time.Date(2017, 3, 1, 9, 0, 0, 0, time.UTC)
	later, past := now.Add(time.Hour), now.Add(-time.Hour)
	c := int64(4)
	n := NewStatementRequest{Title: " Lausuntopyyntö ", Deadline: &later,
		Questions:              []QuestionInput{{Prompt: " Mitä mieltä? ", CommitmentID: &c, Translations: Translations{"sv": {"prompt": "Vad tycker ni?"}}}},
		InvitedOrganisationIDs: []int64{3, 3, 5}, InvitedEmails: []string{"Kirjaamo@Example.fi", "kirjaamo@example.fi"},
		TranslationInput: TranslationInput{Translations: Translations{"sv": {"title": "Begäran"}}}}
	tr, err := n.Validate(now)
	if err != nil {
		t.Fatal(err)
	}
	if n.Title != "Lausuntopyyntö" || n.Questions[0].Prompt != "Mitä mieltä?" || len(n.InvitedOrganisationIDs) != 2 ||
		len(n.InvitedEmails) != 1 || n.InvitedEmails[0] != "kirjaamo@example.fi" || n.CommitmentIDs == nil {
		t.Errorf("normalised %+v", n)
	}
	if tr.Language != "fi" || tr.Translations["sv"]["title"] != "Begäran" {
		t.Errorf("translations %+v", tr)
	}
	for name, bad := range map[string]NewStatementRequest{
		"no title":            {Deadline: &later},
		"no deadline":         {Title: "T"},
		"past deadline":       {Title: "T", Deadline: &past},
		"empty prompt":        {Title: "T", Deadline: &later, Questions: []QuestionInput{{Prompt: " "}}},
		"question with an id": {Title: "T", Deadline: &later, Questions: []QuestionInput{{Prompt: "Q", ID: &c}}},
		"bad organisation id": {Title: "T", Deadline: &later, InvitedOrganisationIDs: []int64{0}},
		"bad address":         {Title: "T", Deadline: &later, InvitedEmails: []string{"nobody"}},
		"bad translation":     {Title: "T", Deadline: &later, Questions: []QuestionInput{{Prompt: "Q", Translations: Translations{"sv": {"title": "x"}}}}},
	} {
		if _, err := bad.Validate(now); ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestStatementRequestPatchApply(t *testing.T) {
	now := time.Date(2017, 3, 1, 9, 0, 0, 0, time.UTC)
	resp := "Otettu huomioon."
	r := &StatementRequest{ID: 1, Title: "T", Deadline: now.Add(time.Hour), Translatable: Translatable{Language: "fi"},
		Questions: []StatementQuestion{
			{ID: 10, Prompt: "A", Position: 1, Response: &resp, Translatable: Translatable{Language: "fi", Translations: Translations{"sv": {"response": "Beaktat."}}}},
			{ID: 11, Prompt: "B", Position: 2},
		}}
	earlier, later := now.Add(30*time.Minute), now.Add(48*time.Hour)
	id := int64(11)
	p := StatementRequestPatch{Deadline: &earlier, Questions: &[]QuestionInput{{ID: &id, Prompt: "B2"}, {Prompt: "C"}}}
	if err := p.Apply(r, now); err != nil {
		t.Fatal(err)
	}
	if !r.Deadline.Equal(earlier) || len(r.Questions) != 2 || r.Questions[0].ID != 11 || r.Questions[0].Prompt != "B2" ||
		r.Questions[0].Position != 1 || r.Questions[1].ID != 0 || r.Questions[1].Prompt != "C" {
		t.Errorf("patched %+v", r)
	}
	past := now.Add(-time.Minute)
	unknown := int64(99)
	for name, bad := range map[string]StatementRequestPatch{
		"past deadline":    {Deadline: &past},
		"unknown question": {Questions: &[]QuestionInput{{ID: &unknown, Prompt: "X"}}},
		"empty title":      {Title: new(string)},
	} {
		before := r.Title
		if err := bad.Apply(r, now); ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v", name, err)
		}
		if r.Title != before {
			t.Errorf("%s changed the request", name)
		}
	}
	// A question kept keeps its response and the response's translations.
	r.Questions[0] = StatementQuestion{ID: 11, Prompt: "B2", Response: &resp, Translatable: Translatable{Language: "fi", Translations: Translations{"sv": {"response": "Beaktat."}}}}
	if err := (&StatementRequestPatch{Deadline: &later, Questions: &[]QuestionInput{{ID: &id, Prompt: "B3", Translations: Translations{"sv": {"prompt": "B3 sv"}}}}}).Apply(r, now); err != nil {
		t.Fatal(err)
	}
	q := r.Questions[0]
	if *q.Response != resp || q.Translations["sv"]["response"] != "Beaktat." || q.Translations["sv"]["prompt"] != "B3 sv" {
		t.Errorf("kept question %+v", q)
	}
}

func TestQuestionResponseApply(t *testing.T) {
	q := &StatementQuestion{ID: 1, Prompt: "A", Translatable: Translatable{Language: "fi", Translations: Translations{"sv": {"prompt": "A sv"}}}}
	text := " Ehdotukset otettiin huomioon. "
	if err := (&QuestionResponse{Response: &text, Translations: Translations{"en": {"response": "Taken into account."}}}).Apply(q); err != nil {
		t.Fatal(err)
	}
	if *q.Response != "Ehdotukset otettiin huomioon." || q.Translations["sv"]["prompt"] != "A sv" || q.Translations["en"]["response"] != "Taken into account." {
		t.Errorf("%+v", q)
	}
	if err := (&QuestionResponse{}).Apply(q); err != nil || q.Response != nil || q.Translations["en"] != nil {
		t.Errorf("cleared: %v %+v", err, q)
	}
	if ErrorCode((&QuestionResponse{Translations: Translations{"en": {"prompt": "x"}}}).Apply(q)) != EINVALID {
		t.Error("a response translated the prompt")
	}
}
