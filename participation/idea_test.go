package participation

import "testing"

func TestIdeaVisibleTo(t *testing.T) {
	official := &Account{Roles: []string{RoleCitizen, RoleOfficial}}
	citizen := &Account{Roles: []string{RoleCitizen}}
	shown, hidden := &Idea{}, &Idea{Hidden: true}
	for _, tc := range []struct {
		name   string
		idea   *Idea
		viewer *Account
		want   bool
	}{
		{"shown, signed out", shown, nil, true},
		{"hidden, signed out", hidden, nil, false},
		{"hidden, citizen", hidden, citizen, false},
		{"hidden, official", hidden, official, true},
	} {
		if got := tc.idea.VisibleTo(tc.viewer); got != tc.want {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
	if err := shown.CheckCommentable(); err != nil {
		t.Errorf("a shown idea takes comments: %v", err)
	}
	if got := ErrorCode(hidden.CheckCommentable()); got != ECLOSED {
		t.Errorf("a hidden idea: %q", got)
	}
}
