package server_test

import (
	"regexp"
	"strings"
	"testing"
)

var (
	breadcrumbNav  = regexp.MustCompile(`(?s)<nav class="breadcrumb" aria-label="[^"]+">(.*?)</nav>`)
	breadcrumbLink = regexp.MustCompile(`<a href="([^"]*)"[^>]*?(aria-current="page")?>`)
)

// breadcrumbTrail returns the addresses of a page's breadcrumb trail, after
// checking that the page has one trail whose last step, and only that, is
// marked as the current page.
func breadcrumbTrail(t *testing.T, body []byte) []string {
	t.Helper()
	navs := breadcrumbNav.FindAllSubmatch(body, -1)
	if len(navs) != 1 {
		t.Fatalf("%d breadcrumb trails, want 1", len(navs))
	}
	var hrefs []string
	links := breadcrumbLink.FindAllSubmatch(navs[0][1], -1)
	for i, l := range links {
		hrefs = append(hrefs, strings.ReplaceAll(string(l[1]), "&amp;", "&"))
		if current := len(l[2]) > 0; current != (i == len(links)-1) {
			t.Errorf("step %d (%s) of %d: aria-current=page is %v", i+1, l[1], len(links), current)
		}
	}
	return hrefs
}

// TestBreadcrumbs reads each kind of page and checks that its trail has
// every level from the front page down to the page itself.
func TestBreadcrumbs(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	s := w.scenario(t)
	ts := w.ts
	official := ts.client(w.official)
	citizen := ts.client(w.citizen)
	idea, theme, a := itoa(w.ideas[0]), itoa(w.themes[0]), itoa(s.a.ID)
	milestone := itoa(s.a.Milestones[0].ID)
	round := "/idea-rounds/" + w.round
	cases := []struct {
		path string
		want []string
	}{
		{"/processes/avoin", []string{"/", "/processes/avoin"}},
		{round, []string{"/", "/processes/avoin", round}},
		{"/ideas/" + idea, []string{"/", "/processes/avoin", round, "/ideas/" + idea}},
		{"/ideas/" + idea + "/trace", []string{"/", "/processes/avoin", round, "/ideas/" + idea, "/ideas/" + idea + "/trace"}},
		{"/ideas/" + idea + "/report", []string{"/", "/processes/avoin", round, "/ideas/" + idea, "/ideas/" + idea + "/report"}},
		{"/ideas/" + idea + "/comments/new", []string{"/", "/processes/avoin", round, "/ideas/" + idea, "/ideas/" + idea + "/comments/new"}},
		{"/themes/" + theme, []string{"/", "/processes/avoin", round, "/themes/" + theme}},
		{"/processes/avoin/edit", []string{"/", "/processes/avoin", "/processes/avoin/edit"}},
		{round + "/edit", []string{"/", "/processes/avoin", round, round + "/edit"}},
		{"/ideas/" + idea + "/edit", []string{"/", "/processes/avoin", round, "/ideas/" + idea, "/ideas/" + idea + "/edit"}},
		{"/themes/" + theme + "/edit", []string{"/", "/processes/avoin", round, round + "/group", "/themes/" + theme + "/edit"}},
		{"/moderation/pending", []string{"/", "/moderation", "/moderation/pending"}},
		{"/processes/avoin/commitments", []string{"/", "/processes/avoin", "/processes/avoin/commitments"}},
		{"/commitments/" + a, []string{"/", "/processes/avoin", "/processes/avoin/commitments", "/commitments/" + a}},
		{"/commitments/" + a + "/versions", []string{"/", "/processes/avoin", "/processes/avoin/commitments", "/commitments/" + a, "/commitments/" + a + "/versions"}},
		{"/commitments/" + a + "/edit", []string{"/", "/processes/avoin", "/processes/avoin/commitments", "/commitments/" + a, "/commitments/" + a + "/edit"}},
		{"/milestones/" + milestone, []string{"/", "/processes/avoin", "/processes/avoin/commitments", "/commitments/" + a, "/milestones/" + milestone}},
		{"/processes/avoin/status", []string{"/", "/processes/avoin", "/processes/avoin/status"}},
		{"/processes/avoin/report", []string{"/", "/processes/avoin", "/processes/avoin/report"}},
		{"/account", []string{"/", "/account"}},
		{"/organisations", []string{"/", "/organisations"}},
		{"/privacy", []string{"/", "/privacy"}},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			client := official
			if strings.HasPrefix(c.path, "/ideas/") && (strings.HasSuffix(c.path, "/report") || strings.HasSuffix(c.path, "/edit")) {
				client = citizen
			}
			for _, lang := range []string{"fi", "sv", "en"} {
				r := client.get(c.path+"?lang="+lang).want(t, 200)
				if got := breadcrumbTrail(t, r.body); strings.Join(got, " › ") != strings.Join(c.want, " › ") {
					t.Errorf("%s: trail %v, want %v", lang, got, c.want)
				}
			}
		})
	}
	t.Run("signed out", func(t *testing.T) {
		r := ts.client("").get("/login?lang=en").want(t, 200)
		if got := breadcrumbTrail(t, r.body); strings.Join(got, " ") != "/ /login" {
			t.Errorf("trail %v", got)
		}
	})
	t.Run("the organisers' texts keep their language", func(t *testing.T) {
		r := official.get("/ideas/"+idea+"/trace?lang=en").want(t, 200)
		nav := breadcrumbNav.Find(r.body)
		for _, want := range []string{`<a href="/">Home</a>`, `lang="fi">Avoin</a>`, `lang="fi">Ennakkotehtävä</a>`, `aria-current="page">What became of this idea</a>`} {
			if !strings.Contains(string(nav), want) {
				t.Errorf("the trail lacks %s:\n%s", want, nav)
			}
		}
	})
}

// TestTraceQuestionReadsAsASentence: a poll question ending in "?" is
// quoted in the trace, not followed by a stray colon.
func TestTraceQuestionReadsAsASentence(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	w.ts.store.DB().MustExec(`UPDATE polls SET question = 'Mitkä ovat tärkeimmät tavoitealueet?'`)
	for lang, want := range map[string]string{
		"fi": `Teema sijoittui 2. / 4 äänestyksessä <q lang="fi">Mitkä ovat tärkeimmät tavoitealueet?</q>`,
		"sv": `Temat placerade sig som nummer 2 av 4 i omröstningen <q lang="fi">Mitkä ovat tärkeimmät tavoitealueet?</q>`,
		"en": `The theme ranked 2 of 4 in the vote <q lang="fi">Mitkä ovat tärkeimmät tavoitealueet?</q>`,
	} {
		r := w.ts.client("").get("/ideas/"+itoa(w.ideas[0])+"/trace?lang="+lang).want(t, 200).contains(t, want)
		if strings.Contains(string(r.body), "?:") {
			t.Errorf("%s: the trace has a stray \"?:\"", lang)
		}
	}
}
