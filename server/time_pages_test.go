package server_test

import (
	"regexp"
	"strings"
	"testing"
)

// TestDatesFollowTheLanguage reads the versions page of a commitment in each
// language: the versions' times and the milestones' due dates in the diff
// are written as that language writes them, never as ISO dates.
func TestDatesFollowTheLanguage(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	s := w.scenario(t)
	official := w.ts.client(w.official)
	cases := []struct {
		lang   string
		moment *regexp.Regexp
		dues   []string
	}{
		{"fi", regexp.MustCompile(`>\d{1,2}\.\d{1,2}\.20\d\d klo \d{1,2}\.\d\d</td>`), []string{"Lasten oikeuksien päivä, 14.11.2017", "Maahanmuuttajatyöpaja, 7.3.2018"}},
		{"sv", regexp.MustCompile(`>\d{1,2}\.\d{1,2}\.20\d\d kl\. \d{1,2}\.\d\d</td>`), []string{"Lasten oikeuksien päivä, 14.11.2017", "Maahanmuuttajatyöpaja, 7.3.2018"}},
		{"en", regexp.MustCompile(`>\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) 20\d\d, \d\d:\d\d</td>`),
			[]string{"Lasten oikeuksien päivä, 14 November 2017", "Maahanmuuttajatyöpaja, 7 March 2018"}},
	}
	for _, c := range cases {
		t.Run(c.lang, func(t *testing.T) {
			r := official.get("/commitments/"+itoa(s.a.ID)+"/versions?from=1&to=3&lang="+c.lang).want(t, 200)
			body := string(r.body)
			if n := len(c.moment.FindAllString(body, -1)); n != 3 {
				t.Errorf("%d version times written as %v, want 3", n, c.moment)
			}
			// The diff marks words; compare its text without the marks.
			text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(body, "")
			for _, due := range c.dues {
				if !strings.Contains(text, due) {
					t.Errorf("the milestone diff lacks %q", due)
				}
			}
			for _, iso := range []string{"2017-11-14", "2018-03-07"} {
				if strings.Contains(body, iso) {
					t.Errorf("the page shows the ISO date %s", iso)
				}
			}
		})
	}
}
