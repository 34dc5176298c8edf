package server_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
)

// TestIdeaPagesRender renders the idea round's pages, of each kind of round,
// in every language, for the public and for officials.
func TestIdeaPagesRender(t *testing.T) {
	t.Parallel()
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
	anon, official, citizen := ts.client(""), ts.client(f.official), ts.client(citizenToken)
	inLang := func(path, lang string) string {
		if strings.Contains(path, "?") {
			return path + "&lang=" + lang
		}
		return path + "?lang=" + lang
	}
	for _, lang := range []string{"fi", "sv", "en"} {
		t.Run("every page in "+lang, func(t *testing.T) {
			for _, path := range public {
				for who, pc := range map[string]*pageClient{"the public": anon, "an official": official} {
					if r := pc.get(inLang(path, lang)); r.status != 200 || !strings.Contains(string(r.body), `<html lang="`+lang+`"`) {
						t.Errorf("GET %s in %s as %s: status %d", path, lang, who, r.status)
					}
				}
			}
			for _, path := range officials {
				if r := official.get(inLang(path, lang)); r.status != 200 || !strings.Contains(string(r.body), `<html lang="`+lang+`"`) {
					t.Errorf("GET %s in %s as an official: status %d", path, lang, r.status)
				}
			}
		})
	}
	t.Run("officials' pages: signed out, sign in; without the role, forbidden", func(t *testing.T) {
		for _, path := range append(officials, f.path+"/ideas.csv") {
			anon.get(path).want(t, 401).contains(t, "/login?next=")
			citizen.get(path).want(t, 403)
		}
	})
	t.Run("the round page offers what the round and the caller allow", func(t *testing.T) {
		anon.get(f.path).contains(t, `href="`+f.path+`/ideas/new"`, "Avoin data kaikille", `href="/themes/`+itoa(theme.ID)+`"`)
		if r := anon.get(f.path + "?lang=en"); strings.Contains(string(r.body), "/group") || strings.Contains(string(r.body), "ideas.csv") {
			t.Error("the public sees the officials' links")
		}
		official.get(f.path+"?lang=en").contains(t, f.path+"/group", "/moderation", f.path+"/ideas.csv")
		anon.get("/idea-rounds/"+itoa(members.ID)+"?lang=en").contains(t, "/login?next=%2fidea-rounds%2f"+itoa(members.ID)+"%2fideas%2fnew")
		anon.get("/idea-rounds/"+itoa(closed.ID)+"/ideas/new?lang=en").contains(t, "The idea round closed on")
		anon.get("/idea-rounds/"+itoa(upcoming.ID)+"?lang=en").contains(t, "The idea round opens on")
		official.get("/processes/"+f.slug+"?lang=en").contains(t, `href="/processes/`+f.slug+`/idea-rounds/new"`, `href="`+f.path+`"`)
	})
	for _, c := range []struct {
		path   string
		status int
	}{
		{"/idea-rounds/999999", 404},
		{"/themes/999999", 404},
		{"/ideas/999999", 404},
		{f.path + "?sort=sideways", 422},
	} {
		t.Run("GET "+c.path, func(t *testing.T) { anon.get(c.path).want(t, c.status) })
	}
	t.Run("the CSV download for officials signed in with the cookie", func(t *testing.T) {
		r := official.get(f.path+"/ideas.csv").want(t, 200)
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.HasPrefix(string(r.body), "\ufeffid,title,body,theme") {
			t.Errorf("CSV: %s\n%s", ct, r.body)
		}
		r.contains(t, "Avoin data kaikille")
	})
}

