package demo

import (
	"fmt"
	"sort"
	"time"

	"osallistu/participation"
)

// workshopData is sql/demo/workshop.json: the opening event's workshop and
// its poll over the idea round's themes.
type workshopData struct {
	participation.NewWorkshop
	Question             string                     `json:"question"`
	QuestionTranslations participation.Translations `json:"question_translations"`
	MaxChoices           int                        `json:"max_choices"`
	Participants         int                        `json:"participants"`
}

// workshop runs the opening workshop of 6.9.2016: the participants join
// and each picks three themes so that every theme gets the votes the idea
// round's data gives it.
func (l *loader) workshop() error {
	var w workshopData
	if err := decode("workshop.json", &w); err != nil {
		return err
	}
	l.now = *w.StartsAt
	ws, err := l.store.CreateWorkshop(l.official, Slug, w.NewWorkshop)
	if err != nil {
		return err
	}
	poll, err := l.store.CreatePoll(l.official, ws.ID, participation.NewPoll{Question: w.Question, MaxChoices: &w.MaxChoices,
		OptionsFromIdeaRound: &l.roundID, TranslationInput: participation.TranslationInput{Translations: w.QuestionTranslations}})
	if err != nil {
		return err
	}
	if _, err := l.store.OpenPoll(l.official, poll.ID); err != nil {
		return err
	}
	// Every vote as an option id, most voted theme first; participant p takes
	// the votes at p, p+n, p+2n…, which are of different themes because no
	// theme has more votes than there are participants.
	optionOf := map[int64]int64{}
	for _, o := range poll.Options {
		if o.ThemeID != nil {
			optionOf[*o.ThemeID] = o.ID
		}
	}
	order := make([]int, len(l.themeIDs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return l.workshopVotes[order[a]] > l.workshopVotes[order[b]] })
	var votes []int64
	for _, ti := range order {
		for v := 0; v < l.workshopVotes[ti]; v++ {
			votes = append(votes, optionOf[l.themeIDs[ti]])
		}
	}
	for p := 0; p < w.Participants; p++ {
		l.now = l.now.Add(7 * time.Second)
		part, err := l.store.JoinWorkshop(l.ctx, participation.NewParticipant{Code: *ws.JoinCode, Municipality: l.municipality(p)})
		if err != nil {
			return err
		}
		var b participation.Ballot
		for i := p; i < len(votes); i += w.Participants {
			b.OptionIDs = append(b.OptionIDs, votes[i])
		}
		if _, err := l.store.CastBallot(l.ctx, poll.ID, part.Token, b); err != nil {
			return fmt.Errorf("ballot: %w", err)
		}
	}
	l.now = l.now.Add(time.Minute)
	_, err = l.store.ClosePoll(l.official, poll.ID)
	return err
}
