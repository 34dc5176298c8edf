package server

import (
	"strings"
	"time"

	"osallistu/participation"
)

// moderationRenderCases adds TestI18nRenderEveryPage's cases of the
// moderation pages (the queue with each item's text and place, the pending
// list, a decision's page, the log, the block page) and a round's page for
// a blocked account.
func moderationRenderCases(pages map[string][]any, formErrors map[string]participation.FieldErrors, now time.Time) {
	ideaID, roundID, authorID := int64(1), int64(1), int64(7)
	title, round, slug, process, author := "Avoin data kaikille", "Ideoita toimintaohjelmaan", "avoin", "Avoin hallinto", "Aino"
	short, long, lang := "Hyvä idea <b>", strings.Repeat("Pitkä teksti, ", 40), "fi"
	where := func(kind string, text string) participation.ItemContext {
		c := participation.ItemContext{IdeaID: &ideaID, Title: &title, Text: &text, Language: &lang, RoundID: &roundID, RoundTitle: &round,
			ProcessSlug: &slug, ProcessTitle: &process}
		if kind == participation.KindIdea {
			c.AuthorID, c.AuthorName = &authorID, &author
		}
		return c
	}
	pages["moderation"] = []any{
		moderationPageData{Items: []*participation.ModerationItem{
			{Kind: participation.KindIdea, ID: 1, Reports: 2, Reasons: []string{"Mainos", "<script>"}, Excerpt: title, ItemContext: where(participation.KindIdea, long)},
			{Kind: participation.KindComment, ID: 2, Reports: 1, Reasons: []string{"Kiroilua"}, Excerpt: short, ItemContext: where(participation.KindComment, short)},
			{Kind: participation.KindIdea, ID: 6, Reports: 1, Reasons: []string{""}, Excerpt: short, AuthorRequest: true, ItemContext: where(participation.KindIdea, short)},
		}, Pager: Pager{Total: 3, Limit: 50}},
		moderationPageData{Pager: Pager{Limit: 50}},
	}
	pages["moderation_pending"] = []any{
		pendingPageData{Items: []*participation.PendingItem{
			{Kind: participation.KindIdea, ID: 3, CreatedAt: now, ItemContext: where(participation.KindIdea, long)},
			{Kind: participation.KindComment, ID: 4, CreatedAt: now, ItemContext: where(participation.KindComment, short)},
		}, Pager: Pager{Total: 2, Limit: 50}},
		pendingPageData{Pager: Pager{Limit: 50}},
	}
	name, reason, blocked := "Maija", "Asiaton kielenkäyttö", "Matti"
	pages["moderation_log"] = []any{
		moderationLogData{Actions: []*participation.ModerationAction{
			{ID: 4, Kind: participation.KindAccount, ItemID: 7, Action: participation.ActionBlock, Reason: reason, ActorName: &name, AccountName: &blocked, CreatedAt: now},
			{ID: 3, Kind: participation.KindComment, ItemID: 2, Action: participation.ActionDismiss, Reason: reason, ActorName: &name, CreatedAt: now,
				ItemContext: where(participation.KindComment, short)},
			{ID: 2, Kind: participation.KindIdea, ItemID: 1, Action: participation.ActionReject, Reason: reason, CreatedAt: now, ItemContext: where(participation.KindIdea, long)},
			{ID: 1, Kind: participation.KindAccount, ItemID: 8, Action: participation.ActionUnblock, CreatedAt: now},
			{ID: 5, Kind: participation.KindProposal, ItemID: 9, Action: participation.ActionHide, Reason: reason, ActorName: &name, CreatedAt: now},
		}, Pager: Pager{Total: 5, Limit: 50}},
		moderationLogData{Pager: Pager{Limit: 50}},
	}
	idea := &participation.Idea{ID: 1, RoundID: 1, Title: title, Body: long, Language: "fi", Status: participation.ItemPending, Hidden: true, CreatedAt: now}
	body := short
	comment := &participation.Comment{ID: 2, IdeaID: 1, Body: &body, Language: "fi", Status: participation.ItemPublished, CreatedAt: now}
	var decide []any
	for _, action := range []string{participation.ActionRestore, participation.ActionDismiss, participation.ActionApprove, participation.ActionReject} {
		decide = append(decide,
			decideData{itemPageData{Kind: participation.KindIdea, ID: 1, Idea: idea}, action},
			decideData{itemPageData{Kind: participation.KindComment, ID: 2, Idea: idea, Comment: comment}, action})
	}
	pages["moderation_decide"] = decide
	formErrors["moderation_decide"] = participation.FieldErrors{"reason": {Rule: participation.RuleRequired}}
	target := &participation.Account{ID: 7, Name: blocked, Roles: []string{participation.RoleCitizen}}
	pages["block"] = []any{
		blockPageData{Account: target},
		blockPageData{Account: target, Block: &participation.AccountBlock{ID: 1, AccountID: 7, Until: now.Add(72 * time.Hour), Reason: reason, CreatedAt: now}},
	}
	formErrors["block"] = participation.FieldErrors{"until": {Rule: participation.RuleInFuture}, "reason": {Rule: participation.RuleRequired}}
	pages["idea_round"] = append(pages["idea_round"], roundPageData{
		Round: &participation.IdeaRound{ID: 5, Title: round, OpensAt: now, ClosesAt: now.Add(time.Hour), Status: participation.StatusOpen, Premoderated: true},
		State: stateBlocked, Sort: participation.SortNew, Sorts: []string{participation.SortNew}, Pager: Pager{Limit: 20}})
}
