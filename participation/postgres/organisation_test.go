package postgres_test

import (
	"context"
	"slices"
	"testing"

	"osallistu/participation"
	"osallistu/participation/postgres"
)

// messagesTo lists the kinds and channels of the outbox's messages to an
// account (by id) or an address, oldest first, as "kind/channel/lang".
func messagesTo(t *testing.T, s *postgres.Store, accountID int64, email string) []string {
	t.Helper()
	var out []string
	if err := s.DB().Select(&out, `
		SELECT kind || '/' || channel || '/' || lang FROM outbox
		WHERE account_id = $1 OR email = $2 ORDER BY id`, accountID, email); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOrganisations(t *testing.T) {
	s, _ := newStore(t)
	maija, maijaAcc := mustAccount(t, s, "maija@example.fi")
	pekka, pekkaAcc := mustAccount(t, s, "pekka@example.fi")
	official, _ := mustAccount(t, s, "official@example.fi", "official")
	var org *participation.Organisation
	mustRun(t, "Create", func(t *testing.T) {
		var err error
		org, err = s.CreateOrganisation(maija, participation.NewOrganisation{Name: "Suomen Kuntaliitto", BusinessID: ptr("0201256-6"),
			Kind: ptr(participation.OrganisationAssociation)})
		if err != nil {
			t.Fatal(err)
		}
		if org.Name != "Suomen Kuntaliitto" || *org.BusinessID != "0201256-6" || org.Kind != participation.OrganisationAssociation ||
			org.MemberCount != 1 || org.Verified {
			t.Errorf("%+v", org)
		}
		mine, err := s.FindMyOrganisations(maija)
		if err != nil || len(mine) != 1 || mine[0].ID != org.ID {
			t.Errorf("the creator's organisations: %v %v", mine, err)
		}
	})
	t.Run("ErrBusinessID", func(t *testing.T) {
		_, err := s.CreateOrganisation(pekka, participation.NewOrganisation{Name: "X", BusinessID: ptr("0201256-7")})
		wantCode(t, err, participation.EINVALID)
		_, err = s.CreateOrganisation(pekka, participation.NewOrganisation{Name: "Toinen", BusinessID: ptr("0201256-6")})
		wantCode(t, err, participation.ECONFLICT)
		_, err = s.CreateOrganisation(context.Background(), participation.NewOrganisation{Name: "Anonyymi"})
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
	t.Run("Search", func(t *testing.T) {
		if _, err := s.CreateOrganisation(pekka, participation.NewOrganisation{Name: "Helsingin kaupunki", Kind: ptr("municipality")}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateOrganisation(pekka, participation.NewOrganisation{Name: "100% Avoin ry"}); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string][]string{
			"":          {"100% Avoin ry", "Helsingin kaupunki", "Suomen Kuntaliitto"},
			"KUNTA":     {"Suomen Kuntaliitto"},
			"helsingin": {"Helsingin kaupunki"},
			"%":         {"100% Avoin ry"},
			"_":         nil,
		} {
			list, total, err := s.FindOrganisations(context.Background(), participation.OrganisationFilter{Query: q, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, o := range list {
				names = append(names, o.Name)
			}
			if !slices.Equal(names, want) || total != len(want) {
				t.Errorf("%q: %v (%d), want %v", q, names, total, want)
			}
		}
	})
	t.Run("AddMember", func(t *testing.T) {
		_, err := s.AddMember(pekka, org.ID, participation.NewMember{Email: "maija@example.fi"})
		wantCode(t, err, participation.EFORBIDDEN)
		added, err := s.AddMember(maija, org.ID, participation.NewMember{Email: " Pekka@Example.fi "})
		if err != nil || added.Status != participation.MemberAdded || added.Email != "pekka@example.fi" {
			t.Fatalf("%+v %v", added, err)
		}
		if got := messagesTo(t, s, pekkaAcc.ID, ""); !slices.Equal(got, []string{"organisation_member/in_app/fi", "organisation_member/email/fi"}) {
			t.Errorf("messages to the new member %v", got)
		}
		if _, err := s.AddMember(maija, org.ID, participation.NewMember{Email: "pekka@example.fi"}); err != nil {
			t.Fatal(err)
		}
		if got := messagesTo(t, s, pekkaAcc.ID, ""); len(got) != 2 {
			t.Errorf("adding again told again: %v", got)
		}
		_, err = s.AddMember(maija, org.ID, participation.NewMember{Email: "not an address"})
		wantCode(t, err, participation.EINVALID)
		_, err = s.AddMember(maija, 9999, participation.NewMember{Email: "pekka@example.fi"})
		wantCode(t, err, participation.ENOTFOUND)
		members, err := s.FindMembers(pekka, org.ID)
		if err != nil || len(members) != 2 {
			t.Fatalf("members %v %v", members, err)
		}
	})
	t.Run("Invite", func(t *testing.T) {
		added, err := s.AddMember(pekka, org.ID, participation.NewMember{Email: "liisa@example.fi"})
		if err != nil || added.Status != participation.MemberInvited {
			t.Fatalf("%+v %v", added, err)
		}
		if got := messagesTo(t, s, 0, "liisa@example.fi"); !slices.Equal(got, []string{"organisation_invitation/email/fi"}) {
			t.Errorf("invitation %v", got)
		}
		token := invitationToken(t, s, "liisa@example.fi")
		// Only the hash of the link's token is kept.
		var stored int
		if err := s.DB().Get(&stored, `SELECT count(*) FROM organisation_invitations WHERE token_hash = sha256(convert_to($1, 'UTF8'))`, token); err != nil || stored != 1 {
			t.Errorf("invitation rows with a hash: %d %v", stored, err)
		}
		o, err := s.FindOrganisationInvitation(context.Background(), token)
		if err != nil || o.ID != org.ID {
			t.Fatalf("the link's organisation %+v %v", o, err)
		}
		t.Run("registering with the address joins nothing", func(t *testing.T) {
			stranger, _ := mustAccount(t, s, "liisa@example.fi")
			mine, err := s.FindMyOrganisations(stranger)
			if err != nil || len(mine) != 0 {
				t.Errorf("a stranger with the invited address joined: %+v %v", mine, err)
			}
		})
		t.Run("the token holder joins, once", func(t *testing.T) {
			holder, _ := mustAccount(t, s, "liisa.toinen@example.fi")
			_, err := s.AcceptOrganisationInvitation(context.Background(), token)
			wantCode(t, err, participation.EUNAUTHENTICATED)
			o, err := s.AcceptOrganisationInvitation(holder, token)
			if err != nil || o.ID != org.ID || o.MemberCount != 3 {
				t.Fatalf("accepted %+v %v", o, err)
			}
			mine, err := s.FindMyOrganisations(holder)
			if err != nil || len(mine) != 1 || mine[0].ID != org.ID {
				t.Errorf("the holder's organisations %+v %v", mine, err)
			}
			other, _ := mustAccount(t, s, "kolmas@example.fi")
			_, err = s.AcceptOrganisationInvitation(other, token)
			wantCode(t, err, participation.ENOTFOUND)
			_, err = s.FindOrganisationInvitation(context.Background(), token)
			wantCode(t, err, participation.ENOTFOUND)
		})
		t.Run("ErrUnknownToken", func(t *testing.T) {
			_, err := s.AcceptOrganisationInvitation(pekka, "not-a-token")
			wantCode(t, err, participation.ENOTFOUND)
			_, err = s.AcceptOrganisationInvitation(pekka, "")
			wantCode(t, err, participation.ENOTFOUND)
		})
	})
	t.Run("Verify", func(t *testing.T) {
		_, err := s.VerifyOrganisation(maija, org.ID)
		wantCode(t, err, participation.EFORBIDDEN)
		o, err := s.VerifyOrganisation(official, org.ID)
		if err != nil || !o.Verified {
			t.Fatalf("%+v %v", o, err)
		}
	})
	t.Run("Leave", func(t *testing.T) {
		if err := s.LeaveOrganisation(pekka, org.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.LeaveOrganisation(pekka, org.ID), participation.EFORBIDDEN)
		_, err := s.FindMembers(pekka, org.ID)
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("EraseEndsMemberships", func(t *testing.T) {
		if err := s.EraseAccount(maija); err != nil {
			t.Fatal(err)
		}
		o, err := s.FindOrganisation(context.Background(), org.ID)
		if err != nil || o.MemberCount != 1 {
			t.Errorf("after erasure: %+v %v", o, err)
		}
		var n int
		if err := s.DB().Get(&n, `SELECT count(*) FROM organisation_members WHERE account_id = $1`, maijaAcc.ID); err != nil || n != 0 {
			t.Errorf("memberships left: %d %v", n, err)
		}
	})
}

// invitationToken reads the token of the organisation invitation emailed
// to an address, as its recipient finds it in the link.
func invitationToken(t *testing.T, s *postgres.Store, email string) string {
	t.Helper()
	var token string
	if err := s.DB().Get(&token, `SELECT params->>'token' FROM outbox WHERE email = $1 AND kind = 'organisation_invitation' ORDER BY id DESC LIMIT 1`, email); err != nil {
		t.Fatal(err)
	}
	return token
}

// mustRun runs a subtest that later ones build on, and stops t when it fails.
func mustRun(t *testing.T, name string, f func(t *testing.T)) {
	t.Helper()
	if !t.Run(name, f) {
		t.FailNow()
	}
}
