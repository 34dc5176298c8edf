package server

import (
	"time"

	"osallistu/participation"
)

// outboxRenderCases adds TestI18nRenderEveryPage's cases of the admin's
// outbox page: empty, filtered to nothing, and a list with a message shown
// in full in each state (one that cannot be rendered among them).
func outboxRenderCases(now time.Time) map[string][]any {
	account := int64(4)
	later := now.Add(2 * time.Minute)
	params := participation.MessageParams{Title: "Avoin data", MilestoneID: 9, MilestoneTitle: "Kurssit", Status: participation.MilestoneLate}
	msgs := []*participation.Message{
		{ID: 5, AccountID: &account, Address: "liisa@example.fi", Channel: participation.ChannelEmail, Kind: participation.MessageMilestoneStatus,
			SubjectKind: participation.SubjectCommitment, SubjectID: 3, Params: params, Lang: "sv", CreatedAt: now,
			Attempts: 2, NextAttemptAt: &later, LastError: "RCPT TO: 451 Greylisted <try later>"},
		{ID: 4, Email: "ext@example.fi", Address: "ext@example.fi", Channel: participation.ChannelEmail, Kind: participation.MessageCommitmentApproved,
			SubjectKind: participation.SubjectCommitment, SubjectID: 3, Params: params, Lang: "en", CreatedAt: now, Attempts: 12, FailedAt: &later, LastError: "550 No such user"},
		{ID: 3, Email: "sent@example.fi", Address: "sent@example.fi", Channel: participation.ChannelEmail, Kind: participation.MessageCommitmentApproved,
			SubjectKind: participation.SubjectCommitment, SubjectID: 3, Params: params, Lang: "fi", CreatedAt: now, Attempts: 1, SentAt: &later},
		{ID: 2, AccountID: &account, Channel: participation.ChannelInApp, Kind: participation.MessageCommitmentApproved,
			SubjectKind: participation.SubjectCommitment, SubjectID: 3, Params: params, Lang: "fi", CreatedAt: now, ReadAt: &later},
		{ID: 1, AccountID: &account, Address: "liisa@example.fi", Channel: participation.ChannelInApp, Kind: participation.MessageCommitmentApproved,
			SubjectKind: participation.SubjectCommitment, SubjectID: 3, Params: params, Lang: "fi", CreatedAt: now},
	}
	var items []outboxItem
	for _, m := range msgs {
		items = append(items, outboxItem{Message: m, State: m.State(), ShowURL: "/admin/outbox?show=" + itoa(m.ID) + "#message"})
	}
	shown := func(i int, link string) *outboxItem {
		it := items[i]
		it.Text, _ = it.Render(link)
		return &it
	}
	unknown := &outboxItem{Message: &participation.Message{ID: 6, Email: "x@example.fi", Channel: participation.ChannelEmail, Kind: "from_a_newer_version",
		Lang: "fi", CreatedAt: now}, State: participation.MessageWaiting, Unrenderable: true}
	base := outboxData{States: participation.MessageStates, Channels: participation.MessageChannels}
	with := func(mod func(d *outboxData)) outboxData {
		d := base
		mod(&d)
		return d
	}
	return map[string][]any{
		"admin_outbox": {
			with(func(d *outboxData) { d.Pager = Pager{Limit: 50} }),
			with(func(d *outboxData) {
				d.State, d.Channel, d.EmailOn, d.Pager = participation.MessageFailed, participation.ChannelInApp, true, Pager{Limit: 50}
			}),
			with(func(d *outboxData) {
				d.Messages, d.Chosen, d.Pager = items, shown(0, "https://osallistu.example.fi/commitments/3#milestone-9"), Pager{Total: 120, Limit: 50, Offset: 50}
			}),
			with(func(d *outboxData) { d.Messages, d.Chosen, d.Pager = items, shown(1, ""), Pager{Total: 5, Limit: 50} }),
			with(func(d *outboxData) { d.Messages, d.Chosen, d.Pager = items, shown(3, ""), Pager{Total: 5, Limit: 50} }),
			with(func(d *outboxData) { d.Messages, d.Chosen, d.Pager = items, unknown, Pager{Total: 5, Limit: 50} }),
		},
	}
}
