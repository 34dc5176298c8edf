package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Hostile values the table sends.
const (
	scriptText = "<script>alert(1)</script>"
	sqlText    = "'; DROP TABLE ideas; --"
	// invisibleText is only bidi controls and zero-width characters.
	invisibleText = "\u202e\u2066\u200b\u200f\u2069\ufeff\u2060"
	// badUTF8 stands in a marshalled body for bytes that are not UTF-8
	// (json.Marshal would replace them).
	badUTF8     = "BAD-UTF8-HERE"
	badUTF8Raw  = "a\xff\xfeb"
	maxInt64    = "9223372036854775807"
	beyondInt64 = "9223372036854775808"
)

// hostileCase is one hostile request to an operation.
type hostileCase struct {
	name  string
	path  string // escaped, with the query string
	body  []byte // nil for none
	want  int    // the exact status it must get; 0 for any 4xx
	free  bool   // it may also be accepted (text that is text, a filter that finds nothing)
	field []any  // for accepted free text: where the response must carry it as sent
	value any
}

// judge is the actor a hostile request is sent as: one the operation
// allows, preferring officials, so that what is judged is the input.
func judge(op apiOp) string {
	for _, a := range []string{actorOfficial, actorAdmin, actorCitizen, actorMember, actorParticipant, actorRespondent, actorAnonymous} {
		if op.allows(a) {
			return a
		}
	}
	return actorAnonymous
}

// rowCounter counts the rows of every table, to see that a refused request
// stored nothing.
type rowCounter struct {
	ts     *testServer
	tables []string
	query  string
}

func newRowCounter(t *testing.T, ts *testServer) *rowCounter {
	t.Helper()
	rc := &rowCounter{ts: ts}
	if err := ts.store.DB().Select(&rc.tables, `
		SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
		-- a refused sign-in is recorded on purpose, to throttle guessing
		AND table_name <> 'login_failures'
		ORDER BY table_name`); err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, tb := range rc.tables {
		parts = append(parts, fmt.Sprintf(`(SELECT count(*) FROM %q)`, tb))
	}
	rc.query = "SELECT ARRAY[" + strings.Join(parts, ", ") + "]::bigint[]"
	return rc
}

func (rc *rowCounter) count(t *testing.T) []int64 {
	t.Helper()
	var s string
	if err := rc.ts.store.DB().Get(&s, rc.query); err != nil {
		t.Fatal(err)
	}
	var n []int64
	for _, f := range strings.Split(strings.Trim(s, "{}"), ",") {
		v, _ := strconv.ParseInt(f, 10, 64)
		n = append(n, v)
	}
	return n
}

// changed names the tables whose counts differ.
func (rc *rowCounter) changed(before, after []int64) []string {
	var c []string
	for i := range before {
		if before[i] != after[i] {
			c = append(c, fmt.Sprintf("%s %d→%d", rc.tables[i], before[i], after[i]))
		}
	}
	return c
}

// field is a leaf of a body schema: where it is and its schema.
type field struct {
	path   []any
	schema map[string]any
}

func (f field) name() string {
	var s []string
	for _, p := range f.path {
		s = append(s, fmt.Sprint(p))
	}
	return strings.Join(s, ".")
}

// fields lists a body schema's properties, and those of the objects in its
// arrays (as the first item's).
func fields(d *apiDoc, s map[string]any) []field {
	var out []field
	props, _ := d.schema(s)["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		ps := d.schema(props[n].(map[string]any))
		out = append(out, field{path: []any{n}, schema: ps})
		if ps["type"] != "array" {
			continue
		}
		items := d.schema(dig(ps, "items").(map[string]any))
		if items["type"] == "object" {
			for _, sub := range fields(d, items) {
				out = append(out, field{path: append([]any{n, 0}, sub.path...), schema: sub.schema})
			}
		}
	}
	return out
}

