package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/server"
)

// pageClient is one browser for the HTTP tests of the pages: it keeps its
// cookies between requests and sends forms with their CSRF token.
type pageClient struct {
	ts      *testServer
	t       *testing.T
	cookies map[string]string
}

// client returns a new browser, signed in with the session token when one
// is given.
func (ts *testServer) client(t *testing.T, sessionToken string) *pageClient {
	pc := &pageClient{ts: ts, t: t, cookies: map[string]string{}}
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
	pc.t.Helper()
	r := pc.ts.do("GET", path, nil, "", "Cookie", pc.cookieHeader())
	pc.keep(r)
	return r
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// post sends a form as a browser does: it GETs the page with the form (from),
// takes the CSRF token from its osallistu_csrf cookie and the form's hidden
// field, and POSTs values form-encoded to action with the cookies.
func (pc *pageClient) post(from, action string, values url.Values) response {
	pc.t.Helper()
	page := pc.get(from).want(pc.t, 200)
	m := csrfInput.FindSubmatch(page.body)
	if m == nil {
		pc.t.Fatalf("GET %s: no _csrf field in the page", from)
	}
	token := html.UnescapeString(string(m[1]))
	if cookie := pc.cookies["osallistu_csrf"]; cookie != token {
		pc.t.Fatalf("GET %s: the CSRF cookie %q differs from the form's token %q", from, cookie, token)
	}
	form := url.Values{}
	for k, v := range values {
		form[k] = v
	}
	form.Set("_csrf", token)
	r := pc.ts.do("POST", action, form.Encode(), "", "Cookie", pc.cookieHeader(), "Content-Type", "application/x-www-form-urlencoded")
	pc.keep(r)
	return r
}

// redirectsTo fails unless r is a 303 redirect to a path that starts with prefix.
func (r response) redirectsTo(t *testing.T, prefix string) string {
	t.Helper()
	r.want(t, http.StatusSeeOther)
	loc := r.header.Get("Location")
	if !strings.HasPrefix(loc, prefix) {
		t.Fatalf("redirect to %q, want %s...", loc, prefix)
	}
	return loc
}

func (r response) contains(t *testing.T, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(string(r.body), p) {
			t.Errorf("the page lacks %q", p)
		}
	}
}

// ideaFixture is a process with an idea round open for anyone, made by an
// official through the store.
type ideaFixture struct {
	official    string // the official's session token
	officialCtx context.Context
	round       *participation.IdeaRound
	path        string // the round page
	slug        string
}

func newIdeaFixture(t *testing.T, ts *testServer) *ideaFixture {
	t.Helper()
	token, acc := ts.signUp("official@example.fi", "official")
	ctx := participation.NewContextWithAccount(context.Background(), acc)
	p, err := ts.store.CreateProcess(ctx, participation.NewProcess{Slug: "avoin-hallinto", Title: "Avoin hallinto", Description: "Toimintaohjelma"})
	if err != nil {
		t.Fatal(err)
	}
	f := &ideaFixture{official: token, officialCtx: ctx, slug: p.Slug}
	f.round = f.newRound(t, ts, "Ideoita toimintaohjelmaan", -time.Hour, 24*time.Hour, true)
	f.path = "/idea-rounds/" + itoa(f.round.ID)
	return f
}

