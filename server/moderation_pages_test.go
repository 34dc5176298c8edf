package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
)

func TestModerationPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	idea := f.idea(t, ts, "Avoin data", "Julkaistaan data.")
	path := "/ideas/" + itoa(idea.ID)
	cm, err := ts.store.CreateComment(context.Background(), idea.ID, participation.NewComment{Body: "Hyvä idea!"}, "fi")
	if err != nil {
		t.Fatal(err)
	}
	comment := "/comments/" + itoa(cm.ID)
	b, official := ts.client(""), ts.client(f.official)

	t.Run("Reports", func(t *testing.T) {
		b.post(t, path, path+"/report", url.Values{"reason": {"Mainos"}}).redirectsTo(t, path)
		b.post(t, path, comment+"/report", url.Values{"reason": {"Kiroilua"}}).redirectsTo(t, path)
		b.get(path+"?lang=en").contains(t, "Your report has been sent to the moderators.")
	})
	t.Run("without a reason, the form again", func(t *testing.T) {
		b.post(t, path+"/report", path+"/report", url.Values{"reason": {""}}).want(t, 422).contains(t, `href="#reason"`)
	})
	t.Run("ErrHoneypot", func(t *testing.T) {
		b.post(t, path+"/report", path+"/report", url.Values{"reason": {"Spam"}, "website": {"x"}}).want(t, 422)
	})
	t.Run("the queue lists the reports with their actions", func(t *testing.T) {
		queue := official.get("/moderation?lang=en").want(t, 200)
		queue.contains(t, "Mainos", "Kiroilua", `action="`+path+`/hide"`, `action="`+comment+`/hide"`)
		if strings.Contains(string(queue.body), "Spam") {
			t.Error("a report with the honeypot filled in was kept")
		}
	})
	t.Run("the official hides the comment from the queue", func(t *testing.T) {
		official.post(t, "/moderation", comment+"/hide", url.Values{"reason": {"Kiroilua"}, "next": {"/moderation"}}).redirectsTo(t, "/moderation")
		official.get("/moderation?lang=en").contains(t, "The content has been hidden.")
		page := b.get(path + "?lang=en")
		page.contains(t, "Removed by the moderator: Kiroilua")
		if strings.Contains(string(page.body), "Hyvä idea!") {
			t.Error("the hidden comment's text is shown")
		}
	})
	t.Run("hiding needs a reason", func(t *testing.T) {
		official.post(t, path+"/hide", comment+"/hide", url.Values{"reason": {""}}).want(t, 422).contains(t, `href="#reason"`)
	})
	t.Run("the official restores it", func(t *testing.T) {
		official.post(t, path, comment+"/restore", url.Values{"reason": {"Asiallinen"}}).redirectsTo(t, path)
		b.get(path+"?lang=en").contains(t, "Hyvä idea!")
	})
	t.Run("the log keeps both", func(t *testing.T) {
		official.get("/moderation/log?lang=en").contains(t, "Hidden", "Restored", "Comment "+itoa(cm.ID))
	})
	t.Run("only officials moderate", func(t *testing.T) {
		b.post(t, path, comment+"/hide", url.Values{"reason": {"x"}}).want(t, 401)
	})
}

func TestIdeaPagesHiddenIdea(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	idea := f.idea(t, ts, "Piilotettava", "Asiatonta tekstiä.")
	path := "/ideas/" + itoa(idea.ID)
	official, public := ts.client(f.official), ts.client("")

	mustRun(t, "the official hides the idea", func(t *testing.T) {
		official.post(t, path, path+"/hide", url.Values{"reason": {"Asiaton"}}).redirectsTo(t, path)
	})
	t.Run("its pages are gone for the public", func(t *testing.T) {
		for _, p := range []string{path, path + "/comments/new", path + "/report"} {
			public.get(p).want(t, 404)
		}
		if strings.Contains(string(public.get(f.path).body), "Piilotettava") {
			t.Error("the round page lists the hidden idea")
		}
	})
	t.Run("the official sees it, with the reason and a way back", func(t *testing.T) {
		page := official.get(path+"?lang=en").want(t, 200)
		page.contains(t, "Removed by the moderator: Asiaton", "Piilotettava", `action="`+path+`/restore"`)
	})
	t.Run("restored, it is public again", func(t *testing.T) {
		official.post(t, path, path+"/restore", url.Values{"reason": {"Asiallinen"}}).redirectsTo(t, path)
		public.get(path).want(t, 200)
	})
}

