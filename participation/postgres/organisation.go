package postgres

import (
	"context"
	"fmt"
	"strings"

	"osallistu/participation"
)

// organisationColumns read an organisations row o with its member count.
const organisationColumns = `o.id, o.name, o.business_id, o.kind, o.verified_at IS NOT NULL AS verified, o.created_at,
	(SELECT count(*) FROM organisation_members m WHERE m.organisation_id = o.id) AS member_count`

// CreateOrganisation registers an organisation; its creator becomes its
// first member. A Business ID already registered is ECONFLICT.
func (s *Store) CreateOrganisation(ctx context.Context, n participation.NewOrganisation) (*participation.Organisation, error) {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var id int64
	err = tx.GetContext(ctx, &id, `
		INSERT INTO organisations (name, business_id, kind, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, n.Name, n.BusinessID, *n.Kind, me.ID, tx.now)
	if participation.ErrorCode(storeErr(err, "organisation")) == participation.ECONFLICT {
		f := participation.FieldErrors{}
		f.Add("business_id", participation.RuleTaken, 0)
		return nil, &participation.Error{Code: participation.ECONFLICT, Message: "An organisation with this Business ID is registered already.", Fields: f}
	} else if err != nil {
		return nil, storeErr(err, "organisation")
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO organisation_members (organisation_id, account_id, joined_at) VALUES ($1, $2, $3)`,
		id, me.ID, tx.now); err != nil {
		return nil, fmt.Errorf("add the creator as a member: %w", err)
	}
	o, err := findOrganisation(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return o, tx.Commit()
}

func findOrganisation(ctx context.Context, tx *Tx, id int64) (*participation.Organisation, error) {
	var o participation.Organisation
	if err := tx.GetContext(ctx, &o, `SELECT `+organisationColumns+` FROM organisations o WHERE o.id = $1`, id); err != nil {
		return nil, storeErr(err, "organisation")
	}
	return &o, nil
}

// FindOrganisation returns one organisation of the register.
func (s *Store) FindOrganisation(ctx context.Context, id int64) (*participation.Organisation, error) {
	var o participation.Organisation
	if err := s.db.GetContext(ctx, &o, `SELECT `+organisationColumns+` FROM organisations o WHERE o.id = $1`, id); err != nil {
		return nil, storeErr(err, "organisation")
	}
	return &o, nil
}

// FindOrganisations lists the register by name; the query finds a part
// of the name, case-insensitively (its % and _ are letters, not patterns).
func (s *Store) FindOrganisations(ctx context.Context, f participation.OrganisationFilter) ([]*participation.Organisation, int, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	where := ` WHERE strpos(lower(o.name), lower($1)) > 0`
	q := strings.TrimSpace(f.Query)
	var total int
	if err := tx.GetContext(ctx, &total, `SELECT count(*) FROM organisations o`+where, q); err != nil {
		return nil, 0, fmt.Errorf("count organisations: %w", err)
	}
	list := []*participation.Organisation{}
	if err := tx.SelectContext(ctx, &list, `SELECT `+organisationColumns+` FROM organisations o`+where+`
		ORDER BY lower(o.name), o.id LIMIT $2 OFFSET $3`, q, f.Limit, f.Offset); err != nil {
		return nil, 0, fmt.Errorf("find organisations: %w", err)
	}
	return list, total, tx.Commit()
}

// FindMyOrganisations lists the signed-in account's organisations by name.
func (s *Store) FindMyOrganisations(ctx context.Context) ([]*participation.Organisation, error) {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return nil, err
	}
	list := []*participation.Organisation{}
	if err := s.db.SelectContext(ctx, &list, `SELECT `+organisationColumns+` FROM organisations o
		JOIN organisation_members m ON m.organisation_id = o.id AND m.account_id = $1
		ORDER BY lower(o.name), o.id`, me.ID); err != nil {
		return nil, fmt.Errorf("find my organisations: %w", err)
	}
	return list, nil
}

