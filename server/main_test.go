package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
	"osallistu/participation/postgres/pgtest"
	"osallistu/server"
)

// TestMain runs the tests, each on a database of its own (pgtest). The tests
// wait on PostgreSQL, the browser and their servers far more than they
// compute, so unless -test.parallel is given they run parallelTests at a
// time instead of GOMAXPROCS (two on the CI machine): on two cores that
// takes minutes off the package.
func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		if err := flag.Set("test.parallel", strconv.Itoa(parallelTests)); err != nil {
			panic(err)
		}
	}
	os.Exit(pgtest.Main(m))
}

const (
	// parallelTests is how many tests run at once by default.
	parallelTests = 4
	// testPoolSize bounds each test server's connections, so that
	// parallelTests servers and another package's tests stay well below
	// PostgreSQL's default max_connections of 100.
	testPoolSize = 10
)

// testServer is a server on a fresh database.
type testServer struct {
	*server.Server
	store *postgres.Store
	t     testing.TB
}

func newTestServer(t testing.TB, configure ...func(*server.Config)) *testServer {
	t.Helper()
	return newTestServerOn(t, pgtest.NewURL(t), configure...)
}

// newTestServerOn is newTestServer on the database at url. Each call makes
// an instance of its own (connection pool, poll listener, live hub), as on
// separate machines behind a load balancer.
func newTestServerOn(t testing.TB, url string, configure ...func(*server.Config)) *testServer {
	t.Helper()
	return newTestServerWith(t, url, nil, configure...)
}

// newTestServerWith is newTestServerOn with services changed by edit
// (when not nil) before the server is made.
func newTestServerWith(t testing.TB, url string, edit func(*server.Services, *postgres.Store), configure ...func(*server.Config)) *testServer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(testPoolSize)
	db.SetMaxIdleConns(testPoolSize)
	listener, err := postgres.NewListener(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { listener.Close() })
	store := postgres.NewStore(db, nil)
	cfg := server.DefaultConfig()
	for _, f := range configure {
		f(&cfg)
	}
	svc := server.Services{
		Accounts:    store,
		Processes:   store,
		Ideas:       store,
		Commitments: store,
		Workshops:   store,
		Outbox:      store,
		Statements:  store,
		Reach:       store,
		Newsletter:  store,
		Surveys:     store,
		Events:      store,
		OpenData:    store,
		PollChanges: listener.Events(),
		Ping:        store.DB().PingContext,
	}
	if edit != nil {
		edit(&svc, store)
	}
	srv, err := server.New(cfg, svc)
	if err != nil {
		t.Fatal(err)
	}
	giveSecret(t, srv, store)
	// Shutdown also closes the live hub's WebSockets, which fiber's does not.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return &testServer{Server: srv, store: store, t: t}
}

// giveSecret gives srv the secret kept in its database, as the command
// does once the database is migrated: every instance on one database
// signs with the same.
func giveSecret(t testing.TB, srv *server.Server, store *postgres.Store) {
	t.Helper()
	secret, err := store.EnsureSecret(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.SetSecret(secret); err != nil {
		t.Fatal(err)
	}
}

// listen serves the app on a free loopback port until the test ends and
// returns its base URL, for tests that need a real connection.
func (ts *testServer) listen() string {
	ts.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ts.t.Fatal(err)
	}
	go ts.App.Listener(ln)
	ts.t.Cleanup(func() { ts.App.Shutdown() })
	return "http://" + ln.Addr().String()
}

