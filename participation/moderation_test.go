package participation

import (
	"strings"
	"testing"
	"time"
)

func TestModeratedStateCheckAction(t *testing.T) {
	published := ModeratedState{Status: ItemPublished}
	reported := ModeratedState{Status: ItemPublished, OpenReports: 2}
	hidden := ModeratedState{Status: ItemPublished, Hidden: true}
	pending := ModeratedState{Status: ItemPending, Hidden: true, OpenReports: 0}
	rejected := ModeratedState{Status: ItemRejected, Hidden: true}
	for _, tc := range []struct {
		name   string
		state  ModeratedState
		action string
		code   string // "" when allowed
	}{
		{"hide a published item", published, ActionHide, ""},
		{"hide a hidden one again (a new reason)", hidden, ActionHide, ""},
		{"hide a pending one", pending, ActionHide, ECONFLICT},
		{"restore a hidden item", hidden, ActionRestore, ""},
		{"restore a rejected item", rejected, ActionRestore, ""},
		{"restore a visible one", published, ActionRestore, ECONFLICT},
		{"restore a pending one", pending, ActionRestore, ECONFLICT},
		{"dismiss reports", reported, ActionDismiss, ""},
		{"dismiss without reports", published, ActionDismiss, ECONFLICT},
		{"approve a pending item", pending, ActionApprove, ""},
		{"reject a pending item", pending, ActionReject, ""},
		{"approve a published one", published, ActionApprove, ECONFLICT},
		{"reject a rejected one", rejected, ActionReject, ECONFLICT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.state.CheckAction(tc.action)
			if tc.code == "" && err != nil || tc.code != "" && ErrorCode(err) != tc.code {
				t.Errorf("CheckAction(%s) = %v, want %q", tc.action, err, tc.code)
			}
		})
	}
}

func TestDecisionValidate(t *testing.T) {
	for _, tc := range []struct {
		action, reason string
		ok             bool
	}{
		{ActionDismiss, "Asiallinen", true},
		{ActionDismiss, "  ", false},
		{ActionRestore, "", false},
		{ActionReject, "", false},
		{ActionApprove, "", true},
		{ActionUnblock, "", true},
		{ActionApprove, strings.Repeat("a", ReasonMax+1), false},
	} {
		d := Decision{Reason: tc.reason}
		if err := d.Validate(tc.action); (err == nil) != tc.ok {
			t.Errorf("%s %q: %v", tc.action, tc.reason, err)
		}
	}
}

func TestBlock(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	later, earlier := now.Add(time.Hour), now.Add(-time.Hour)
	t.Run("Validate", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			n    NewBlock
			bad  string
		}{
			{"OK", NewBlock{Until: &later, Reason: "Kiroilua"}, ""},
			{"no end", NewBlock{Reason: "Kiroilua"}, "until"},
			{"ended", NewBlock{Until: &earlier, Reason: "Kiroilua"}, "until"},
			{"no reason", NewBlock{Until: &later, Reason: " "}, "reason"},
		} {
			err := tc.n.Validate(now)
			var fields FieldErrors
			if e, ok := err.(*Error); ok {
				fields = e.Fields
			}
			if _, bad := fields[tc.bad]; tc.bad != "" && !bad || tc.bad == "" && err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
	})
	t.Run("CheckNotBlocked", func(t *testing.T) {
		blocked := &Account{ID: 1, Block: &AccountBlock{Until: later, Reason: "Kiroilua"}}
		err := CheckNotBlocked(blocked, now)
		if ErrorCode(err) != EFORBIDDEN || !strings.Contains(err.Error(), "Kiroilua") || !strings.Contains(err.Error(), "2026-11-29T13:00:00Z") {
			t.Errorf("blocked: %v", err)
		}
		if err := CheckNotBlocked(blocked, later); err != nil {
			t.Errorf("after the end: %v", err)
		}
		if CheckNotBlocked(nil, now) != nil || CheckNotBlocked(&Account{ID: 2}, now) != nil {
			t.Error("an account without a block is refused")
		}
	})
	t.Run("CheckBlocker", func(t *testing.T) {
		if ErrorCode(CheckBlocker(&Account{ID: 1}, 1)) != EFORBIDDEN || CheckBlocker(&Account{ID: 1}, 2) != nil {
			t.Error("CheckBlocker")
		}
	})
}