// with returns a deep copy of body with value at path (a missing array
// gets one generated item first).
func with(w *apiWorld, d *apiDoc, opBody map[string]any, body map[string]any, path []any, value any, p *processFixtures) map[string]any {
	b := deepCopy(body).(map[string]any)
	var cur any = b
	schema := opBody
	for i, k := range path {
		last := i == len(path)-1
		switch key := k.(type) {
		case string:
			m := cur.(map[string]any)
			schema = d.schema(dig(d.schema(schema), "properties", key).(map[string]any))
			if last {
				m[key] = value
				return b
			}
			if _, ok := m[key]; !ok {
				m[key] = w.value(d, schema, key, p)
			}
			if l, ok := m[key].([]any); ok && len(l) == 0 {
				m[key] = []any{w.value(d, d.schema(schema["items"].(map[string]any)), "", p)}
			}
			cur = m[key]
		case int:
			l := cur.([]any)
			schema = d.schema(schema["items"].(map[string]any))
			if last {
				l[key] = value
				return b
			}
			cur = l[key]
		}
	}
	return b
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e)
		}
		return l
	case []int64:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = e
		}
		return l
	}
	return v
}

// without returns a copy of body without its top-level key.
func without(body map[string]any, key string) map[string]any {
	b := deepCopy(body).(map[string]any)
	delete(b, key)
	return b
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.ReplaceAll(b, []byte(badUTF8), []byte(badUTF8Raw))
}

// wrongType is a value of another JSON type than the schema's.
func wrongType(s map[string]any) any {
	switch s["type"] {
	case "string":
		return 12345
	case "integer", "number":
		return "12"
	case "boolean":
		return "yes"
	case "array":
		return map[string]any{"not": "a list"}
	}
	return "not an object"
}

// documented reports whether an integer v lies in the range its schema
// documents (from its minimum, up to its maximum if it has one). Such a
// value may be taken: a milestone id of 0 is a new milestone, and a
// notification id that is not the caller's is passed over.
func documented(s map[string]any, v string) bool {
	n, err := strconv.ParseInt(v, 10, 64)
	mn, hasMin := s["minimum"].(float64)
	mx, hasMax := s["maximum"].(float64)
	return err == nil && hasMin && float64(n) >= mn && (!hasMax || float64(n) <= mx)
}