// response is a finished test request.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request through app.Test. body is JSON-encoded unless it is a
// string or []byte; token, when set, is sent as a bearer. A request that
// cannot be made comes back with status 0 and the error as its body, for
// the caller's want to report in its own (sub)test.
func (ts *testServer) do(method, path string, body any, token string, headers ...string) response {
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			return response{body: []byte(err.Error())}
		}
		r = bytes.NewReader(buf)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := ts.App.Test(req, -1)
	if err != nil {
		return response{body: []byte(method + " " + path + ": " + err.Error())}
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// want fails unless the response has status.
// json decodes the body as a generic JSON object, for the tests driven by
// the OpenAPI document, which read every route's answer alike; a test of one
// feature decodes into a typed struct with decode instead.
func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

func (r response) want(t testing.TB, status int) response {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body: %s", r.status, status, r.body)
	}
	return r
}

// pageClient is one browser for the HTTP tests of the pages: it keeps its
// cookies between requests and sends forms with their CSRF token.
type pageClient struct {
	ts      *testServer
	cookies map[string]string
}

// client returns a new browser, signed in with the session token when one
// is given.
func (ts *testServer) client(sessionToken string) *pageClient {
	pc := &pageClient{ts: ts, cookies: map[string]string{}}
	if sessionToken != "" {
		pc.cookies["osallistu_session"] = sessionToken
	}
	return pc
}

func (pc *pageClient) cookieHeader() string {
	var parts []string
	for name, value := range pc.cookies {
		parts = append(parts, name+"="+value)
	}
	return strings.Join(parts, "; ")
}

// keep stores the cookies that a response sets or clears.
func (pc *pageClient) keep(r response) {
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.MaxAge < 0 || c.Value == "" || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) {
			delete(pc.cookies, c.Name)
		} else {
			pc.cookies[c.Name] = c.Value
		}
	}
}

// get requests a page with the browser's cookies.
func (pc *pageClient) get(path string) response {
	r := pc.ts.do("GET", path, nil, "", "Cookie", pc.cookieHeader())
	pc.keep(r)
	return r
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrfToken GETs the page with a form (from) and returns the CSRF token of
// its hidden field, after checking that it is the osallistu_csrf cookie's.
func (pc *pageClient) csrfToken(t testing.TB, from string) string {
	t.Helper()
	page := pc.get(from).want(t, 200)
	m := csrfInput.FindSubmatch(page.body)
	if m == nil {
		t.Fatalf("GET %s: no _csrf field in the page", from)
	}
	token := html.UnescapeString(string(m[1]))
	if cookie := pc.cookies["osallistu_csrf"]; cookie != token {
		t.Fatalf("GET %s: the CSRF cookie %q differs from the form's token %q", from, cookie, token)
	}
	return token
}

// post sends a form as a browser does: it GETs the page with the form (from),
// takes the CSRF token from its osallistu_csrf cookie and the form's hidden
// field, and POSTs values form-encoded to action with the cookies.
func (pc *pageClient) post(t testing.TB, from, action string, values url.Values) response {
	t.Helper()
	return pc.postWith(pc.csrfToken(t, from), action, values)
}

// postWith POSTs values form-encoded to action with the CSRF token given.
func (pc *pageClient) postWith(csrf, action string, values url.Values) response {
	form := url.Values{}
	for k, v := range values {
		form[k] = v
	}
	form.Set("_csrf", csrf)
	r := pc.ts.do("POST", action, form.Encode(), "", "Cookie", pc.cookieHeader(), "Content-Type", "application/x-www-form-urlencoded")
	pc.keep(r)
	return r
}

// redirectsTo fails unless r is a 303 redirect to a path that starts with
// prefix, and returns the path.
func (r response) redirectsTo(t testing.TB, prefix string) string {
	t.Helper()
	r.want(t, http.StatusSeeOther)
	loc := r.header.Get("Location")
	if !strings.HasPrefix(loc, prefix) {
		t.Fatalf("redirect to %q, want %s...", loc, prefix)
	}
	return loc
}

// contains fails t for each of parts that the page lacks.
func (r response) contains(t testing.TB, parts ...string) response {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(string(r.body), p) {
			t.Errorf("the page lacks %q", p)
		}
	}
	return r
}