// requireMember returns the organisation when the signed-in account is a
// member of it: ENOTFOUND when there is no such organisation, EFORBIDDEN
// when the account is not a member. FOR SHARE keeps it from going meanwhile.
func requireMember(ctx context.Context, tx *Tx, me *participation.Account, organisationID int64) (*participation.Organisation, error) {
	var row struct {
		participation.Organisation
		Member bool `db:"member"`
	}
	if err := tx.GetContext(ctx, &row, `SELECT `+organisationColumns+`,
		EXISTS (SELECT 1 FROM organisation_members m WHERE m.organisation_id = o.id AND m.account_id = $2) AS member
		FROM organisations o WHERE o.id = $1 FOR SHARE`, organisationID, me.ID); err != nil {
		return nil, storeErr(err, "organisation")
	}
	if !row.Member {
		return nil, participation.Errorf(participation.EFORBIDDEN, "You are not a member of this organisation.")
	}
	return &row.Organisation, nil
}

// AddMember makes the account with the address a member of the
// organisation (a member asks), telling it so; an address without an
// account gets an invitation with a personal link, and the account that
// accepts through it becomes a member (registering with the address alone
// joins nothing). Adding a member again changes nothing.
func (s *Store) AddMember(ctx context.Context, organisationID int64, n participation.NewMember) (*participation.MemberAddition, error) {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	o, err := requireMember(ctx, tx, me, organisationID)
	if err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	out := &participation.MemberAddition{OrganisationID: o.ID, Email: n.Email, Status: participation.MemberAdded}
	var accountID int64
	err = tx.GetContext(ctx, &accountID, `SELECT id FROM accounts WHERE email = $1 AND erased_at IS NULL`, n.Email)
	switch {
	case err == errNoRows:
		out.Status = participation.MemberInvited
		token, err := newToken()
		if err != nil {
			return nil, err
		}
		res, err := tx.ExecContext(ctx, `
			INSERT INTO organisation_invitations (organisation_id, email, invited_by, created_at, token_hash)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, o.ID, n.Email, me.ID, tx.now, hashToken(token))
		if err != nil {
			return nil, fmt.Errorf("invite member: %w", err)
		}
		if fresh, _ := res.RowsAffected(); fresh == 1 {
			lang, err := accountLang(ctx, tx, me.ID)
			if err != nil {
				return nil, err
			}
			if err := enqueue(ctx, tx, participation.Message{Email: n.Email, Channel: participation.ChannelEmail,
				Kind: participation.MessageOrganisationInvitation, SubjectKind: participation.SubjectOrganisation, SubjectID: o.ID,
				Lang: lang, Params: participation.MessageParams{OrganisationName: o.Name, Token: token}}); err != nil {
				return nil, err
			}
		}
	case err != nil:
		return nil, fmt.Errorf("find account: %w", err)
	default:
		res, err := tx.ExecContext(ctx, `
			INSERT INTO organisation_members (organisation_id, account_id, added_by, joined_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, o.ID, accountID, me.ID, tx.now)
		if err != nil {
			return nil, fmt.Errorf("add member: %w", err)
		}
		if fresh, _ := res.RowsAffected(); fresh == 1 {
			msg := participation.Message{Kind: participation.MessageOrganisationMember, SubjectKind: participation.SubjectOrganisation,
				SubjectID: o.ID, Params: participation.MessageParams{OrganisationName: o.Name}}
			if err := enqueue(ctx, tx, msg.ToAccounts([]int64{accountID})...); err != nil {
				return nil, err
			}
		}
	}
	return out, tx.Commit()
}

// accountLang is the language of an account's messages: an invitation
// to an address without an account goes in its sender's, the best guess
// of a language the two share.
func accountLang(ctx context.Context, tx *Tx, accountID int64) (string, error) {
	var lang string
	if err := tx.GetContext(ctx, &lang, `SELECT lang FROM accounts WHERE id = $1`, accountID); err != nil {
		return "", storeErr(err, "account")
	}
	return lang, nil
}

// FindOrganisationInvitation returns the organisation whose pending
// invitation has the token, for the page that asks to accept it.
func (s *Store) FindOrganisationInvitation(ctx context.Context, token string) (*participation.Organisation, error) {
	var o participation.Organisation
	err := s.db.GetContext(ctx, &o, `SELECT `+organisationColumns+` FROM organisations o
		JOIN organisation_invitations i ON i.organisation_id = o.id WHERE i.token_hash = $1`, hashToken(token))
	if err == errNoRows || token == "" {
		return nil, invitationInvalid()
	} else if err != nil {
		return nil, fmt.Errorf("find invitation: %w", err)
	}
	return &o, nil
}

// AcceptOrganisationInvitation makes the signed-in account a member of the
// organisation whose invitation has the token: holding the emailed link is
// the proof of the address, whatever address the account has. The
// invitation goes, so that the link works once.
func (s *Store) AcceptOrganisationInvitation(ctx context.Context, token string) (*participation.Organisation, error) {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return nil, err
	}
	if token == "" {
		return nil, invitationInvalid()
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var inv struct {
		OrganisationID int64  `db:"organisation_id"`
		InvitedBy      *int64 `db:"invited_by"`
	}
	err = tx.GetContext(ctx, &inv, `
		DELETE FROM organisation_invitations WHERE token_hash = $1 RETURNING organisation_id, invited_by`, hashToken(token))
	if err == errNoRows {
		return nil, invitationInvalid()
	} else if err != nil {
		return nil, fmt.Errorf("accept invitation: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO organisation_members (organisation_id, account_id, added_by, joined_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, inv.OrganisationID, me.ID, inv.InvitedBy, tx.now); err != nil {
		return nil, fmt.Errorf("accept invitation: %w", err)
	}
	o, err := findOrganisation(ctx, tx, inv.OrganisationID)
	if err != nil {
		return nil, err
	}
	return o, tx.Commit()
}

// invitationInvalid answers an invitation link that is unknown or used.
func invitationInvalid() error {
	return participation.Errorf(participation.ENOTFOUND, "This invitation link is not valid: it has been used already, or it is not whole. Ask the organisation's member for a new invitation.")
}

// FindMembers lists an organisation's members by name (members only).
func (s *Store) FindMembers(ctx context.Context, organisationID int64) ([]*participation.OrganisationMember, error) {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := requireMember(ctx, tx, me, organisationID); err != nil {
		return nil, err
	}
	list := []*participation.OrganisationMember{}
	if err := tx.SelectContext(ctx, &list, `
		SELECT m.account_id, coalesce(a.name, '') AS name, m.joined_at
		FROM organisation_members m JOIN accounts a ON a.id = m.account_id
		WHERE m.organisation_id = $1 ORDER BY lower(a.name), m.account_id`, organisationID); err != nil {
		return nil, fmt.Errorf("find members: %w", err)
	}
	return list, tx.Commit()
}

// LeaveOrganisation ends the signed-in account's membership. The
// organisation stays in the register, with its statements.
func (s *Store) LeaveOrganisation(ctx context.Context, organisationID int64) error {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := requireMember(ctx, tx, me, organisationID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `
		DELETE FROM organisation_members WHERE organisation_id = $1 AND account_id = $2`, organisationID, me.ID); err != nil {
		return fmt.Errorf("leave organisation: %w", err)
	}
	return tx.Commit()
}

// VerifyOrganisation marks an organisation verified (officials); doing it
// again keeps the first official and time.
func (s *Store) VerifyOrganisation(ctx context.Context, organisationID int64) (*participation.Organisation, error) {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var id int64
	if err := tx.GetContext(ctx, &id, `
		UPDATE organisations SET verified_by = coalesce(verified_by, $2), verified_at = coalesce(verified_at, $3)
		WHERE id = $1 RETURNING id`, organisationID, me.ID, tx.now); err != nil {
		return nil, storeErr(err, "organisation")
	}
	o, err := findOrganisation(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return o, tx.Commit()
}
