package server

import (
	"fmt"

	"osallistu/participation"
)

// crumb is one step of a page's breadcrumb trail.
type crumb struct {
	Href, Text string
	Lang       string // the text's language when it is an organiser's or a citizen's text
	Current    bool   // the page itself
}

// crumbs makes a page's breadcrumb trail, the steps after the front page,
// from href, label pairs; the last pair is the page itself. A label is a
// string in the page's language or a participation.LocalText (an
// organiser's or a citizen's text, which carries its own language). Pages
// show it with the shared partial:
//
//	{{template "breadcrumb" (crumbs (print "/processes/" .Slug) (tr . "title" .Title) (print "/processes/" .Slug "/status") (t "board.title"))}}
func crumbs(pairs ...any) ([]crumb, error) {
	if len(pairs)%2 != 0 {
		return nil, fmt.Errorf("crumbs: %d arguments, want href, label pairs", len(pairs))
	}
	out := make([]crumb, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		href, ok := pairs[i].(string)
		if !ok {
			return nil, fmt.Errorf("crumbs: href %v is not a string", pairs[i])
		}
		c := crumb{Href: href}
		switch l := pairs[i+1].(type) {
		case string:
			c.Text = l
		case participation.LocalText:
			c.Text, c.Lang = l.Text, l.Lang
		default:
			return nil, fmt.Errorf("crumbs: label %v is neither a string nor a participation.LocalText", pairs[i+1])
		}
		out = append(out, c)
	}
	if len(out) > 0 {
		out[len(out)-1].Current = true
	}
	return out, nil
}

// localText is a citizen's text with the language it was written in, for
// crumbs: {{localText .Idea.Title .Idea.Language}}.
func localText(text, lang string) participation.LocalText {
	return participation.LocalText{Text: text, Lang: lang}
}