// signUp registers an account with roles and returns its bearer token. It
// reports to the test that made the server: call it outside subtests.
func (ts *testServer) signUp(email string, roles ...string) (string, *participation.Account) {
	ts.t.Helper()
	ctx := context.Background()
	a, err := ts.store.CreateAccount(ctx, participation.NewAccount{Email: email, Password: "correct horse battery", Name: "Name of " + email})
	if err != nil {
		ts.t.Fatal(err)
	}
	// An everyday account: its owner has confirmed the address (tests of
	// confirmation sign up through the API or the page).
	if _, err := ts.store.DB().Exec(`UPDATE accounts SET email_confirmed_at = created_at WHERE id = $1`, a.ID); err != nil {
		ts.t.Fatal(err)
	}
	a.EmailConfirmed = true
	if len(roles) > 0 {
		root, err := ts.store.EnsureAdmin(ctx, "root@example.fi", "correct horse battery", "Root")
		if err != nil {
			ts.t.Fatal(err)
		}
		if a, err = ts.store.SetRoles(participation.NewContextWithAccount(ctx, root), a.ID, roles); err != nil {
			ts.t.Fatal(err)
		}
	}
	sess, err := ts.store.CreateSession(ctx, email, "correct horse battery")
	if err != nil {
		ts.t.Fatal(err)
	}
	return sess.Token, a
}

// mustRun runs a subtest whose result the following ones build on, and
// stops t when it fails: later steps would only fail for its reason.
func mustRun(t *testing.T, name string, f func(t *testing.T)) {
	t.Helper()
	if !t.Run(name, f) {
		t.FailNow()
	}
}

// statusCase is one request of a table whose point is the status it is
// answered with, and for an error, when code is set, the error's code.
type statusCase struct {
	name    string
	method  string
	path    string
	body    any
	token   string
	status  int
	code    string
	headers []string
}

// checkStatuses sends each case in a subtest of its own.
func (ts *testServer) checkStatuses(t *testing.T, cases []statusCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := ts.do(c.method, c.path, c.body, c.token, c.headers...).want(t, c.status)
			if c.code != "" {
				r.wantCode(t, c.code)
			}
		})
	}
}

// decode decodes the body into a T. It fails t unless the body holds every
// field that T (and the structs, slices and maps in it) names with a json
// tag, as API.md promises (fields are always present, null when empty): a
// field tagged omitempty may be absent, and only a pointer (or
// json.RawMessage, or any) may be null, so that a null never passes for an
// empty list or a zero.
func decode[T any](t testing.TB, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body is not a %T: %v\n%s", v, err, r.body)
	}
	for _, problem := range fieldProblems(reflect.TypeFor[T](), r.body, "body") {
		t.Errorf("%s; body: %s", problem, r.body)
	}
	return v
}

// fieldProblems lists where the JSON value data, at path, lacks a field
// that typ names or holds a null where typ cannot.
func fieldProblems(typ reflect.Type, data json.RawMessage, path string) []string {
	if string(data) == "null" {
		if k := typ.Kind(); k == reflect.Pointer || k == reflect.Interface || typ == reflect.TypeFor[json.RawMessage]() {
			return nil
		}
		return []string{path + " is null"}
	}
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if reflect.PointerTo(typ).Implements(reflect.TypeFor[json.Unmarshaler]()) {
		return nil
	}
	var problems []string
	switch typ.Kind() {
	case reflect.Struct:
		var fields map[string]json.RawMessage
		if json.Unmarshal(data, &fields) != nil {
			return nil
		}
		for i := range typ.NumField() {
			f := typ.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous && name == "" {
				problems = append(problems, fieldProblems(f.Type, data, path)...) // its fields are the object's
				continue
			}
			if !f.IsExported() || name == "" || name == "-" {
				continue
			}
			v, ok := fields[name]
			if !ok {
				if !strings.Contains(opts, "omitempty") {
					problems = append(problems, path+" lacks "+name)
				}
				continue
			}
			problems = append(problems, fieldProblems(f.Type, v, path+"."+name)...)
		}
	case reflect.Slice, reflect.Array:
		var items []json.RawMessage
		if json.Unmarshal(data, &items) != nil {
			return nil
		}
		for i, v := range items {
			problems = append(problems, fieldProblems(typ.Elem(), v, fmt.Sprintf("%s[%d]", path, i))...)
		}
	case reflect.Map:
		var values map[string]json.RawMessage
		if json.Unmarshal(data, &values) != nil {
			return nil
		}
		for k, v := range values {
			problems = append(problems, fieldProblems(typ.Elem(), v, path+"."+k)...)
		}
	}
	return problems
}

