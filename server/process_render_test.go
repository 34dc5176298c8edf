package server

import (
	"time"

	"osallistu/participation"
)

// processRenderCases adds the process pages of a draft and an archived
// process, as their officials see them, and the edit form, to the render
// test's pages and form errors.
func processRenderCases(pages map[string][]any, formErrors map[string]participation.FieldErrors, now time.Time) {
	organiser, phone := "Valtiovarainministeriö", "+358 295 530 000"
	name, email := "Katju Holkeri", "katju@example.fi"
	managed := func(status string, officials ...participation.ProcessOfficial) *participation.Process {
		return &participation.Process{ID: 3, Slug: "luonnos", Title: "Luonnos", CreatedAt: now, Status: status,
			Organiser: &organiser, Contact: &participation.Contact{Name: name, Email: email, Phone: &phone},
			Officials: officials, Manageable: true, Steps: []participation.Step{}, Stats: &participation.Stats{}}
	}
	one := participation.ProcessOfficial{AccountID: 1, Name: &name, Email: &email, AddedAt: now}
	two := participation.ProcessOfficial{AccountID: 2, AddedAt: now}
	pages["process"] = append(pages["process"],
		processPageData{Process: managed(participation.ProcessDraft, one)},
		processPageData{Process: managed(participation.ProcessArchived, one, two)},
		processPageData{Process: managed(participation.ProcessPublished, one, two)})
	pages["process_edit"] = []any{managed(participation.ProcessDraft, one), &participation.Process{Slug: "tyhja", Title: "Tyhjä"}}
	pages["home"] = append(pages["home"], frontPageData{Archived: []*participation.Process{managed(participation.ProcessArchived)}, Other: []*participation.Process{managed(participation.ProcessDraft)}, Pager: Pager{Limit: 20}})
	formErrors["process_edit"] = participation.FieldErrors{"title": {Rule: participation.RuleRequired}, "organiser": {Rule: participation.RuleMaxLength, Limit: 200},
		"contact_name": {Rule: participation.RuleRequired}, "contact_email": {Rule: participation.RuleFormat}, "contact_phone": {Rule: participation.RuleFormat}}
}
