package server_test

import (
	"testing"
)

func TestRequiredFields(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	adminToken, _ := ts.signUp("admin@example.fi", "admin")
	_, user := ts.signUp("user@example.fi")
	path := "/api/v1/accounts/" + itoa(user.ID) + "/roles"
	ts.do("PUT", path, map[string]any{"roles": []string{"official"}}, adminToken).want(t, 200)

	r := ts.do("PUT", path, map[string]any{}, adminToken).want(t, 422)
	if fields, _ := r.json(t)["error"].(map[string]any)["fields"].(map[string]any); fields["roles"] == nil {
		t.Fatalf("fields %v", fields)
	}
	ts.do("PUT", path, `null`, adminToken).want(t, 422)
	// Nothing was changed by the refused request.
	if a := ts.do("GET", "/api/v1/me", nil, mustSession(t, ts, "user@example.fi")).want(t, 200).json(t); len(a["roles"].([]any)) != 2 {
		t.Fatalf("roles after {}: %v", a["roles"])
	}
	if a := ts.do("PUT", path, map[string]any{"roles": []string{}}, adminToken).want(t, 200).json(t); len(a["roles"].([]any)) != 1 || a["roles"].([]any)[0] != "citizen" {
		t.Fatalf("roles after []: %v", a["roles"])
	}

	f := newIdeaFixture(t, ts)
	idea := f.idea(t, ts, "Avoin data", "Julkaistaan tiedot")
	theme := ts.do("POST", "/api/v1/idea-rounds/"+itoa(f.round.ID)+"/themes", map[string]any{"title": "Avoin tieto", "description": ""}, f.official).want(t, 201).json(t)
	ideaPath := "/api/v1/ideas/" + itoa(idea.ID) + "/theme"
	ts.do("PUT", ideaPath, map[string]any{"theme_id": theme["id"]}, f.official).want(t, 200)
	r = ts.do("PUT", ideaPath, map[string]any{}, f.official).want(t, 422)
	if fields, _ := r.json(t)["error"].(map[string]any)["fields"].(map[string]any); fields["theme_id"] == nil {
		t.Fatalf("fields %v", fields)
	}
	if got := ts.do("GET", "/api/v1/ideas/"+itoa(idea.ID), nil, "").want(t, 200).json(t); got["theme_id"] != theme["id"] {
		t.Fatalf("theme after {}: %v", got["theme_id"])
	}
	if got := ts.do("PUT", ideaPath, map[string]any{"theme_id": nil}, f.official).want(t, 200).json(t); got["theme_id"] != nil {
		t.Fatalf("theme after null: %v", got["theme_id"])
	}
}

// mustSession signs in through the store and returns the bearer token.
func mustSession(t *testing.T, ts *testServer, email string) string {
	t.Helper()
	sess, err := ts.store.CreateSession(t.Context(), email, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	return sess.Token
}
