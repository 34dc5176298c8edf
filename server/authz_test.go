package server_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// credentialOf is the security scheme whose credential an actor carries.
var credentialOf = map[string]string{
	actorRespondent: "respondent", actorParticipant: "participant", actorOtherParticipant: "participant",
	actorCitizen: "bearer", actorOfficial: "bearer", actorAdmin: "bearer", actorMember: "bearer",
}

// schemes returns the security schemes an operation names, and whether it
// may be called without any ([] or an empty requirement).
func schemes(op apiOp) (names map[string]bool, open bool) {
	names = map[string]bool{}
	open = len(op.Security) == 0
	for _, req := range op.Security {
		if len(req) == 0 {
			open = true
		}
		for k := range req {
			names[k] = true
		}
	}
	return names, open
}

// TestOpenAPIAllowedAgreesWithSecurity checks that every operation says who
// may call it (x-allowed) and that its security says the same: an operation
// anyone may call is open to every actor; otherwise it names bearer exactly
// when an account role is allowed, and participant and respondent exactly
// when those are.
func TestOpenAPIAllowedAgreesWithSecurity(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	doc, ops := loadAPIDoc(t, ts)
	defined, _ := dig(doc.raw, "components", "securitySchemes").(map[string]any)
	ids := map[string]string{}
	for _, op := range ops {
		if op.Security == nil {
			t.Errorf("%s declares no security ([] when anyone may call it)", op)
			continue
		}
		if len(op.Allowed) == 0 {
			t.Errorf("%s has no x-allowed", op)
			continue
		}
		if op.ID == "" {
			t.Errorf("%s has no operationId", op)
		} else if other, dup := ids[op.ID]; dup {
			t.Errorf("%s and %s share operationId %s", op, other, op.ID)
		}
		ids[op.ID] = op.String()
		for _, a := range op.Allowed {
			if !slices.Contains(knownActors, a) {
				t.Errorf("%s: x-allowed names %q, not one of %v", op, a, knownActors)
			}
		}
		names, open := schemes(op)
		for n := range names {
			if _, ok := defined[n]; !ok {
				t.Errorf("%s: security scheme %q is not defined", op, n)
			}
		}
		if open != op.allows(actorAnonymous) {
			t.Errorf("%s: security open to anyone is %v, but x-allowed %v", op, open, op.Allowed)
		}
		if open {
			if !slices.Equal(op.Allowed, allActors) {
				t.Errorf("%s: anyone may call it, so x-allowed is every actor %v, not %v", op, allActors, op.Allowed)
			}
			continue
		}
		accounts := slices.ContainsFunc(accountActors, op.allows)
		if names["bearer"] != accounts {
			t.Errorf("%s: security names bearer: %v, but x-allowed %v", op, names["bearer"], op.Allowed)
		}
		for _, a := range []string{actorParticipant, actorRespondent} {
			if a == actorRespondent && op.AuthorOnly && names[a] {
				continue // a respondent token may be the author, though not the table's
			}
			if names[a] != op.allows(a) {
				t.Errorf("%s: security names %s: %v, but x-allowed %v", op, a, names[a], op.Allowed)
			}
		}
	}
}

// spendsCaller reports whether a call ends the caller's session or
// account, so that each actor makes it with a fresh account.
func spendsCaller(op apiOp) bool {
	return op.Method == "DELETE" && (op.Path == "/api/v1/session" || op.Path == "/api/v1/me")
}

// TestAuthzMatrix calls every API route of the OpenAPI document as every
// actor, with a valid body, on fixtures made through the API: an actor
// that x-allowed leaves out gets 401 without a credential the route takes
// and 403 with one; an allowed actor gets neither, and a successful JSON
// answer carries what its schema documents, no more and no less.
func TestAuthzMatrix(t *testing.T) {
	t.Parallel()
	ts := newTableServer(t)
	doc, ops := loadAPIDoc(t, ts)
	w := newAPIWorld(t, ts)
	matrix := []string{actorAnonymous, actorRespondent, actorParticipant, actorOtherParticipant, actorCitizen, actorOfficial, actorAdmin, actorMember}
	var fresh atomic.Int64
	for _, op := range ops {
		t.Run(op.String(), func(t *testing.T) {
			// Each route acts on a process of its own: the routes run side
			// by side, their actors one after another.
			t.Parallel()
			here := w.process(t)
			names, open := schemes(op)
			allowed := func(actor string) bool {
				if actor == actorOtherParticipant {
					return open // the route is not about its workshop
				}
				return op.allows(actor)
			}
			// Refusals first, so that no allowed call has changed what they act on.
			order := slices.Clone(matrix)
			slices.SortStableFunc(order, func(a, b string) int {
				switch {
				case allowed(a) == allowed(b):
					return 0
				case allowed(a):
					return 1
				}
				return -1
			})
			for _, actor := range order {
				t.Run(actor, func(t *testing.T) {
					bearer, headers := w.credentials(actor, here)
					if spendsCaller(op) && bearer != "" {
						roles := map[string][]string{actorOfficial: {"official"}, actorAdmin: {"admin"}}[actor]
						bearer, _ = ts.signUp(fmt.Sprintf("spent-%d@example.fi", fresh.Add(1)), roles...)
					}
					var body any
					if op.Body != nil {
						body = w.body(doc, op.Body, here)
					}
					r := ts.do(op.Method, w.fillPath(t, op.Path, here), body, bearer, headers...)
					if !allowed(actor) {
						want := 401
						if names[credentialOf[actor]] {
							want = 403
						}
						if r.status != want {
							t.Errorf("%s as %s: %d, want %d (x-allowed %v); body %s", op, actor, r.status, want, op.Allowed, r.body)
						} else if p := errorShape(r.body); p != "" {
							t.Errorf("%s as %s: %s: %s", op, actor, p, r.body)
						}
						return
					}
					if r.status == 401 || r.status == 403 || r.status >= 500 {
						t.Errorf("%s as %s (allowed: %v): %d; body %s", op, actor, op.Allowed, r.status, r.body)
						return
					}
					if r.status >= 400 {
						if p := errorShape(r.body); p != "" {
							t.Errorf("%s as %s: %d: %s: %s", op, actor, r.status, p, r.body)
						}
						return
					}
					s := doc.responseSchema(op, r.status)
					if s == nil || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
						return
					}
					var v any
					if err := json.Unmarshal(r.body, &v); err != nil {
						t.Fatalf("%s as %s: %v", op, actor, err)
					}
					for _, p := range doc.checkResponse(s, v, "response") {
						t.Errorf("%s as %s: %s", op, actor, p)
					}
				})
			}
		})
	}
}