// hostileCases builds an operation's table from its documented path and
// query parameters and body schema.
func hostileCases(t *testing.T, d *apiDoc, w *apiWorld, op apiOp, p *processFixtures) []hostileCase {
	t.Helper()
	path := w.fillPath(t, op.Path, p)
	// Each case gets a valid body of its own: unique values (an email, a
	// slug) that one accepted case used would make the next a conflict.
	base := func() map[string]any {
		b, _ := w.body(d, op.Body, p).(map[string]any)
		return b
	}
	var cs []hostileCase
	add := func(c hostileCase) {
		if c.path == "" {
			c.path = path
		}
		if c.body == nil && op.Body != nil {
			c.body = marshal(t, base())
		}
		cs = append(cs, c)
	}
	if op.Body == nil && len(op.Params) == 0 {
		return nil
	}
	// Any request: NUL and bytes that are not UTF-8 in the query string.
	add(hostileCase{name: "NUL in the query string", path: path + "?x=a%00b", want: 400})
	add(hostileCase{name: "invalid UTF-8 in the query string", path: path + "?x=a%FF%FEb", want: 400})
	add(hostileCase{name: "NUL in a query parameter's name", path: path + "?a%00b=x", want: 400})

	// Path parameters.
	for _, prm := range op.params("path") {
		name := prm["name"].(string)
		values := [][2]string{
			{"NUL", "a%00b"}, {"invalid UTF-8", "a%FF%FEb"},
			{"script", url.PathEscape(scriptText)}, {"SQL", url.PathEscape(sqlText)},
			{"very long", strings.Repeat("a", 4000)},
		}
		if dig(prm, "schema", "type") == "integer" {
			values = append(values, [][2]string{{"negative", "-1"}, {"zero", "0"}, {"max int64", maxInt64}, {"beyond int64", beyondInt64},
				{"far beyond int64", "99999999999999999999999999"}, {"fraction", "1.5"}, {"exponent", "1e3"}, {"word", "abc"}}...)
		}
		for _, kv := range values {
			k, v := kv[0], kv[1]
			want := 0
			if k == "NUL" || k == "invalid UTF-8" {
				want = 400
			}
			segs := strings.Split(op.Path, "/")
			filled := strings.Split(path, "/")
			for i, s := range segs {
				if s == "{"+name+"}" {
					filled[i] = v
				}
			}
			add(hostileCase{name: k + " {" + name + "}", path: strings.Join(filled, "/"), want: want})
		}
	}

	// Query parameters.
	for _, prm := range op.params("query") {
		name := prm["name"].(string)
		s := d.schema(prm["schema"].(map[string]any))
		q := func(v string) string { return path + "?" + name + "=" + v }
		add(hostileCase{name: "NUL in ?" + name, path: q("a%00b"), want: 400})
		add(hostileCase{name: "invalid UTF-8 in ?" + name, path: q("a%FF%FEb"), want: 400})
		switch s["type"] {
		case "integer":
			min, hasMin := s["minimum"].(float64)
			for _, kv := range [][2]string{{"negative", "-1"}, {"zero", "0"}, {"max int64", maxInt64}, {"beyond int64", beyondInt64},
				{"fraction", "1.5"}, {"word", "abc"}, {"script", url.QueryEscape(scriptText)}} {
				k, v := kv[0], kv[1]
				n, err := strconv.ParseInt(v, 10, 64)
				// In range of its type and above its minimum, it is a filter that may find nothing.
				free := err == nil && (!hasMin || float64(n) >= min)
				add(hostileCase{name: k + " ?" + name, path: q(v), free: free})
			}
		case "string":
			enum := asList(s["enum"])
			for _, kv := range [][2]string{{"script", scriptText}, {"SQL", sqlText}, {"invisible", invisibleText}} {
				add(hostileCase{name: kv[0] + " ?" + name, path: q(url.QueryEscape(kv[1])), free: len(enum) == 0})
			}
		}
	}
	if op.Body == nil {
		return cs
	}

	// The body as a whole.
	add(hostileCase{name: "malformed JSON", body: []byte(`{"title": "unterminated`), want: 400})
	add(hostileCase{name: "a list instead of an object", body: []byte(`[1, 2]`), want: 400})
	add(hostileCase{name: "a string instead of an object", body: []byte(`"text"`), want: 400})
	add(hostileCase{name: "not JSON at all", body: []byte("title=x&body=y"), want: 400})
	if op.BodyRequired {
		add(hostileCase{name: "empty body", body: []byte{}, want: 400})
	}
	fs := fields(d, op.Body)
	for _, size := range []int{1 << 20, 10 << 20} {
		big := base()
		big["padding"] = strings.Repeat("a", size)
		for _, f := range fs {
			if f.schema["type"] == "string" && len(f.path) == 1 {
				big = with(w, d, op.Body, base(), f.path, strings.Repeat("a", size), p)
				break
			}
		}
		add(hostileCase{name: fmt.Sprintf("%d MiB body", size>>20), body: marshal(t, big)})
	}

	// Each field.
	required := map[string]bool{}
	for _, r := range asList(d.schema(op.Body)["required"]) {
		required[r.(string)] = true
	}
	for _, f := range fs {
		n, s := f.name(), f.schema
		nullable, _ := s["nullable"].(bool)
		set := func(v any) []byte { return marshal(t, with(w, d, op.Body, base(), f.path, v, p)) }
		add(hostileCase{name: "wrong type " + n, body: set(wrongType(s)), want: 400})
		if len(f.path) == 1 && required[n] {
			add(hostileCase{name: "missing " + n, body: marshal(t, without(base(), n))})
			add(hostileCase{name: "null " + n, body: set(nil), free: nullable})
		}
		switch s["type"] {
		case "string":
			add(hostileCase{name: "NUL in " + n, body: set("a\u0000b"), want: 400})
			add(hostileCase{name: "invalid UTF-8 in " + n, body: set(badUTF8), want: 400})
			add(hostileCase{name: "script in " + n, body: set(scriptText), free: true, field: f.path, value: scriptText})
			add(hostileCase{name: "SQL in " + n, body: set(sqlText), free: true, field: f.path, value: sqlText})
			if mn, _ := s["minLength"].(float64); mn >= 1 {
				add(hostileCase{name: "only invisible characters in " + n, body: set(invisibleText)})
			}
			mx, hasMax := s["maxLength"].(float64)
			if hasMax {
				add(hostileCase{name: "over maxLength in " + n, body: set(strings.Repeat("ä", int(mx)+1))})
			}
			// Long, but well within the body's limit: judged by the field's rule.
			add(hostileCase{name: "100 KiB in " + n, body: set(strings.Repeat("a", 100<<10)), free: !hasMax || mx >= 100<<10})
		case "integer", "array":
			if s["type"] == "array" && dig(s, "items", "type") != "integer" {
				continue
			}
			wrap := func(v any) any {
				if s["type"] == "array" {
					return []any{v}
				}
				return v
			}
			add(hostileCase{name: "fraction " + n, body: set(wrap(1.5)), want: 400})
			is := s
			if s["type"] == "array" {
				is = d.schema(s["items"].(map[string]any))
			}
			for _, kv := range [][2]string{{"negative", "-1"}, {"zero", "0"}, {"max int64", maxInt64}, {"beyond int64", beyondInt64}} {
				add(hostileCase{name: kv[0] + " " + n, body: set(wrap(json.Number(kv[1]))), free: documented(is, kv[1])})
			}
			if ref, ok := idFields[n]; ok && len(f.path) == 1 {
				add(hostileCase{name: "foreign " + n, body: set(deepCopy(ref(w.foreign)))})
			}
		}
	}
	return cs
}

