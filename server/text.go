package server

import (
	"html/template"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"osallistu/participation"
)

// The template helpers about text: people's text with links, short
// excerpts, municipalities by name.

// linkPattern finds the http and https addresses in a text: up to white
// space, quotes, angle brackets or a control character.
var linkPattern = regexp.MustCompile(`(?i)\bhttps?://[^\s<>"'\x00-\x1f\x7f]+`)

// Linkify returns text as HTML with its http(s) addresses made into links
// (rel="nofollow ugc noopener"). Every part of the text, the addresses
// included, is HTML-escaped, so what people write never becomes markup;
// line breaks stay as they are (the page keeps them with CSS).
func Linkify(text string) template.HTML {
	var b strings.Builder
	last := 0
	for _, m := range linkPattern.FindAllStringIndex(text, -1) {
		start, end := m[0], m[1]
		addr := trimLinkEnd(text[start:end])
		end = start + len(addr)
		if u, err := url.Parse(addr); err != nil || u.Host == "" {
			continue
		}
		b.WriteString(template.HTMLEscapeString(text[last:start]))
		esc := template.HTMLEscapeString(addr)
		b.WriteString(`<a href="` + esc + `" rel="nofollow ugc noopener">` + esc + `</a>`)
		last = end
	}
	b.WriteString(template.HTMLEscapeString(text[last:]))
	return template.HTML(b.String())
}

// trimLinkEnd leaves out the punctuation that ends a sentence after an
// address, and a closing parenthesis that closes one opened before it.
func trimLinkEnd(addr string) string {
	for addr != "" {
		last := addr[len(addr)-1]
		switch {
		case strings.IndexByte(".,;:!?", last) >= 0:
			addr = addr[:len(addr)-1]
		case last == ')' && strings.Count(addr, "(") < strings.Count(addr, ")"):
			addr = addr[:len(addr)-1]
		default:
			return addr
		}
	}
	return addr
}

// excerpt returns the start of text, at most n characters, cut at a space
// where one is near and marked with an ellipsis.
func excerpt(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)*3/4 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " .,;:") + "…"
}

// municipalityOptions are Finland's municipalities for a <select>, named and
// sorted in lang (Swedish names for "sv"; Finnish otherwise). The value is
// the Finnish name, the form the store keeps.
var municipalityOptions = sync.OnceValue(func() map[string][]selectOption {
	out := map[string][]selectOption{}
	for _, lang := range []string{"fi", "sv", "en"} {
		tag := language.Finnish
		if lang == "sv" {
			tag = language.Swedish
		}
		col := collate.New(tag)
		var opts []selectOption
		for _, m := range participation.Municipalities() {
			opts = append(opts, selectOption{Value: m.Fi, Label: m.Name(lang)})
		}
		slices.SortFunc(opts, func(a, b selectOption) int { return col.CompareString(a.Label, b.Label) })
		out[lang] = opts
	}
	return out
})

// municipalityName names a municipality kept in its Finnish form in lang;
// names not on the list are shown as written.
func municipalityName(name, lang string) string {
	if m, ok := participation.FindMunicipality(name); ok {
		return m.Name(lang)
	}
	return name
}