// newRound makes a round of the fixture's process open from now+opens until now+closes.
func (f *ideaFixture) newRound(t *testing.T, ts *testServer, title string, opens, closes time.Duration, anonymous bool) *participation.IdeaRound {
	t.Helper()
	o, c := time.Now().Add(opens), time.Now().Add(closes)
	r, err := ts.store.CreateIdeaRound(f.officialCtx, f.slug, participation.NewIdeaRound{Title: title, Description: "Kerro ideasi.", OpensAt: &o, ClosesAt: &c, AllowAnonymous: anonymous})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// idea adds an idea through the store, anonymously.
func (f *ideaFixture) idea(t *testing.T, ts *testServer, title, body string) *participation.Idea {
	t.Helper()
	i, err := ts.store.CreateIdea(context.Background(), f.round.ID, participation.NewIdea{Title: title, Body: body}, "fi")
	if err != nil {
		t.Fatal(err)
	}
	return i
}

func countIdeas(t *testing.T, ts *testServer, roundID int64) int {
	t.Helper()
	_, n, err := ts.store.FindIdeas(context.Background(), participation.IdeaFilter{RoundID: roundID, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestIdeaPagesRender(t *testing.T) {
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	idea := f.idea(t, ts, "Avoin data kaikille", "Julkaistaan kaikki data.\nKatso https://example.fi/data.")
	cm, err := ts.store.CreateComment(context.Background(), idea.ID, participation.NewComment{Body: "Hyvä idea."}, "fi")
	if err != nil {
		t.Fatal(err)
	}
	theme, err := ts.store.CreateTheme(f.officialCtx, f.round.ID, participation.NewTheme{Title: "Avoin data"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.store.SetIdeaTheme(f.officialCtx, &theme.ID, idea.ID); err != nil {
		t.Fatal(err)
	}
	upcoming := f.newRound(t, ts, "Tuleva", time.Hour, 2*time.Hour, true)
	closed := f.newRound(t, ts, "Päättynyt", -2*time.Hour, -time.Hour, true)
	members := f.newRound(t, ts, "Vain kirjautuneille", -time.Hour, time.Hour, false)
	citizenToken, _ := ts.signUp("citizen@example.fi")

	public := []string{
		"/processes/" + f.slug,
		f.path, f.path + "?q=data&sort=supports&theme_id=" + itoa(theme.ID), f.path + "?q=%22avoin+data%22+-liikenne",
		f.path + "/ideas/new",
		"/idea-rounds/" + itoa(upcoming.ID), "/idea-rounds/" + itoa(upcoming.ID) + "/ideas/new",
		"/idea-rounds/" + itoa(closed.ID), "/idea-rounds/" + itoa(closed.ID) + "/ideas/new",
		"/idea-rounds/" + itoa(members.ID), "/idea-rounds/" + itoa(members.ID) + "/ideas/new",
		"/ideas/" + itoa(idea.ID), "/ideas/" + itoa(idea.ID) + "?offset=50",
		"/ideas/" + itoa(idea.ID) + "/comments/new", "/ideas/" + itoa(idea.ID) + "/comments/new?parent_id=" + itoa(cm.ID),
		"/ideas/" + itoa(idea.ID) + "/report", "/comments/" + itoa(cm.ID) + "/report",
		"/themes/" + itoa(theme.ID),
	}
	officials := []string{
		"/processes/" + f.slug + "/idea-rounds/new",
		f.path + "/group", "/moderation", "/moderation/log",
		"/ideas/" + itoa(idea.ID) + "/hide", "/comments/" + itoa(cm.ID) + "/hide?next=/moderation",
	}
	anon, official := ts.client(t, ""), ts.client(t, f.official)
	for _, lang := range []string{"fi", "sv", "en"} {
		for _, path := range public {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			for _, pc := range []*pageClient{anon, official} {
				r := pc.get(path + sep + "lang=" + lang)
				if r.status != 200 || !strings.Contains(string(r.body), `<html lang="`+lang+`"`) {
					t.Errorf("GET %s in %s: status %d", path, lang, r.status)
				}
			}
		}
		for _, path := range officials {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			if r := official.get(path + sep + "lang=" + lang); r.status != 200 || !strings.Contains(string(r.body), `<html lang="`+lang+`"`) {
				t.Errorf("GET %s in %s as an official: status %d", path, lang, r.status)
			}
		}
	}
	// Officials' pages: signed out, sign in; signed in without the role, forbidden.
	citizenClient := ts.client(t, citizenToken)
	for _, path := range append(officials, f.path+"/ideas.csv") {
		anon.get(path).want(t, 401).contains(t, "/login?next=")
		citizenClient.get(path).want(t, 403)
	}
	// What the round page offers depends on the round and the caller.
	anon.get(f.path).contains(t, `href="`+f.path+`/ideas/new"`, "Avoin data kaikille", `href="/themes/`+itoa(theme.ID)+`"`)
	if r := anon.get(f.path + "?lang=en"); strings.Contains(string(r.body), "/group") || strings.Contains(string(r.body), "ideas.csv") {
		t.Error("the public sees the officials' links")
	}
	official.get(f.path+"?lang=en").contains(t, f.path+"/group", "/moderation", f.path+"/ideas.csv")
	anon.get("/idea-rounds/"+itoa(members.ID)+"?lang=en").contains(t, "/login?next=%2fidea-rounds%2f"+itoa(members.ID)+"%2fideas%2fnew")
	anon.get("/idea-rounds/"+itoa(closed.ID)+"/ideas/new?lang=en").contains(t, "The idea round closed on")
	anon.get("/idea-rounds/"+itoa(upcoming.ID)+"?lang=en").contains(t, "The idea round opens on")
	official.get("/processes/"+f.slug+"?lang=en").contains(t, `href="/processes/`+f.slug+`/idea-rounds/new"`, `href="`+f.path+`"`)
	anon.get("/idea-rounds/999999").want(t, 404)
	anon.get("/themes/999999").want(t, 404)
	anon.get("/ideas/999999").want(t, 404)
	anon.get(f.path+"?sort=sideways").want(t, 422)

	// The CSV download for officials signed in with the cookie.
	r := official.get(f.path+"/ideas.csv").want(t, 200)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.HasPrefix(string(r.body), "\ufeffid,title,body,theme") {
		t.Fatalf("CSV: %s\n%s", ct, r.body)
	}
	r.contains(t, "Avoin data kaikille")
}

func TestIdeaPagesSendIdea(t *testing.T) {
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	form := f.path + "/ideas/new?lang=en"
	action := f.path + "/ideas"

	t.Run("OK", func(t *testing.T) {
		b := ts.client(t, "")
		loc := b.post(form, action, url.Values{
			"title": {"Open data for everyone"}, "body": {"Publish the data.\nAll of it."},
			"author_name": {"Aino"}, "municipality": {"Helsinki"}, "website": {""},
		}).redirectsTo(t, "/ideas/")
		if n := countIdeas(t, ts, f.round.ID); n != 1 {
			t.Fatalf("%d ideas stored, want 1", n)
		}
		if !participation.ValidRespondentToken(b.cookies["osallistu_respondent"]) {
			t.Errorf("no respondent cookie: %v", b.cookies)
		}
		page := b.get(loc).want(t, 200)
		page.contains(t, "Thank you! Your idea has been published.", "Open data for everyone", "Aino", "Helsinki", "Publish the data.\nAll of it.")
		if sv := b.get(loc + "?lang=sv"); !strings.Contains(string(sv.body), "Helsingfors") {
			t.Error("the municipality is not named in Swedish")
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		before := countIdeas(t, ts, f.round.ID)
		r := ts.client(t, "").post(form, action, url.Values{"title": {"ab"}, "body": {""}, "author_name": {strings.Repeat("x", 101)}}).want(t, 422)
		r.contains(t, `class="error-summary"`, `href="#title"`, `href="#body"`, `href="#author_name"`, `value="ab"`, `aria-invalid="true"`)
		if n := countIdeas(t, ts, f.round.ID); n != before {
			t.Fatalf("a bad idea was stored: %d ideas, want %d", n, before)
		}
	})
	t.Run("ErrHoneypot", func(t *testing.T) {
		before := countIdeas(t, ts, f.round.ID)
		r := ts.client(t, "").post(form, action, url.Values{"title": {"Cheap watches"}, "body": {"Buy now"}, "website": {"https://spam.example"}}).want(t, 422)
		r.contains(t, `id="website-error"`)
		if n := countIdeas(t, ts, f.round.ID); n != before {
			t.Fatalf("the honeypot let an idea through: %d ideas, want %d", n, before)
		}
	})
	t.Run("ErrSignInRequired", func(t *testing.T) {
		members := f.newRound(t, ts, "Vain kirjautuneille", -time.Hour, time.Hour, false)
		path := "/idea-rounds/" + itoa(members.ID)
		b := ts.client(t, "")
		b.get(path+"/ideas/new?lang=en").want(t, 200).contains(t, "/login?next=")
		// The form is not offered; a post made anyway is refused, and says why.
		b.post("/login", path+"/ideas", url.Values{"title": {"Idea"}, "body": {"Text"}}).want(t, 401).contains(t, "Sign in to take part in this idea round.")
		if _, ok := b.cookies["osallistu_respondent"]; ok {
			t.Error("a refused idea left a respondent cookie")
		}
		token, _ := ts.signUp("member@example.fi")
		signedIn := ts.client(t, token)
		signedIn.post(path+"/ideas/new", path+"/ideas", url.Values{"title": {"Members' idea"}, "body": {"Text"}}).redirectsTo(t, "/ideas/")
		if _, ok := signedIn.cookies["osallistu_respondent"]; ok {
			t.Error("a signed-in person got a respondent cookie")
		}
		if n := countIdeas(t, ts, members.ID); n != 1 {
			t.Fatalf("%d ideas, want 1", n)
		}
	})
	t.Run("ErrClosed", func(t *testing.T) {
		// The round closes between showing the form and sending it.
		soon := f.newRound(t, ts, "Päättyy pian", -time.Hour, 1500*time.Millisecond, true)
		path := "/idea-rounds/" + itoa(soon.ID)
		b := ts.client(t, "")
		page := b.get(path+"/ideas/new?lang=en").want(t, 200)
		token := html.UnescapeString(string(csrfInput.FindSubmatch(page.body)[1]))
		time.Sleep(time.Until(soon.ClosesAt) + 100*time.Millisecond)
		r := ts.do("POST", path+"/ideas", url.Values{"_csrf": {token}, "title": {"Late idea"}, "body": {"Text"}}.Encode(), "",
			"Cookie", b.cookieHeader(), "Content-Type", "application/x-www-form-urlencoded").want(t, 409)
		r.contains(t, `class="error-summary"`, "this step is not open")
		if n := countIdeas(t, ts, soon.ID); n != 0 {
			t.Fatalf("%d ideas, want 0", n)
		}
	})
}

func TestIdeaPagesSupport(t *testing.T) {
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	idea := f.idea(t, ts, "Avoin data", "Julkaistaan data.")
	path := "/ideas/" + itoa(idea.ID)
	supports := func() int {
		t.Helper()
		i, err := ts.store.FindIdea(context.Background(), idea.ID, participation.Supporter{})
		if err != nil {
			t.Fatal(err)
		}
		return i.Supports
	}

	b := ts.client(t, "")
	b.post(path+"?lang=en", path+"/support", nil).redirectsTo(t, path)
	b.get(path+"?lang=en").contains(t, "Thank you! Your support has been recorded.", "You support this idea.", "1 support")
	b.post(path, path+"/support", nil).redirectsTo(t, path)
	if n := supports(); n != 1 {
		t.Fatalf("one browser supported twice: %d supports, want 1", n)
	}
	ts.client(t, "").post(path, path+"/support", nil).redirectsTo(t, path)
	token, _ := ts.signUp("citizen@example.fi")
	signedIn := ts.client(t, token)
	signedIn.post(path, path+"/support", nil).redirectsTo(t, path)
	signedIn.post(path, path+"/support", nil).redirectsTo(t, path)
	if n := supports(); n != 3 {
		t.Fatalf("%d supports, want 3", n)
	}
	if r := ts.client(t, "").get(path + "?lang=en"); strings.Contains(string(r.body), "You support this idea.") {
		t.Error("a new browser is told it supports the idea")
	}
}

func TestIdeaPagesCommentsAndReports(t *testing.T) {
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	idea := f.idea(t, ts, "Avoin data", "Julkaistaan data.")
	path := "/ideas/" + itoa(idea.ID)
	b := ts.client(t, "")

	b.post(path, path+"/comments", url.Values{"body": {"Hyvä idea!"}, "author_name": {"Eero"}}).redirectsTo(t, path)
	comments, _, err := ts.store.FindComments(context.Background(), idea.ID, 10, 0)
	if err != nil || len(comments) != 1 {
		t.Fatalf("comments %v, %v", comments, err)
	}
	parent := itoa(comments[0].ID)
	b.post(path, path+"/comments", url.Values{"body": {"Samaa mieltä."}, "parent_id": {parent}}).redirectsTo(t, path)
	page := b.get(path+"?lang=en").want(t, 200)
	page.contains(t, "Thank you! Your comment has been published.", "Eero", "Samaa mieltä.", `class="reply-list"`)

	// A bad comment comes back on the comment page, as a reply still.
	r := b.post(path, path+"/comments", url.Values{"body": {"  "}, "parent_id": {parent}}).want(t, 422)
	r.contains(t, `class="error-summary"`, `href="#body"`, `name="parent_id" value="`+parent+`"`, "Eero")
	if _, n, _ := ts.store.FindComments(context.Background(), idea.ID, 10, 0); n != 2 {
		t.Fatalf("%d comments, want 2", n)
	}

	// Reports: of the idea and of a comment; without a reason, the form again.
	b.post(path, path+"/report", url.Values{"reason": {"Mainos"}}).redirectsTo(t, path)
	b.post(path, "/comments/"+parent+"/report", url.Values{"reason": {"Kiroilua"}}).redirectsTo(t, path)
	b.get(path+"?lang=en").contains(t, "Your report has been sent to the moderators.")
	b.post(path+"/report", path+"/report", url.Values{"reason": {""}}).want(t, 422).contains(t, `href="#reason"`)
	b.post(path+"/report", path+"/report", url.Values{"reason": {"Spam"}, "website": {"x"}}).want(t, 422)
	official := ts.client(t, f.official)
	queue := official.get("/moderation?lang=en").want(t, 200)
	queue.contains(t, "Mainos", "Kiroilua", `action="/ideas/`+itoa(idea.ID)+`/hide"`, `action="/comments/`+parent+`/hide"`)
	if strings.Contains(string(queue.body), "Spam") {
		t.Error("a report with the honeypot filled in was kept")
	}

	// The official hides the comment from the queue, and restores it.
	official.post("/moderation", "/comments/"+parent+"/hide", url.Values{"reason": {"Kiroilua"}, "next": {"/moderation"}}).redirectsTo(t, "/moderation")
	official.get("/moderation?lang=en").contains(t, "The content has been hidden.")
	page = b.get(path + "?lang=en")
	page.contains(t, "Removed by the moderator: Kiroilua")
	if strings.Contains(string(page.body), "Hyvä idea!") {
		t.Error("the hidden comment's text is shown")
	}
	official.post(path+"/hide", "/comments/"+parent+"/hide", url.Values{"reason": {""}}).want(t, 422).contains(t, `href="#reason"`)
	official.post(path, "/comments/"+parent+"/restore", nil).redirectsTo(t, path)
	b.get(path+"?lang=en").contains(t, "Hyvä idea!")
	official.get("/moderation/log?lang=en").contains(t, "Hidden", "Restored", "Comment "+parent)
	// Only officials moderate.
	b.post(path, "/comments/"+parent+"/hide", url.Values{"reason": {"x"}}).want(t, 401)
}

func TestIdeaPagesHiddenIdea(t *testing.T) {
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	idea := f.idea(t, ts, "Piilotettava", "Asiatonta tekstiä.")
	path := "/ideas/" + itoa(idea.ID)
	official, public := ts.client(t, f.official), ts.client(t, "")

	official.post(path, path+"/hide", url.Values{"reason": {"Asiaton"}}).redirectsTo(t, path)
	public.get(path).want(t, 404)
	public.get(path+"/comments/new").want(t, 404)
	public.get(path+"/report").want(t, 404)
	if strings.Contains(string(public.get(f.path).body), "Piilotettava") {
		t.Error("the round page lists the hidden idea")
	}
	page := official.get(path+"?lang=en").want(t, 200)
	page.contains(t, "Removed by the moderator: Asiaton", "Piilotettava", `action="`+path+`/restore"`)
	official.post(path, path+"/restore", nil).redirectsTo(t, path)
	public.get(path).want(t, 200)
}

func TestIdeaPagesNewRound(t *testing.T) {
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	official := ts.client(t, f.official)
	form := "/processes/" + f.slug + "/idea-rounds/new?lang=en"
	action := "/processes/" + f.slug + "/idea-rounds"

	r := official.post(form, action, url.Values{"title": {"Second round"}, "opens_at": {"2030-03-01T09:00"}, "closes_at": {"2030-02-01T09:00"}}).want(t, 422)
	r.contains(t, "The closing time must be after the opening time.", `value="2030-03-01T09:00"`)
	r = official.post(form, action, url.Values{"title": {""}, "opens_at": {"1.3.2030"}, "closes_at": {""}}).want(t, 422)
	r.contains(t, `href="#title"`, `href="#opens_at"`, `href="#closes_at"`, "This is not in the right format.")

	loc := official.post(form, action, url.Values{
		"title": {"Second round"}, "description": {"More ideas."}, "opens_at": {"2030-03-01T09:00"}, "closes_at": {"2030-03-31T16:00"}, "allow_anonymous": {"yes"},
	}).redirectsTo(t, "/idea-rounds/")
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/idea-rounds/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	round, err := ts.store.FindIdeaRound(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	helsinki, _ := time.LoadLocation("Europe/Helsinki")
	if want := time.Date(2030, 3, 1, 9, 0, 0, 0, helsinki); !round.OpensAt.Equal(want) || !round.AllowAnonymous || round.Title != "Second round" {
		t.Fatalf("round %+v, want opening at %v", round, want)
	}
	official.get(loc+"?lang=en").contains(t, "The idea round has been created.")
}

func TestIdeaPagesGroup(t *testing.T) {
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	a := f.idea(t, ts, "Avoin data", "Julkaistaan data.")
	b := f.idea(t, ts, "Avoimet rajapinnat", "Rajapinnat kaikille.")
	c := f.idea(t, ts, "Selkokieli", "Selkeämpää kieltä.")
	official := ts.client(t, f.official)
	group := f.path + "/group"

	official.post(group, f.path+"/themes", url.Values{"title": {""}}).want(t, 422).contains(t, `href="#title"`)
	official.post(group, f.path+"/themes", url.Values{"title": {"Avoin data"}, "description": {"Data ja rajapinnat."}}).redirectsTo(t, group)
	themes, err := ts.store.FindThemes(context.Background(), f.round.ID)
	if err != nil || len(themes) != 1 {
		t.Fatalf("themes %v %v", themes, err)
	}
	theme := itoa(themes[0].ID)

	official.post(group, group, url.Values{"theme_id": {theme}}).want(t, 422).contains(t, `href="#idea_ids"`)
	official.post(group, group, url.Values{"idea_ids": {itoa(a.ID)}}).want(t, 422).contains(t, `href="#theme_id"`, `value="`+itoa(a.ID)+`" checked`)
	official.post(group, group, url.Values{"idea_ids": {itoa(a.ID), itoa(b.ID)}, "theme_id": {theme}}).redirectsTo(t, group)
	page := official.get(group + "?lang=en")
	page.contains(t, "The ideas have been moved.", "Ideas without a theme", c.Title, "2 ideas")
	inTheme, n, err := ts.store.FindIdeas(context.Background(), participation.IdeaFilter{RoundID: f.round.ID, ThemeID: &themes[0].ID, Limit: 10})
	if err != nil || n != 2 {
		t.Fatalf("ideas in the theme %v %v", inTheme, err)
	}
	ts.client(t, "").get("/themes/"+theme+"?lang=en").contains(t, "Avoin data", "Avoimet rajapinnat", "Data ja rajapinnat.")

	// Back out of the theme; another round's idea cannot join this round's theme.
	official.post(group, group, url.Values{"idea_ids": {itoa(b.ID)}, "theme_id": {"none"}}).redirectsTo(t, group)
	if _, n, _ = ts.store.FindIdeas(context.Background(), participation.IdeaFilter{RoundID: f.round.ID, Unthemed: true, Limit: 10}); n != 2 {
		t.Fatalf("%d ideas without a theme, want 2", n)
	}
	other := f.newRound(t, ts, "Toinen", -time.Hour, time.Hour, true)
	foreign, err := ts.store.CreateIdea(context.Background(), other.ID, participation.NewIdea{Title: "Muualta", Body: "x"}, "fi")
	if err != nil {
		t.Fatal(err)
	}
	official.post(group, group, url.Values{"idea_ids": {itoa(foreign.ID)}, "theme_id": {theme}}).want(t, 422).contains(t, `href="#theme_id"`)
	ts.client(t, "").get(group).want(t, 401)
}

func TestIdeaPagesLinkify(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text", "plain text"},
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"a & b\nline two", "a &amp; b\nline two"},
		{"see https://example.fi/a?b=1&c=2.", `see <a href="https://example.fi/a?b=1&amp;c=2" rel="nofollow ugc noopener">https://example.fi/a?b=1&amp;c=2</a>.`},
		{"(http://example.fi/x)", `(<a href="http://example.fi/x" rel="nofollow ugc noopener">http://example.fi/x</a>)`},
		{"https://fi.wikipedia.org/wiki/Otakantaa_(palvelu)", `<a href="https://fi.wikipedia.org/wiki/Otakantaa_(palvelu)" rel="nofollow ugc noopener">https://fi.wikipedia.org/wiki/Otakantaa_(palvelu)</a>`},
		{`https://x.fi/"onmouseover="alert(1)`, `<a href="https://x.fi/" rel="nofollow ugc noopener">https://x.fi/</a>&#34;onmouseover=&#34;alert(1)`},
		{"https://x.fi/<script>", `<a href="https://x.fi/" rel="nofollow ugc noopener">https://x.fi/</a>&lt;script&gt;`},
		{"javascript:alert(1) data:text/html,<b>", "javascript:alert(1) data:text/html,&lt;b&gt;"},
		{"xhttps://x.fi https://", "xhttps://x.fi https://"},
		{"HTTPS://EXAMPLE.FI", `<a href="HTTPS://EXAMPLE.FI" rel="nofollow ugc noopener">HTTPS://EXAMPLE.FI</a>`},
	} {
		if got := string(server.Linkify(tc.in)); got != tc.want {
			t.Errorf("Linkify(%q)\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}

	// On the page: the idea's text never becomes markup.
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	idea := f.idea(t, ts, "<b>Otsikko</b>", "<script>alert('x')</script>\n<img src=x onerror=alert(1)> https://example.fi/?q=<i>")
	page := ts.client(t, "").get("/ideas/"+itoa(idea.ID)).want(t, 200)
	body := string(page.body)
	for _, bad := range []string{"<script>alert", "<img src=x", "<b>Otsikko", "<i>"} {
		if strings.Contains(body, bad) {
			t.Errorf("the idea page contains %q", bad)
		}
	}
	page.contains(t, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", "&lt;b&gt;Otsikko&lt;/b&gt;",
		`<a href="https://example.fi/?q=" rel="nofollow ugc noopener">`)
}
