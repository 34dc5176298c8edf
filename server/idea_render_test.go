package server

import (
	"time"

	"osallistu/participation"
)

// ideaRenderCases adds TestI18nRenderEveryPage's cases of the idea round
// pages, in each of their states, and their forms' errors.
func ideaRenderCases(pages map[string][]any, formErrors map[string]participation.FieldErrors, now time.Time, process *participation.Process) {
	later := now.Add(30 * 24 * time.Hour)
	municipality := "Tampere"
	round := &participation.IdeaRound{ID: 1, ProcessID: 1, Title: "Ideoita toimintaohjelmaan", Description: "Mitä pitäisi tehdä?\n\nKerro.",
		OpensAt: now, ClosesAt: later, AllowAnonymous: true, Status: participation.StatusOpen, IdeaCount: 2}
	signIn := &participation.IdeaRound{ID: 2, Title: "Vain kirjautuneille", OpensAt: now, ClosesAt: later, Status: participation.StatusOpen}
	upcoming := &participation.IdeaRound{ID: 3, Title: "Tulossa", OpensAt: later, ClosesAt: later.Add(time.Hour), Status: participation.StatusUpcoming}
	closed := &participation.IdeaRound{ID: 4, Title: "Päättynyt", OpensAt: now, ClosesAt: later, Status: participation.StatusClosed}
	theme := &participation.Theme{ID: 1, RoundID: 1, Title: "Avoin data", Description: "Tietoa kaikille.", IdeaCount: 1}
	themes := []*participation.Theme{theme, {ID: 2, RoundID: 1, Title: "Tyhjä teema"}}
	name, reason, body := "Aino", "Asiaton kielenkäyttö", "Hyvä idea <b>, katso https://example.fi/a?b=1&c=2."
	idea := &participation.Idea{ID: 1, RoundID: 1, Title: "Avoin data kaikille", Body: "Julkaistaan data.\nLisää: " + body,
		AuthorName: &name, Municipality: &municipality, Language: "fi", ThemeID: &theme.ID, Supports: 3, Comments: 2, CreatedAt: now, Supported: true}
	other := &participation.Idea{ID: 2, RoundID: 1, Title: "Idé på svenska", Body: "Mer öppenhet.", Language: "sv", CreatedAt: now}
	hidden := &participation.Idea{ID: 3, RoundID: 1, Title: "Piilotettu", Body: "x", Language: "fi", Hidden: true, HiddenReason: &reason, CreatedAt: now}
	comment := &participation.Comment{ID: 1, IdeaID: 1, Body: &body, AuthorName: &name, Language: "fi", CreatedAt: now, Replies: []participation.Comment{
		{ID: 2, IdeaID: 1, ParentID: &idea.ID, Body: &body, Language: "sv", CreatedAt: now},
		{ID: 3, IdeaID: 1, ParentID: &idea.ID, Hidden: true, HiddenReason: &reason, Language: "fi", CreatedAt: now},
	}}
	hiddenComment := &participation.Comment{ID: 4, IdeaID: 1, Hidden: true, HiddenReason: &reason, Language: "fi", CreatedAt: now}
	list := ideaItems([]*participation.Idea{idea, other, hidden}, themes)
	sorts := []string{participation.SortNew, participation.SortSupports}
	pages["idea_round_new"] = []any{newRoundData{Process: process}}
	// A round whose window moved twice: later closing, then earlier opening.
	moved := *round
	official := "Maija Virkamies"
	moved.WindowChanges = []participation.WindowChange{
		{OpensAtBefore: now, OpensAt: now, ClosesAtBefore: now.AddDate(0, 0, 14), ClosesAt: later, AuthorName: &official, ChangedAt: now.AddDate(0, 0, 2)},
		{OpensAtBefore: now, OpensAt: now.Add(-time.Hour), ClosesAtBefore: later, ClosesAt: later, ChangedAt: now.AddDate(0, 0, 3)},
	}
	pages["idea_round_edit"] = []any{editRoundData{Round: round}, editRoundData{Round: &moved}}
	mergedInto := theme.ID
	merged := &participation.Theme{ID: 3, RoundID: 1, Title: "Tietovarannot", MergedInto: &mergedInto}
	pages["theme_edit"] = []any{themeEditData{Theme: theme, Round: round}}
	pages["theme_merge"] = []any{themeMergeData{Round: round, From: themes[1], Into: theme}}
	pages["idea_round"] = []any{
		roundPageData{Round: round, State: stateOpen, Themes: themes, Ideas: list, Query: "data", ThemeID: 1, Sort: participation.SortRank,
			Sorts: append([]string{participation.SortRank}, sorts...), Pager: Pager{Total: 45, Limit: 20, Offset: 20}},
		roundPageData{Round: signIn, State: stateSignIn, Sort: participation.SortNew, Sorts: sorts, Pager: Pager{Limit: 20}},
		roundPageData{Round: upcoming, State: stateUpcoming, Sort: participation.SortNew, Sorts: sorts, Pager: Pager{Limit: 20}},
		roundPageData{Round: &moved, State: stateOpen, Themes: themes, Sort: participation.SortNew, Sorts: sorts, Pager: Pager{Limit: 20}},
		roundPageData{Round: closed, State: stateClosed, Themes: themes, Ideas: list[:1], Sort: participation.SortSupports, Sorts: sorts, Pager: Pager{Total: 1, Limit: 20}},
	}
	pages["idea_new"] = []any{newIdeaData{Round: round, State: stateOpen}} // the other states show no form (see idea_pages_test.go)
	pages["idea"] = []any{
		ideaPageData{Idea: idea, Round: round, State: stateOpen, Theme: theme, Threads: []*participation.Comment{comment, hiddenComment}, Pager: Pager{Total: 60, Limit: 50}},
		ideaPageData{Idea: other, Round: signIn, State: stateSignIn, Pager: Pager{Limit: 50}},
		ideaPageData{Idea: hidden, Round: closed, State: stateClosed, Threads: []*participation.Comment{comment}, Pager: Pager{Total: 1, Limit: 50}},
	}
	pages["idea_comment"] = []any{
		commentPageData{Idea: idea, Round: round, State: stateOpen},
		commentPageData{Idea: idea, Round: round, State: stateOpen, Parent: comment},
	}
	// An author's own idea and comments: editable, edited, deleted, and
	// past the edit window (the removal request).
	until := now.Add(15 * time.Minute)
	mine := &participation.Idea{ID: 5, RoundID: 1, Title: "Oma idea", Body: "Muokattu teksti.", Language: "fi", CreatedAt: now,
		EditedAt: &now, Mine: true, EditableUntil: &until}
	late := &participation.Idea{ID: 6, RoundID: 1, Title: "Vanha idea", Body: "Teksti.", Language: "fi", CreatedAt: now, Mine: true}
	myComment := &participation.Comment{ID: 5, IdeaID: 5, Body: &body, AuthorName: &name, Language: "fi", CreatedAt: now, EditedAt: &now,
		Mine: true, EditableUntil: &until, Replies: []participation.Comment{
			{ID: 6, IdeaID: 5, ParentID: &mine.ID, Deleted: true, Language: "fi", CreatedAt: now},
			{ID: 7, IdeaID: 5, ParentID: &mine.ID, Body: &body, Language: "fi", CreatedAt: now, Mine: true},
		}}
	pages["idea"] = append(pages["idea"],
		ideaPageData{Idea: mine, Round: round, State: stateOpen, Threads: []*participation.Comment{myComment}, Pager: Pager{Total: 1, Limit: 50}},
		ideaPageData{Idea: late, Round: closed, State: stateClosed, Pager: Pager{Limit: 50}})
	pages["idea_edit"] = []any{ideaEditData{Idea: mine, Round: round}, ideaEditData{Idea: late, Round: closed}}
	pages["comment_edit"] = []any{
		commentEditData{Comment: myComment, Idea: mine, Round: round},
		commentEditData{Comment: &myComment.Replies[1], Idea: mine, Round: round},
	}
	// Each state of these pages has other fields (the edit form's, or the
	// removal request's): only the form-level error is common to both.
	formErrors["idea_edit"] = participation.FieldErrors{"_form": {Rule: "error.edit_window"}}
	formErrors["comment_edit"] = participation.FieldErrors{"_form": {Rule: "error.edit_window"}}
	pages["idea_report"] = []any{itemPageData{Kind: participation.KindIdea, ID: 1, Idea: idea}, itemPageData{Kind: participation.KindComment, ID: 1, Idea: idea, Comment: comment}}
	pages["idea_hide"] = []any{itemPageData{Kind: participation.KindIdea, ID: 1, Idea: idea}, itemPageData{Kind: participation.KindComment, ID: 4, Idea: idea, Comment: hiddenComment}}
	pages["theme"] = []any{
		themePageData{Theme: theme, Round: round, Ideas: list[:1], Pager: Pager{Total: 30, Limit: 20},
			Results: []participation.ThemePollResult{{PollID: 1, Question: "Mitkä teemat ovat tärkeimpiä?", OptionID: 1, Votes: 41, Rank: 1}}},
		themePageData{Theme: themes[1], Round: closed, Pager: Pager{Limit: 20}},
		themePageData{Theme: merged, Round: round, MergedInto: theme, Pager: Pager{Limit: 20}},
	}
	pages["idea_group"] = []any{
		groupPageData{Round: round, Themes: themes, Unthemed: []*participation.Idea{other}, Checked: map[int64]bool{2: true},
			Themed: []themeIdeas{{Theme: theme, Ideas: []*participation.Idea{idea}, More: 3}, {Theme: themes[1]}}, Pager: Pager{Total: 150, Limit: 100}},
		groupPageData{Round: round, Pager: Pager{Limit: 100}},
	}
	formErrors["idea_round_new"] = participation.FieldErrors{"title": {Rule: participation.RuleRequired}, "opens_at": {Rule: participation.RuleFormat},
		"closes_at": {Rule: participation.RuleAfterOpen}, "description": {Rule: participation.RuleMaxLength, Limit: 20000}}
	formErrors["idea_new"] = participation.FieldErrors{"_form": {Rule: "error.closed"}, "title": {Rule: participation.RuleMinLength, Limit: 3},
		"body": {Rule: participation.RuleRequired}, "author_name": {Rule: participation.RuleMaxLength, Limit: 100},
		"municipality": {Rule: participation.RuleMaxLength, Limit: 100}, "website": {Rule: participation.RuleHoneypot}}
	formErrors["idea_comment"] = participation.FieldErrors{"body": {Rule: participation.RuleMaxLength, Limit: 5000}, "website": {Rule: participation.RuleHoneypot}}
	formErrors["idea_report"] = participation.FieldErrors{"reason": {Rule: participation.RuleRequired}}
	formErrors["idea_hide"] = participation.FieldErrors{"reason": {Rule: participation.RuleMaxLength, Limit: 1000}}
	formErrors["idea_group"] = participation.FieldErrors{"title": {Rule: participation.RuleRequired}, "idea_ids": {Rule: participation.RuleRequired},
		"theme_id": {Rule: participation.RuleChoice}, "merge_id": {Rule: participation.RuleRequired}, "merge_into": {Rule: ruleSameTheme}}
	formErrors["idea_round_edit"] = participation.FieldErrors{"title": {Rule: participation.RuleRequired}, "opens_at": {Rule: participation.RuleFormat},
		"closes_at": {Rule: participation.RuleAfterOpen}, "tr_sv_title": {Rule: participation.RuleMaxLength, Limit: 200}}
	formErrors["theme_edit"] = participation.FieldErrors{"_form": {Rule: "error.conflict"}, "title": {Rule: participation.RuleRequired},
		"description": {Rule: participation.RuleMaxLength, Limit: 5000}}
}
