package server

import (
	"bytes"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"osallistu/frontend"
	"osallistu/participation"
)

// TestDescribe checks that a page that shows a summary describes itself with
// its start, and falls back to its kind's text without one.
func TestDescribe(t *testing.T) {
	r, err := newRenderer()
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Avoin hallinto kuuluu kaikille. ", 20)
	for _, c := range []struct {
		description, want string
	}{
		{long, excerpt(long, metaDescriptionLen)},
		{"Lyhyt kuvaus.\n\nToinen kappale.", "Lyhyt kuvaus. Toinen kappale."},
		{"", translate(i18n.NewLocalizer(r.bundle, "en"), "meta.process")},
	} {
		p := &participation.Process{ID: 1, Slug: "p", Title: "P", Description: c.description,
			CreatedAt: time.Now(), Steps: []participation.Step{}, Stats: &participation.Stats{}}
		var buf bytes.Buffer
		v := &View{Lang: "en", Page: "process", Langs: frontend.Languages, Path: "/processes/p", Status: 200, Data: processPageData{Process: p}}
		if err := r.pages["en"]["process"].Execute(&buf, v); err != nil {
			t.Fatal(err)
		}
		m := metaDescription.FindStringSubmatch(buf.String())
		if m == nil || html.UnescapeString(m[1]) != c.want {
			t.Errorf("description %.40q: meta %q, want %q", c.description, m, c.want)
		}
	}
	if !strings.HasSuffix(excerpt(long, metaDescriptionLen), "…") {
		t.Error("a long summary is not cut")
	}
}
