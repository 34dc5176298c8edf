package participation

import (
	"slices"
	"testing"
)

func TestStatementInputValidate(t *testing.T) {
	r := &StatementRequest{Questions: []StatementQuestion{{ID: 7, Position: 1}, {ID: 8, Position: 2}}}
	in := StatementInput{Summary: " Yleisesti hyvä. ", Answers: []StatementAnswer{
		{QuestionID: 8, Position: PositionNoComment}, {QuestionID: 7, Position: PositionSupport, Text: " Kannatamme. "}}}
	if err := in.Validate(r, "sv"); err != nil {
		t.Fatal(err)
	}
	if in.Summary != "Yleisesti hyvä." || in.Language != "sv" || in.Answers[0].QuestionID != 7 || in.Answers[0].Text != "Kannatamme." {
		t.Errorf("normalised %+v", in)
	}
	for name, bad := range map[string]StatementInput{
		"foreign question": {Answers: []StatementAnswer{{QuestionID: 9, Position: PositionSupport}}},
		"twice":            {Answers: []StatementAnswer{{QuestionID: 7, Position: PositionSupport}, {QuestionID: 7, Position: PositionOppose}}},
		"bad position":     {Answers: []StatementAnswer{{QuestionID: 7, Position: "maybe"}}},
		"empty submitted":  {Submit: true},
		"unknown language": {Language: "de"},
	} {
		if ErrorCode(bad.Validate(r, "fi")) != EINVALID {
			t.Errorf("%s passed", name)
		}
	}
	if err := (&StatementInput{}).Validate(r, "fi"); err != nil {
		t.Errorf("an empty draft: %v", err)
	}
	en := StatementInput{Language: "en"}
	if err := en.Validate(r, "fi"); err != nil || en.Language != "en" {
		t.Errorf("a chosen language: %q %v", en.Language, err)
	}
}

func TestSummarise(t *testing.T) {
	resp := "Otettiin huomioon."
	r := &StatementRequest{ID: 1, Questions: []StatementQuestion{{ID: 7, Prompt: "A", Position: 1, Response: &resp}, {ID: 8, Prompt: "B", Position: 2}}}
	kunta := &OrganisationRef{ID: 1, Name: "Kunta", Kind: OrganisationMunicipality}
	ministerio := &OrganisationRef{ID: 2, Name: "Ministeriö", Kind: OrganisationMinistry}
	statements := []*Statement{
		{ID: 1, Organisation: kunta, Answers: []StatementAnswer{{QuestionID: 7, Position: PositionSupport, Text: "Hyvä"}, {QuestionID: 8, Position: PositionNoComment}}},
		{ID: 2, Answers: []StatementAnswer{{QuestionID: 7, Position: PositionOppose, Text: "Huono"}}},
		{ID: 3, Organisation: ministerio, Answers: []StatementAnswer{{QuestionID: 7, Position: PositionSupport}}},
	}
	invited := []OrganisationRef{*kunta, {ID: 3, Name: "Yhdistys", Kind: OrganisationAssociation}}
	sum := Summarise(r, statements, invited)
	if sum.Statements != 3 || sum.Invited != 2 || sum.InvitedResponded != 1 || len(sum.NotResponded) != 1 || sum.NotResponded[0].ID != 3 {
		t.Errorf("counts %+v", sum)
	}
	a := sum.Questions[0]
	if a.Positions != (PositionCounts{Support: 2, Oppose: 1}) || *a.Response != resp {
		t.Errorf("question A %+v", a)
	}
	var order []int64
	for _, ans := range a.Answers {
		order = append(order, ans.StatementID)
	}
	if !slices.Equal(order, []int64{3, 1, 2}) { // ministry, municipality, person
		t.Errorf("answers in order %v", order)
	}
	b := sum.Questions[1]
	if b.Positions.NoComment != 1 || b.Positions.Total() != 1 || len(b.Answers) != 1 || b.Response != nil {
		t.Errorf("question B %+v", b)
	}
}
