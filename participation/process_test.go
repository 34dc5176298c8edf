package participation

import (
	"encoding/json"
	"testing"
)

func TestProcessChangeStatus(t *testing.T) {
	for _, c := range []struct {
		from, action, to, code string
	}{
		{ProcessDraft, ProcessPublish, ProcessPublished, ""},
		{ProcessDraft, ProcessArchive, ProcessArchived, ""},
		{ProcessPublished, ProcessArchive, ProcessArchived, ""},
		{ProcessArchived, ProcessUnarchive, ProcessPublished, ""},
		{ProcessPublished, ProcessPublish, "", ECONFLICT},
		{ProcessArchived, ProcessPublish, "", ECONFLICT},
		{ProcessArchived, ProcessArchive, "", ECONFLICT},
		{ProcessDraft, ProcessUnarchive, "", ECONFLICT},
		{ProcessPublished, ProcessUnarchive, "", ECONFLICT},
		{ProcessDraft, "delete", "", ENOTFOUND},
	} {
		p := &Process{Status: c.from}
		to, err := p.ChangeStatus(c.action)
		if to != c.to || ErrorCode(err) != c.code {
			t.Errorf("%s from %s: %q, %v; want %q, %q", c.action, c.from, to, err, c.to, c.code)
		}
	}
}

func TestCanManage(t *testing.T) {
	official := &Account{ID: 1, Roles: []string{RoleCitizen, RoleOfficial}}
	other := &Account{ID: 2, Roles: []string{RoleCitizen, RoleOfficial}}
	admin := &Account{ID: 3, Roles: []string{RoleCitizen, RoleAdmin}}
	demoted := &Account{ID: 4, Roles: []string{RoleCitizen}}
	for _, c := range []struct {
		name string
		a    *Account
		want bool
	}{
		{"one of its officials", official, true},
		{"another official", other, false},
		{"an admin", admin, true},
		{"a listed account without the role", demoted, false},
		{"nobody", nil, false},
	} {
		if got := CanManage(c.a, []int64{1, 4}); got != c.want {
			t.Errorf("%s: %v", c.name, got)
		}
		if err := CheckManage(c.a, []int64{1, 4}); (err == nil) != c.want || (err != nil && ErrorCode(err) != EFORBIDDEN) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestProcessCanViewAndCheckOpen(t *testing.T) {
	for _, c := range []struct {
		status          string
		public, manager bool
		open            bool
	}{
		{ProcessDraft, false, true, true},
		{ProcessPublished, true, true, true},
		{ProcessArchived, true, true, false},
	} {
		p := &Process{Status: c.status}
		if p.CanView(false) != c.public || p.CanView(true) != c.manager {
			t.Errorf("%s: seen by the public %v, by its officials %v", c.status, p.CanView(false), p.CanView(true))
		}
		if err := p.CheckOpen(); (err == nil) != c.open || (err != nil && ErrorCode(err) != ECLOSED) {
			t.Errorf("%s: %v", c.status, err)
		}
	}
}

func TestCheckRemoveOfficial(t *testing.T) {
	two := []ProcessOfficial{{AccountID: 1}, {AccountID: 2}}
	if err := CheckRemoveOfficial(two, 2); err != nil {
		t.Error(err)
	}
	if err := CheckRemoveOfficial(two[:1], 1); ErrorCode(err) != ECONFLICT {
		t.Errorf("the last: %v", err)
	}
	if err := CheckRemoveOfficial(two, 3); ErrorCode(err) != ENOTFOUND {
		t.Errorf("not one: %v", err)
	}
}

func TestNewProcessValidate(t *testing.T) {
	draft, archived, phone, badPhone := ProcessDraft, ProcessArchived, " +358 40 123 4567 ", "call me"
	for _, c := range []struct {
		name   string
		n      NewProcess
		fields []string
	}{
		{"published by default", NewProcess{Slug: "avoin", Title: "Avoin"}, nil},
		{"a draft", NewProcess{Slug: "avoin", Title: "Avoin", Status: &draft}, nil},
		{"not archived at once", NewProcess{Slug: "avoin", Title: "Avoin", Status: &archived}, []string{"status"}},
		{"a contact", NewProcess{Slug: "avoin", Title: "Avoin", Contact: &Contact{Name: "Katju", Email: "Katju@Example.fi", Phone: &phone}}, nil},
		{"a contact needs a name and an email", NewProcess{Slug: "avoin", Title: "Avoin", Contact: &Contact{Phone: &badPhone}},
			[]string{"contact.name", "contact.email", "contact.phone"}},
	} {
		err := c.n.Validate()
		if len(c.fields) == 0 {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		e, _ := err.(*Error)
		for _, f := range c.fields {
			if e == nil || e.Fields[f].Rule == "" {
				t.Errorf("%s: %v, want an error on %s", c.name, err, f)
			}
		}
	}
	n := NewProcess{Slug: "avoin", Title: "Avoin", Contact: &Contact{Name: " Katju ", Email: " Katju@Example.fi ", Phone: &phone}}
	if err := n.Validate(); err != nil || *n.Status != ProcessPublished || n.Contact.Name != "Katju" || n.Contact.Email != "katju@example.fi" || *n.Contact.Phone != "+358 40 123 4567" {
		t.Errorf("%v %+v %+v", err, n, n.Contact)
	}
}

func TestProcessPatchApply(t *testing.T) {
	organiser := "VM"
	p := &Process{Slug: "avoin", Title: "Avoin", Description: "Kuvaus", Organiser: &organiser,
		Contact: &Contact{Name: "Katju", Email: "katju@example.fi"}, Translatable: Translatable{Language: "fi"}}
	var pt ProcessPatch
	if err := json.Unmarshal([]byte(`{"title": " Uusi ", "organiser": null, "translations": {"sv": {"title": "Ny"}}}`), &pt); err != nil {
		t.Fatal(err)
	}
	if err := pt.Apply(p); err != nil {
		t.Fatal(err)
	}
	if p.Slug != "avoin" || p.Title != "Uusi" || p.Description != "Kuvaus" || p.Organiser != nil || p.Contact == nil || p.Translations.Get("sv", "title") != "Ny" {
		t.Errorf("applied %+v", p)
	}
	before := *p
	bad := ProcessPatch{Contact: Nullable[Contact]{Set: true, Value: &Contact{Name: "X", Email: "no"}}, Title: new(string)}
	err := bad.Apply(p)
	if e, _ := err.(*Error); e == nil || e.Fields["contact.email"].Rule == "" || e.Fields["title"].Rule == "" {
		t.Errorf("bad patch: %v", err)
	}
	if p.Title != before.Title || p.Contact != before.Contact {
		t.Error("a refused patch changed the process")
	}
}
