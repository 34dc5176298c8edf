package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"osallistu/participation"
)

func TestModerationPages(t *testing.T) {
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
