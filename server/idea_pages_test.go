package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/server"
)

func TestIdeaPagesSendIdea(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	form := f.path + "/ideas/new?lang=en"
	action := f.path + "/ideas"
	memberToken, _ := ts.signUp("member@example.fi")

	t.Run("OK", func(t *testing.T) {
		b := ts.client("")
		loc := b.post(t, form, action, url.Values{
			"title": {"Open data for everyone"}, "body": {"Publish the data.\nAll of it."},
			"author_name": {"Aino"}, "municipality": {"Helsinki"}, "website": {""},
		}).redirectsTo(t, "/ideas/")
		if n := countIdeas(t, ts, f.round.ID); n != 1 {
			t.Errorf("%d ideas stored, want 1", n)
		}
		if !participation.ValidRespondentToken(b.cookies["osallistu_respondent"]) {
			t.Errorf("no respondent cookie: %v", b.cookies)
		} else if _, err := ts.store.FindRespondent(context.Background(), b.cookies["osallistu_respondent"]); err != nil {
			t.Errorf("the respondent cookie is not an issued token: %v", err)
		}
		page := b.get(loc).want(t, 200)
		page.contains(t, "Thank you! Your idea has been published.", "Open data for everyone", "Aino", "Helsinki", "Publish the data.\nAll of it.")
		if sv := b.get(loc + "?lang=sv"); !strings.Contains(string(sv.body), "Helsingfors") {
			t.Error("the municipality is not named in Swedish")
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		before := countIdeas(t, ts, f.round.ID)
		r := ts.client("").post(t, form, action, url.Values{"title": {"ab"}, "body": {""}, "author_name": {strings.Repeat("x", 101)}}).want(t, 422)
		r.contains(t, `class="error-summary"`, `href="#title"`, `href="#body"`, `href="#author_name"`, `value="ab"`, `aria-invalid="true"`)
		if n := countIdeas(t, ts, f.round.ID); n != before {
			t.Errorf("a bad idea was stored: %d ideas, want %d", n, before)
		}
	})
	t.Run("ErrHoneypot", func(t *testing.T) {
		before := countIdeas(t, ts, f.round.ID)
		r := ts.client("").post(t, form, action, url.Values{"title": {"Cheap watches"}, "body": {"Buy now"}, "website": {"https://spam.example"}}).want(t, 422)
		r.contains(t, `id="website-error"`)
		if n := countIdeas(t, ts, f.round.ID); n != before {
			t.Errorf("the honeypot let an idea through: %d ideas, want %d", n, before)
		}
	})
	t.Run("ErrSignInRequired", func(t *testing.T) {
		members := f.newRound(t, ts, "Vain kirjautuneille", -time.Hour, time.Hour, false)
		path := "/idea-rounds/" + itoa(members.ID)
		b := ts.client("")
		b.get(path+"/ideas/new?lang=en").want(t, 200).contains(t, "/login?next=")
		// The form is not offered; a post made anyway is refused, and says why.
		b.post(t, "/login", path+"/ideas", url.Values{"title": {"Idea"}, "body": {"Text"}}).want(t, 401).contains(t, "Sign in to take part in this idea round.")
		if _, ok := b.cookies["osallistu_respondent"]; ok {
			t.Error("a refused idea left a respondent cookie")
		}
		signedIn := ts.client(memberToken)
		signedIn.post(t, path+"/ideas/new", path+"/ideas", url.Values{"title": {"Members' idea"}, "body": {"Text"}}).redirectsTo(t, "/ideas/")
		if _, ok := signedIn.cookies["osallistu_respondent"]; ok {
			t.Error("a signed-in person got a respondent cookie")
		}
		if n := countIdeas(t, ts, members.ID); n != 1 {
			t.Errorf("%d ideas, want 1", n)
		}
	})
	t.Run("ErrClosed", func(t *testing.T) {
		// The round closes between showing the form and sending it.
		soon := f.newRound(t, ts, "Päättyy pian", -time.Hour, 1500*time.Millisecond, true)
		path := "/idea-rounds/" + itoa(soon.ID)
		b := ts.client("")
		csrf := b.csrfToken(t, path+"/ideas/new?lang=en")
		time.Sleep(time.Until(soon.ClosesAt) + 100*time.Millisecond)
		r := b.postWith(csrf, path+"/ideas", url.Values{"title": {"Late idea"}, "body": {"Text"}}).want(t, 409)
		r.contains(t, `class="error-summary"`, "this step is not open")
		if n := countIdeas(t, ts, soon.ID); n != 0 {
			t.Errorf("%d ideas, want 0", n)
		}
	})
}

func TestIdeaPagesSupport(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	idea := f.idea(t, ts, "Avoin data", "Julkaistaan data.")
	path := "/ideas/" + itoa(idea.ID)
	token, _ := ts.signUp("citizen@example.fi")
	supports := func(t *testing.T) int {
		t.Helper()
		i, err := ts.store.FindIdea(context.Background(), idea.ID)
		if err != nil {
			t.Fatal(err)
		}
		return i.Supports
	}

	t.Run("a browser supports once", func(t *testing.T) {
		b := ts.client("")
		b.post(t, path+"?lang=en", path+"/support", nil).redirectsTo(t, path)
		b.get(path+"?lang=en").contains(t, "Thank you! Your support has been recorded.", "You support this idea.", "1 support")
		b.post(t, path, path+"/support", nil).redirectsTo(t, path)
		if n := supports(t); n != 1 {
			t.Errorf("one browser supported twice: %d supports, want 1", n)
		}
	})
	t.Run("another browser and a signed-in person once each", func(t *testing.T) {
		ts.client("").post(t, path, path+"/support", nil).redirectsTo(t, path)
		signedIn := ts.client(token)
		signedIn.post(t, path, path+"/support", nil).redirectsTo(t, path)
		signedIn.post(t, path, path+"/support", nil).redirectsTo(t, path)
		if n := supports(t); n != 3 {
			t.Errorf("%d supports, want 3", n)
		}
	})
	t.Run("a new browser does not support it", func(t *testing.T) {
		if r := ts.client("").get(path + "?lang=en"); strings.Contains(string(r.body), "You support this idea.") {
			t.Error("a new browser is told it supports the idea")
		}
	})
	t.Run("the page counts the signed-in supports apart", func(t *testing.T) {
		ts.client("").get(path+"?lang=en").want(t, 200).contains(t, "3 supports, 1 by a signed-in person")
		ts.client("").get(f.path+"?lang=en").want(t, 200).contains(t, "3 supports, 1 by a signed-in person")
	})
	t.Run("a made-up cookie counts as none", func(t *testing.T) {
		b := ts.client("")
		b.cookies["osallistu_respondent"] = "made-up-token-0123456789"
		b.post(t, path+"?lang=en", path+"/support", nil).redirectsTo(t, path)
		if tok := b.cookies["osallistu_respondent"]; tok == "made-up-token-0123456789" {
			t.Error("the made-up cookie was kept")
		} else if _, err := ts.store.FindRespondent(context.Background(), tok); err != nil {
			t.Errorf("the new cookie is not an issued token: %v", err)
		}
		b.post(t, path, path+"/support", nil).redirectsTo(t, path)
		if n := supports(t); n != 4 {
			t.Errorf("%d supports, want 4", n)
		}
	})
	t.Run("ErrSignInRequired where the round takes no anonymous supports", func(t *testing.T) {
		members := f.newRound(t, ts, "Vain kirjautuneille", -time.Hour, time.Hour, false)
		idea, err := ts.store.CreateIdea(f.officialCtx, members.ID, participation.NewIdea{Title: "Jäsenten idea", Body: "x"}, "fi")
		if err != nil {
			t.Fatal(err)
		}
		path := "/ideas/" + itoa(idea.ID)
		b := ts.client("")
		// No support form: a note to sign in instead; a post made anyway is refused.
		page := b.get(path+"?lang=en").want(t, 200).contains(t, "Sign in to support ideas in this idea round.", "/login?next=")
		if strings.Contains(string(page.body), `action="`+path+`/support"`) {
			t.Error("an anonymous browser is offered the support form")
		}
		b.post(t, path+"?lang=en", path+"/support", nil).want(t, 401)
		if _, ok := b.cookies["osallistu_respondent"]; ok {
			t.Error("a refused support left a respondent cookie")
		}
		ts.client(token).post(t, path, path+"/support", nil).redirectsTo(t, path)
		if i, err := ts.store.FindIdea(context.Background(), idea.ID); err != nil || i.Supports != 1 || i.SignedInSupports != 1 {
			t.Errorf("idea %+v %v, want 1 support, signed in", i, err)
		}
	})
}

func TestIdeaPagesLinkify(t *testing.T) {
	t.Parallel()
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

	t.Run("on the page, the idea's text never becomes markup", func(t *testing.T) {
		ts := newTestServer(t)
		f := newIdeaFixture(t, ts)
		idea := f.idea(t, ts, "<b>Otsikko</b>", "<script>alert('x')</script>\n<img src=x onerror=alert(1)> https://example.fi/?q=<i>")
		page := ts.client("").get("/ideas/"+itoa(idea.ID)).want(t, 200)
		body := string(page.body)
		for _, bad := range []string{"<script>alert", "<img src=x", "<b>Otsikko", "<i>"} {
			if strings.Contains(body, bad) {
				t.Errorf("the idea page contains %q", bad)
			}
		}
		page.contains(t, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", "&lt;b&gt;Otsikko&lt;/b&gt;",
			`<a href="https://example.fi/?q=" rel="nofollow ugc noopener">`)
	})
}