// object is a JSON object with its fields left undecoded, for the checks
// that a field is there at all, or there and null.
type object map[string]json.RawMessage

// has fails t for each key that o lacks (null counts as present).
func (o object) has(t testing.TB, what string, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, ok := o[k]; !ok {
			t.Errorf("%s lacks %q: %v", what, k, o)
		}
	}
}

// isNull reports whether o has key, as null.
func (o object) isNull(key string) bool {
	v, ok := o[key]
	return ok && string(v) == "null"
}

// array returns the elements of o's key, failing t unless it is a JSON
// array (an empty list is [], never null or missing).
func (o object) array(t testing.TB, key string) []json.RawMessage {
	t.Helper()
	var items []json.RawMessage
	if err := json.Unmarshal(o[key], &items); err != nil || items == nil {
		t.Errorf("%s is not a list: %s", key, o[key])
	}
	return items
}

// String shows o as the JSON it came from, for failure messages.
func (o object) String() string {
	b, _ := json.Marshal(map[string]json.RawMessage(o))
	return string(b)
}

// decodeInto decodes a part of a body, already checked by decode, into v.
func decodeInto(t testing.TB, data json.RawMessage, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", data, err)
	}
}

// list is a page of a list route (API.md: every route that returns
// several things).
type list[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// apiError is API.md's error body.
type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields,omitempty"`
	} `json:"error"`
}

// wantCode fails t unless the body is an API error with code, and returns it.
func (r response) wantCode(t testing.TB, code string) apiError {
	t.Helper()
	e := decode[apiError](t, r)
	if e.Error.Code != code {
		t.Errorf("error code %q, want %q; body: %s", e.Error.Code, code, r.body)
	}
	return e
}

// wantFields fails t unless the error names each of fields with a reason.
func (e apiError) wantFields(t testing.TB, fields ...string) {
	t.Helper()
	for _, f := range fields {
		if e.Error.Fields[f] == "" {
			t.Errorf("the error does not name field %q: %+v", f, e.Error)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestFieldProblems checks decode's own check, which every typed response
// of these tests relies on.
func TestFieldProblems(t *testing.T) {
	t.Parallel()
	type inner struct {
		A *int   `json:"a"`
		B string `json:"b,omitempty"`
	}
	type Embedded struct {
		E int `json:"e"`
	}
	type outer struct {
		Embedded
		X  int              `json:"x"`
		In []inner          `json:"in"`
		M  map[string]inner `json:"m"`
		R  json.RawMessage  `json:"r"`
		P  *inner           `json:"p"`
		T  time.Time        `json:"t"`
		S  []int            `json:"s"`
		N  inner            `json:"n"`
	}
	got := fieldProblems(reflect.TypeFor[outer](), json.RawMessage(`{"in": [{"a": null}, {}], "m": {"k": {}}, "r": null,
		"p": null, "t": "2017-03-01T09:00:00Z", "s": null, "n": null}`), "body")
	want := []string{"body lacks e", "body lacks x", "body.in[1] lacks a", "body.m.k lacks a", "body.s is null", "body.n is null"}
	if !slices.Equal(got, want) {
		t.Errorf("problems %q, want %q", got, want)
	}
}