func TestModerationPagesDismiss(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	idea := f.idea(t, ts, "Avoin data", "Julkaistaan kaikki data avoimesti.")
	path := "/ideas/" + itoa(idea.ID)
	b, official := ts.client(""), ts.client(f.official)
	b.post(t, path, path+"/report", url.Values{"reason": {"Mainos"}}).redirectsTo(t, path)

	t.Run("the queue shows the text, where it is and the reasons", func(t *testing.T) {
		official.get("/moderation?lang=en").want(t, 200).contains(t, "Julkaistaan kaikki data avoimesti.", `href="`+f.path+`"`, "Ideoita toimintaohjelmaan",
			`href="/processes/`+f.slug+`"`, "Mainos", `action="`+path+`/dismiss"`)
	})
	t.Run("without a reason, the decision's page with the error", func(t *testing.T) {
		official.post(t, "/moderation", path+"/dismiss", url.Values{"reason": {""}, "next": {"/moderation"}}).want(t, 422).contains(t, `href="#reason"`)
	})
	t.Run("dismissed, it leaves the queue and stays public", func(t *testing.T) {
		official.post(t, "/moderation", path+"/dismiss", url.Values{"reason": {"Ei sääntöjen vastainen"}, "next": {"/moderation"}}).redirectsTo(t, "/moderation")
		queue := official.get("/moderation?lang=en")
		queue.contains(t, "The reports were dismissed.", "Nothing is waiting for moderation.")
		b.get(path).want(t, 200)
	})
	t.Run("the log shows the dismissal with its reason and the text", func(t *testing.T) {
		official.get("/moderation/log?lang=en").contains(t, "Reports dismissed", "Ei sääntöjen vastainen", "Julkaistaan kaikki data avoimesti.")
	})
	t.Run("only officials", func(t *testing.T) {
		b.get(path+"/dismiss").want(t, 401)
		b.post(t, path, path+"/dismiss", url.Values{"reason": {"x"}}).want(t, 401)
	})
}

