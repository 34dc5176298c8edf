package server

import (
	"time"

	"osallistu/participation"
)

// newsletterRenderCases adds the render cases of the newsletter's pages:
// the form and its answer, the links' pages working and not, and a
// digest's preview with every kind of item and an empty one.
func newsletterRenderCases(pages map[string][]any, formErrors map[string]participation.FieldErrors) {
	langs := []selectOption{{Value: "fi", Label: "suomi"}, {Value: "sv", Label: "svenska"}, {Value: "en", Label: "English"}}
	pages["newsletter_subscribe"] = []any{&subscribeData{Languages: langs}, &subscribeData{Process: "p", Languages: langs, Sent: true}}
	sub := &participation.Subscription{ID: 1, Title: "Avoin hallinto", Lang: "fi", Frequency: participation.FrequencyMonthly}
	pages["newsletter_confirm"] = []any{&subscriptionLinkData{Token: "abc"}, &subscriptionLinkData{Invalid: true}, &subscriptionLinkData{Subscription: sub, Done: true}}
	pages["newsletter_unsubscribe"] = []any{&subscriptionLinkData{Token: "abc", Subscription: sub}, &subscriptionLinkData{Token: "abc", Subscription: &participation.Subscription{ID: 2}},
		&subscriptionLinkData{Invalid: true}, &subscriptionLinkData{Done: true}}
	at := time.Date(2017, 3, 17, 10, 0, 0, 0, time.UTC)
	var items []participation.DigestItem
	for i, kind := range participation.DigestKinds {
		items = append(items, participation.DigestItem{Kind: kind, StepKind: participation.StepSurvey, ID: int64(i + 1), Title: "Kysely", MilestoneID: 4, MilestoneTitle: "Välitavoite", Status: participation.MilestoneDone, At: at})
	}
	full := &participation.DigestPreview{Digest: participation.Digest{Slug: "p", Title: "Avoin hallinto", Frequency: participation.FrequencyMonthly,
		PeriodStart: "2017-03-01", PeriodEnd: "2017-03-31", Intro: "Hei", Items: items}, Subscribers: 1}
	empty := &participation.DigestPreview{Digest: participation.Digest{Frequency: participation.FrequencyWeekly, PeriodStart: "2017-03-06", PeriodEnd: "2017-03-12"}}
	pages["newsletter_digest"] = []any{&digestPageData{DigestPreview: full, Action: "/processes/p/newsletter"}, &digestPageData{DigestPreview: empty, Action: "/newsletter"}}
	formErrors["newsletter_subscribe"] = participation.FieldErrors{"email": {Rule: participation.RuleFormat}}
	formErrors["newsletter_digest"] = participation.FieldErrors{"intro": {Rule: participation.RuleMaxLength, Limit: participation.MaxDigestIntro}}
}
