package demo

import (
	"crypto/rand"
	"fmt"
	"time"

	"osallistu/participation"
)

// eventsData is sql/demo/events.json: the open government meetup of
// 9.3.2018, whose registration asked for the access control's name list
// and the ice cream. Registrants register in turn from the day it is
// announced; those listed in Cancelled (by index) cancel, and those in
// Absent do not come.
type eventsData struct {
	CreatedAt   time.Time              `json:"created_at"`
	Event       participation.NewEvent `json:"event"`
	Registrants []struct {
		Name         string `json:"name"`
		Organisation string `json:"organisation"`
		Diet         string `json:"diet"`
	} `json:"registrants"`
	Cancelled []int `json:"cancelled"`
	Absent    []int `json:"absent"`
}

// events adds the meetup, registers its people (each with an account of
// their own), cancels some, and marks after it who came.
func (l *loader) events() error {
	var d eventsData
	if err := decode("events.json", &d); err != nil {
		return err
	}
	l.now = d.CreatedAt
	e, err := l.store.CreateEvent(l.official, Slug, d.Event)
	if err != nil {
		return err
	}
	org, diet := e.Questions[0].ID, e.Questions[1].ID
	ids := make([]int64, len(d.Registrants))
	accounts := make([]*participation.Account, len(d.Registrants))
	for i, r := range d.Registrants {
		l.now = d.CreatedAt.Add(time.Duration(i+1) * 41 * time.Hour)
		a, err := l.store.CreateAccount(l.ctx, participation.NewAccount{Email: fmt.Sprintf("treffit%02d@example.com", i+1),
			Password: rand.Text(), Name: r.Name, Municipality: l.municipality(i)})
		if err != nil {
			return fmt.Errorf("registrant %s: %w", r.Name, err)
		}
		accounts[i] = a
		reg, err := l.store.Register(participation.NewContextWithAccount(l.ctx, a), e.ID, participation.NewRegistration{
			Lang: "fi", Answers: []participation.RegistrationAnswer{{QuestionID: org, Text: r.Organisation}, {QuestionID: diet, Text: r.Diet}}})
		if err != nil {
			return fmt.Errorf("registration of %s: %w", r.Name, err)
		}
		ids[i] = reg.ID
	}
	cancelled := map[int64]bool{}
	for _, i := range d.Cancelled {
		l.now = l.now.Add(time.Hour)
		if err := l.store.CancelRegistration(participation.NewContextWithAccount(l.ctx, accounts[i]), ids[i], ""); err != nil {
			return fmt.Errorf("cancel of %s: %w", d.Registrants[i].Name, err)
		}
		cancelled[ids[i]] = true
	}
	l.now = d.Event.EndsAt.Add(time.Hour)
	came := map[int64]bool{}
	for _, id := range ids {
		if !cancelled[id] {
			came[id] = true
		}
	}
	for _, i := range d.Absent {
		came[ids[i]] = false
	}
	return l.store.MarkAttendance(l.official, e.ID, came)
}