func TestModerationPagesBlock(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	idea := f.idea(t, ts, "Avoin data", "Julkaistaan.")
	token, person := ts.signUp("citizen@example.fi")
	ctx := participation.NewContextWithAccount(context.Background(), person)
	mine, err := ts.store.CreateIdea(ctx, f.round.ID, participation.NewIdea{Title: "Oma idea", Body: "Kirjoittajan teksti"}, "fi")
	if err != nil {
		t.Fatal(err)
	}
	path, blockPath := "/ideas/"+itoa(idea.ID), "/accounts/"+itoa(person.ID)+"/block"
	official, citizen := ts.client(f.official), ts.client(token)
	citizen.post(t, path, "/ideas/"+itoa(mine.ID)+"/report", url.Values{"reason": {"Oma testi"}})

	t.Run("the queue leads to the writer's block page", func(t *testing.T) {
		official.get("/moderation?lang=en").contains(t, `href="`+blockPath+`?next=%2fmoderation"`)
		official.get(blockPath+"?lang=en").want(t, 200).contains(t, person.Name, "Not blocked.")
	})
	t.Run("the admin's accounts page leads there too", func(t *testing.T) {
		admin, _ := ts.signUp("admin@example.fi", "admin", "official")
		ts.client(admin).get("/admin/accounts?lang=en").contains(t, `href="`+blockPath+`?next=/admin/accounts"`)
	})
	until := time.Now().Add(72 * time.Hour).In(participation.Helsinki).Format("2006-01-02T15:04")
	t.Run("ErrInvalid", func(t *testing.T) {
		official.post(t, blockPath, blockPath, url.Values{"until": {until}, "reason": {""}}).want(t, 422).contains(t, `href="#reason"`)
		official.post(t, blockPath, blockPath, url.Values{"until": {"huomenna"}, "reason": {"x"}}).want(t, 422).contains(t, `href="#until"`)
	})
	t.Run("blocked with a reason", func(t *testing.T) {
		official.post(t, blockPath, blockPath, url.Values{"until": {until}, "reason": {"Toistuvaa kiroilua"}, "next": {"/moderation"}}).redirectsTo(t, "/moderation")
		official.get(blockPath+"?lang=en").contains(t, "Blocked from writing until", "Toistuvaa kiroilua")
	})
	t.Run("the person sees it where they would write and on their account", func(t *testing.T) {
		for _, p := range []string{f.path, path, "/account"} {
			page := citizen.get(p+"?lang=en").want(t, 200)
			page.contains(t, "A moderator has blocked your account from writing until", "Toistuvaa kiroilua")
			if strings.Contains(string(page.body), `action="`+path+`/comments"`) {
				t.Errorf("%s offers the comment form", p)
			}
		}
		citizen.post(t, path, path+"/comments", url.Values{"body": {"Kommentti"}}).want(t, 403)
	})
	t.Run("lifted early", func(t *testing.T) {
		official.post(t, blockPath, "/accounts/"+itoa(person.ID)+"/unblock", url.Values{"unblock_reason": {"Sovittu"}}).redirectsTo(t, blockPath)
		official.get(blockPath+"?lang=en").contains(t, "Not blocked.", "The block was lifted.")
		citizen.post(t, path, path+"/comments", url.Values{"body": {"Kommentti"}}).redirectsTo(t, path)
	})
	t.Run("the log keeps both", func(t *testing.T) {
		official.get("/moderation/log?lang=en").contains(t, "Blocked from writing", "Block lifted", "Sovittu", person.Name)
	})
	t.Run("only officials", func(t *testing.T) {
		citizen.get(blockPath).want(t, 403)
	})
}

func TestModerationPagesPremoderation(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	official, b := ts.client(f.official), ts.client("")
	now := time.Now().In(participation.Helsinki)
	var roundPath string
	mustRun(t, "the official creates a pre-moderated round", func(t *testing.T) {
		form := "/processes/" + f.slug + "/idea-rounds/new"
		official.get(form).contains(t, `name="premoderated"`)
		r := official.post(t, form, "/processes/"+f.slug+"/idea-rounds", url.Values{"title": {"Ennakkomoderoitu"}, "description": {""}, "language": {"fi"},
			"opens_at": {now.Add(-time.Hour).Format("2006-01-02T15:04")}, "closes_at": {now.Add(24 * time.Hour).Format("2006-01-02T15:04")},
			"allow_anonymous": {"yes"}, "premoderated": {"yes"}}).want(t, 303)
		roundPath = r.header.Get("Location")
	})
	t.Run("a new idea waits, and its writer is told", func(t *testing.T) {
		b.post(t, roundPath+"/ideas/new", roundPath+"/ideas", url.Values{"title": {"Odottava idea"}, "body": {"Hyväksyttävä teksti"}}).redirectsTo(t, roundPath)
		page := b.get(roundPath + "?lang=en")
		page.contains(t, "Your idea was received. It waits for a moderator") // the apostrophe is escaped
		if strings.Contains(string(page.body), "Odottava idea") {
			t.Error("the pending idea is listed")
		}
	})
	t.Run("the moderators approve it", func(t *testing.T) {
		pending := official.get("/moderation/pending?lang=en").want(t, 200)
		pending.contains(t, "Odottava idea", "Hyväksyttävä teksti")
		i := strings.Index(string(pending.body), `action="/ideas/`)
		if i < 0 {
			t.Fatalf("no approval form: %s", pending.body)
		}
		id := strings.SplitN(string(pending.body)[i+len(`action="/ideas/`):], "/", 2)[0]
		official.post(t, "/moderation/pending", "/ideas/"+id+"/approve", url.Values{"reason": {""}, "next": {"/moderation/pending"}}).redirectsTo(t, "/moderation/pending")
		official.get("/moderation/pending?lang=en").contains(t, "The content was approved", "Nothing is waiting for approval.")
		b.get(roundPath).contains(t, "Odottava idea")
	})
}