// TestHostileInput sends every operation of the OpenAPI document that takes
// a JSON body or parameters a table of hostile input, as an actor allowed
// to call it: every answer is a 4xx with the JSON error shape (free text may
// be taken as text, and is then kept as sent), never a 500, and a refused
// request stores nothing.
//
// The operations are dealt into hostileParts parts that run side by side,
// each on a server and database of its own, so that its row counts see
// only its own requests.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	for part := range hostileParts {
		t.Run(fmt.Sprintf("part%d", part+1), func(t *testing.T) {
			t.Parallel()
			hostileInputPart(t, part)
		})
	}
}

// hostileParts is how many parts TestHostileInput's operations are dealt
// into.
const hostileParts = 4

// hostileInputPart sends the hostile input of every hostileParts-th
// operation, from the part-th on.
func hostileInputPart(t *testing.T, part int) {
	ts := newTableServer(t)
	doc, ops := loadAPIDoc(t, ts)
	w := newAPIWorld(t, ts)
	rows := newRowCounter(t, ts)
	for i, op := range ops {
		if i%hostileParts != part {
			continue
		}
		t.Run(op.String(), func(t *testing.T) {
			p := w.process(t)
			cases := hostileCases(t, doc, w, op, p)
			if len(cases) == 0 {
				t.Skip("no body and no parameters")
			}
			bearer, headers := w.credentials(judge(op), p)
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					before := rows.count(t)
					r := send(t, ts, op.Method, c.path, c.body, bearer, headers...)
					switch {
					case r.status >= 500:
						t.Fatalf("%s: %d; body %.300s", op, r.status, r.body)
					case r.status < 400:
						if !c.free {
							t.Fatalf("%s: %d, want a refusal; body %.300s", op, r.status, r.body)
						}
						if c.field != nil {
							var v any
							if json.Unmarshal(r.body, &v) == nil {
								got := v
								for _, k := range c.field {
									switch key := k.(type) {
									case string:
										got = dig(got, key)
									case int:
										if l, ok := got.([]any); ok && len(l) > key {
											got = l[key]
										} else {
											got = nil
										}
									}
								}
								if got != nil && !reflect.DeepEqual(got, c.value) {
									t.Errorf("%s: accepted %q but answers %q", op, c.value, got)
								}
							}
						}
						return
					}
					if c.want != 0 && r.status != c.want {
						t.Errorf("%s: %d, want %d; body %.300s", op, r.status, c.want, r.body)
					}
					if p := errorShape(r.body); p != "" {
						t.Errorf("%s: %d: %s: %.300s", op, r.status, p, r.body)
					}
					if ch := rows.changed(before, rows.count(t)); len(ch) > 0 {
						t.Errorf("%s: refused with %d, but rows changed: %v", op, r.status, ch)
					}
				})
			}
		})
	}
}

// send is testServer.do for a subtest: a request the app cannot take fails
// the subtest, not the test that made the server.
func send(t *testing.T, ts *testServer, method, target string, body []byte, bearer string, headers ...string) response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := ts.App.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %.200s: %v", method, target, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}
