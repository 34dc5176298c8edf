package server

import (
	"time"

	"osallistu/participation"
)

// eventRenderCases adds the render cases of the event pages: an event open
// for registration (full, with a question), after registering, closed; a
// registration's link to confirm and to cancel, and done; the officials'
// list before and after the event, and empty; the officials' form that
// adds an event, empty and with errors.
func eventRenderCases(pages map[string][]any, formErrors map[string]participation.FieldErrors, now time.Time) {
	capacity, url, token := 2, "https://example.fi/stream", "abc"
	e := &participation.Event{ID: 7, ProcessSlug: "avoin-hallinto", Title: "Avoimen hallinnon treffit", Description: "Tervetuloa!\n\nhttps://example.fi",
		StartsAt: now.Add(48 * time.Hour), EndsAt: now.Add(51 * time.Hour), Location: "Mariankatu 9", OnlineURL: &url, Capacity: &capacity,
		Questions:  []participation.EventQuestion{{ID: 3, Prompt: "Erityisruokavalio (tarjoilua varten)", Required: true}, {ID: 4, Prompt: "Saavutettavuus"}},
		Registered: 2, Waitlisted: 1, Translatable: participation.Translatable{Language: "fi", Translations: participation.Translations{"en": {"title": "Open government meetup"}}}}
	unlimited := *e
	unlimited.Capacity, unlimited.OnlineURL, unlimited.Waitlisted = nil, nil, 0
	deleted := *e
	deleted.AnswersDeletedAt = &now
	reg := &participation.Registration{ID: 9, EventID: 7, Status: participation.RegistrationUnconfirmed, CancelToken: &token, RegisteredAt: now}
	came := true
	registrants := []*participation.Registrant{
		{ID: 1, Name: "Aino", Email: "aino@example.fi", Status: participation.RegistrationRegistered, RegisteredAt: now, Attended: &came, Answers: map[int64]string{3: "Gluteeniton"}},
		{ID: 2, Name: "Eero", Email: "eero@example.fi", Status: participation.RegistrationWaitlisted, RegisteredAt: now, Answers: map[int64]string{}},
	}
	pages["event"] = []any{
		&eventPageData{Event: e, Full: true, AnswerDays: 30},
		&eventPageData{Event: &unlimited, AnswerDays: 30},
		&eventPageData{Event: e, Done: reg},
		&eventPageData{Event: e, Done: &participation.Registration{ID: 9, Status: participation.RegistrationWaitlisted}},
		&eventPageData{Event: e, Closed: true},
	}
	pages["event_registration"] = []any{
		&registrationPageData{Action: "confirm", Token: token, Registration: reg, Event: e},
		&registrationPageData{Action: "cancel", Token: token, Registration: &participation.Registration{ID: 9, Status: participation.RegistrationRegistered}, Event: e},
		&registrationPageData{Action: "cancel", Registration: &participation.Registration{ID: 9, Status: participation.RegistrationCancelled}, Event: e, Done: true},
		&registrationPageData{Action: "confirm", Registration: &participation.Registration{ID: 9, Status: participation.RegistrationWaitlisted}, Event: e, Done: true},
	}
	pages["event_registrations"] = []any{
		&registrantsPageData{Event: e, Registrants: registrants},
		&registrantsPageData{Event: &deleted, Registrants: registrants, Started: true},
		&registrantsPageData{Event: &unlimited, Registrants: []*participation.Registrant{}},
	}
	process := &participation.Process{ID: 1, Slug: "avoin-hallinto", Title: "Avoin hallinto", Status: participation.StatusOpen}
	pages["event_new"] = []any{&newEventData{Process: process, Questions: []int{1, 2, 3}, AnswerDays: 30}}
	formErrors["event_new"] = participation.FieldErrors{"title": {Rule: participation.RuleRequired}, "ends_at": {Rule: participation.RuleAfterOpen},
		"capacity": {Rule: participation.RuleFormat}, "online_url": {Rule: participation.RuleFormat}, "prompt_2": {Rule: participation.RuleRequired},
		"tr_sv_title": {Rule: participation.RuleMaxLength, Limit: participation.EventTitleMax}}
	// The name and email fields are a signed-out visitor's only; the test
	// renders every case signed in too.
	formErrors["event"] = participation.FieldErrors{"answer_3": {Rule: participation.RuleRequired}}
	formErrors["event_registration"] = participation.FieldErrors{"_form": {Rule: "error." + participation.ECLOSED}}
	formErrors["event_registrations"] = participation.FieldErrors{"_form": {Rule: "error." + participation.ECLOSED}}
}

// eventWithoutForm reports whether an event page's data shows it without
// its form, so that it has no errors to show.
func eventWithoutForm(data any) bool {
	switch d := data.(type) {
	case *eventPageData:
		return d.Done != nil || d.Closed
	case *registrationPageData:
		return d.Done || d.Registration.Status == participation.RegistrationCancelled
	case *registrantsPageData:
		return len(d.Registrants) == 0
	}
	return false
}