func TestIdeaPagesNewRound(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	official := ts.client(f.official)
	form := "/processes/" + f.slug + "/idea-rounds/new?lang=en"
	action := "/processes/" + f.slug + "/idea-rounds"

	t.Run("closing before opening", func(t *testing.T) {
		r := official.post(t, form, action, url.Values{"title": {"Second round"}, "opens_at": {"2030-03-01T09:00"}, "closes_at": {"2030-02-01T09:00"}}).want(t, 422)
		r.contains(t, "The closing time must be after the opening time.", `value="2030-03-01T09:00"`)
	})
	t.Run("missing and malformed fields", func(t *testing.T) {
		r := official.post(t, form, action, url.Values{"title": {""}, "opens_at": {"1.3.2030"}, "closes_at": {""}}).want(t, 422)
		r.contains(t, `href="#title"`, `href="#opens_at"`, `href="#closes_at"`, "This is not in the right format.")
	})
	t.Run("OK: Helsinki time", func(t *testing.T) {
		loc := official.post(t, form, action, url.Values{
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
			t.Errorf("round %+v, want opening at %v", round, want)
		}
		official.get(loc+"?lang=en").contains(t, "The idea round has been created.")
	})
}

// TestIdeaPagesEditRound: an official changes a round on its edit form,
// with the rules of the new round form, and its page notes the window's
// change.
func TestIdeaPagesEditRound(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	official := ts.client(f.official)
	citizenToken, _ := ts.signUp("citizen@example.fi")
	edit := f.path + "/edit"
	opens := f.round.OpensAt.In(participation.Helsinki).Format(participation.DateTimeLayout)
	closes := f.round.ClosesAt.In(participation.Helsinki).Format(participation.DateTimeLayout)

	t.Run("the form shows the round as it is", func(t *testing.T) {
		official.get(edit+"?lang=en").want(t, 200).contains(t, `value="`+f.round.Title+`"`, `value="`+opens+`"`, `value="`+closes+`"`, `name="allow_anonymous" value="yes" checked`)
		official.get(f.path+"?lang=en").contains(t, `href="`+edit+`"`)
	})
	t.Run("only officials", func(t *testing.T) {
		ts.client("").get(edit).want(t, 401)
		ts.client(citizenToken).get(edit).want(t, 403)
		if r := ts.client("").get(f.path + "?lang=en"); strings.Contains(string(r.body), `href="`+edit+`"`) {
			t.Error("the public sees the edit link")
		}
	})
	t.Run("the rules of a new round", func(t *testing.T) {
		official.post(t, edit+"?lang=en", edit, url.Values{"title": {""}, "opens_at": {opens}, "closes_at": {""}}).want(t, 422).
			contains(t, `href="#title"`, `href="#closes_at"`)
		official.post(t, edit+"?lang=en", edit, url.Values{"title": {"x"}, "opens_at": {opens}, "closes_at": {"2001-01-01T10:00"}}).want(t, 422).
			contains(t, "The closing time must be after the opening time.")
		official.post(t, edit+"?lang=en", edit, url.Values{"title": {"x"}, "opens_at": {"tomorrow"}, "closes_at": {closes}}).want(t, 422).
			contains(t, "This is not in the right format.")
		r, err := ts.store.FindIdeaRound(context.Background(), f.round.ID)
		if err != nil || r.Title != f.round.Title || len(r.WindowChanges) != 0 {
			t.Errorf("a refused change was stored: %+v %v", r, err)
		}
	})
	later := f.round.ClosesAt.AddDate(0, 0, 14)
	mustRun(t, "extend the window", func(t *testing.T) {
		official.post(t, edit+"?lang=en", edit, url.Values{
			"title": {f.round.Title}, "description": {"Kerro ideasi."}, "opens_at": {opens},
			"closes_at": {later.In(participation.Helsinki).Format(participation.DateTimeLayout)}, "tr_sv_title": {"Idéer"},
		}).redirectsTo(t, f.path)
		r, err := ts.store.FindIdeaRound(context.Background(), f.round.ID)
		if err != nil || r.AllowAnonymous || r.Translations.Get("sv", "title") != "Idéer" || len(r.WindowChanges) != 1 {
			t.Fatalf("round %+v %v", r, err)
		}
	})
	t.Run("the round's page says so", func(t *testing.T) {
		official.get(f.path+"?lang=en").contains(t, "The idea round has been changed.", "The closing time was changed on")
		ts.client("").get(f.path+"?lang=fi").contains(t, "Päättymisaikaa muutettiin", later.In(participation.Helsinki).Format("2.1.2006 klo "))
		ts.client("").get(f.path+"?lang=sv").contains(t, "Sluttiden ändrades")
	})
}
