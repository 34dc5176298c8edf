package server

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/gofiber/fiber/v2"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"osallistu/frontend"
	"osallistu/participation"
	"osallistu/server/mail"
)

// metaDescriptionLen is about as much of a meta description as search
// results show.
const metaDescriptionLen = 155

const (
	langCookie  = "osallistu_lang"
	flashCookie = "osallistu_flash"
	localLang   = "lang"
)

// renderer holds every page's template once per language, each with its
// language's translations bound, so rendering does no parsing.
type renderer struct {
	bundle *i18n.Bundle
	pages  map[string]map[string]*template.Template // language → page → template
}

// sharedRenderer is the renderer of every server of the process: the
// templates and translations are embedded, so they are parsed once, however
// many servers a process starts (the tests start hundreds).
var sharedRenderer = sync.OnceValues(newRenderer)

// newRenderer parses the layout and the partials once per language, and
// each page into a clone of them (clones share the parsed trees).
func newRenderer() (*renderer, error) {
	bundle, err := loadTranslations()
	if err != nil {
		return nil, err
	}
	pageFiles, err := fs.Glob(frontend.Templates, "*.html")
	if err != nil {
		return nil, err
	}
	r := &renderer{bundle: bundle, pages: map[string]map[string]*template.Template{}}
	for _, lang := range frontend.Languages {
		r.pages[lang] = map[string]*template.Template{}
		funcs := templateFuncs(i18n.NewLocalizer(bundle, lang), lang)
		base, err := template.New("layout.html").Funcs(funcs).ParseFS(frontend.Templates, "layout.html", "partials/*.html")
		if err != nil {
			return nil, fmt.Errorf("parse layout: %w", err)
		}
		for _, file := range pageFiles {
			if file == "layout.html" {
				continue
			}
			t, err := template.Must(base.Clone()).ParseFS(frontend.Templates, file)
			if err != nil {
				return nil, fmt.Errorf("parse template %s: %w", file, err)
			}
			r.pages[lang][strings.TrimSuffix(file, ".html")] = t
		}
	}
	return r, nil
}

// loadTranslations reads every frontend/locales/NAME.LANG.toml file.
func loadTranslations() (*i18n.Bundle, error) {
	bundle := i18n.NewBundle(language.Finnish)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	files, err := fs.Glob(frontend.Locales, "*.toml")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if _, err := bundle.LoadMessageFileFS(frontend.Locales, f); err != nil {
			return nil, fmt.Errorf("load translations %s: %w", f, err)
		}
	}
	return bundle, nil
}

// translate looks up key in lang's messages. args are name, value pairs for
// the message's template; a "Count" argument also picks the plural form.
func translate(loc *i18n.Localizer, key string, args ...any) string {
	cfg := &i18n.LocalizeConfig{MessageID: key}
	if len(args) > 0 {
		data := map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			name := fmt.Sprint(args[i])
			data[name] = args[i+1]
			if name == "Count" {
				cfg.PluralCount = args[i+1]
			}
		}
		cfg.TemplateData = data
	}
	s, err := loc.Localize(cfg)
	if err != nil {
		return "[" + key + "]" // a test keeps this from shipping
	}
	return s
}

func templateFuncs(loc *i18n.Localizer, lang string) template.FuncMap {
	return template.FuncMap{
		"t": func(key string, args ...any) string { return translate(loc, key, args...) },
		"fieldError": func(errs participation.FieldErrors, field string) string {
			fe, ok := errs[field]
			if !ok {
				return ""
			}
			return translate(loc, "rule."+fe.Rule, "Limit", fe.Limit)
		},
		// Dates and times in Helsinki, in the page's language.
		"date":     func(t any) string { return localDate(t, lang, false) },
		"datetime": func(t any) string { return localDate(t, lang, true) },
		"hasRole":  func(a *participation.Account, role string) bool { return a.HasRole(role) },
		"contains": func(list []string, s string) bool {
			for _, x := range list {
				if x == s {
					return true
				}
			}
			return false
		},
		"add": func(a, b int) int { return a + b },
		// describe gives the page's meta description: the start of summary,
		// the text the page shows about itself, else the generic description
		// of the page's kind, "meta.PAGE".
		"describe": func(v *View, summary string) string {
			if d := excerpt(summary, metaDescriptionLen); d != "" {
				return d
			}
			return translate(loc, "meta."+v.Page)
		},
		// static gives a static file's fingerprinted address (static.go).
		"static": staticURL,
		// tr picks an organiser's text (a title, a description, an option)
		// for the page: field's translation into the page's language where
		// there is one, else own, the object's text in its own language;
		// its Lang is for the lang attribute (WCAG 3.1.2), and it prints as
		// its text: {{with tr . "title" .Title}}<h1 lang="{{.Lang}}">{{.Text}}</h1>{{end}}.
		"tr": func(x translated, field, own string) participation.LocalText { return x.In(lang, field, own) },
		// langOf is the language of a citizen's own text, which carries no
		// translations: guessed from its words, else the page's (WCAG 3.1.2).
		"langOf": func(text string) string { return participation.DetectLanguage(text, lang) },
		// The forms' language select and translation fields (translation_form.go).
		"languageOptions":            languageOptions,
		"languageName":               func(l string) string { return languageNames[l] },
		"translationLanguages":       translationLanguages,
		"translationFields":          func(kind string) []translationField { return translationFields[kind] },
		"milestoneTranslationFields": func() []string { return milestoneTranslationFields },
		"hasTranslationInput":        hasTranslationInput,
		"milestoneTranslationsOpen":  milestoneTranslationsOpen,
		"fieldLabel": func(field string) string {
			return fieldLabel(func(k string, a ...any) string { return translate(loc, k, a...) }, field)
		},

		"dict": dict,
		// The newsletter's digest, as its email tells it (newsletter_digest.html).
		"digestKinds":    func() []string { return participation.DigestKinds },
		"digestHeading":  func(kind string) string { return participation.DigestHeading(lang, kind) },
		"digestItemText": func(it participation.DigestItem) string { return participation.DigestItemText(lang, it) },
		"digestItemPath": mail.DigestItemPath,
		// The breadcrumb trail of a page (breadcrumb.go, partials/breadcrumb.html).
		"crumbs":    crumbs,
		"localText": localText,
		// People's text with links, short excerpts, municipalities (text.go).
		"linkify": Linkify,
		"excerpt": excerpt,
		"municipalities": func(none string) []selectOption {
			return append([]selectOption{{Label: none}}, municipalityOptions()[lang]...)
		},
		"municipalityName": func(name string) string { return municipalityName(name, lang) },
	}
}

// translated is what tr takes: an object that embeds
// participation.Translatable (or that Translatable itself).
type translated interface {
	In(lang, field, own string) participation.LocalText
}

// dict makes a map of name, value pairs, for passing several values to a
// partial template: {{template "field" dict "V" $ "Name" "title"}}.
func dict(pairs ...any) (map[string]any, error) {
	if len(pairs)%2 != 0 {
		return nil, fmt.Errorf("dict: %d arguments, want name, value pairs", len(pairs))
	}
	m := make(map[string]any, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		name, ok := pairs[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: name %v is not a string", pairs[i])
		}
		m[name] = pairs[i+1]
	}
	return m, nil
}

// View is what every page template gets: the request's common state and the
// page's own Data.
type View struct {
	Lang    string
	Page    string // the page's template name: the key of its generic description, "meta.PAGE"
	Langs   []string
	Path    string // the current path, for the language links
	Query   url.Values
	Account *participation.Account
	CSRF    string
	Flash   string // a translation key of a confirmation to show once
	Form    map[string]string
	Errors  participation.FieldErrors
	Status  int
	Data    any
	// Unread counts the signed-in account's unread in-app messages, for the navigation.
	Unread int
	// Manages says that the account may manage the process of the page's
	// thing (processAccess): its officials' tools are shown only then.
	Manages bool
}

// LangURL returns the current page's address in another language.
func (v *View) LangURL(lang string) string {
	q := url.Values{}
	for k, vs := range v.Query {
		q[k] = vs
	}
	q.Set("lang", lang)
	return v.Path + "?" + q.Encode()
}

// PageURL returns the current page's address at another offset of a paged list.
func (v *View) PageURL(offset int) string {
	q := url.Values{}
	for k, vs := range v.Query {
		if k != "lang" {
			q[k] = vs
		}
	}
	q.Set("offset", fmt.Sprint(offset))
	return v.Path + "?" + q.Encode()
}

// render writes page with status, in the request's language.
func (s *Server) render(c *fiber.Ctx, status int, page string, data any, form map[string]string, errs participation.FieldErrors) error {
	lang := requestLang(c)
	t, ok := s.pages.pages[lang][page]
	if !ok {
		return fmt.Errorf("render: no page %q", page)
	}
	v := &View{
		Lang: lang, Page: page, Langs: frontend.Languages, Path: copyString(c.Path()), Query: queryValues(c),
		Account: account(c), Form: form, Errors: errs, Status: status, Data: data,
	}
	v.Manages = manages(c)
	if tok, ok := c.Locals(localCSRF).(string); ok {
		v.CSRF = tok
	}
	if v.Account != nil && s.svc.Outbox != nil {
		v.Unread = s.unreadNotifications(c)
	}
	if f := c.Cookies(flashCookie); f != "" {
		v.Flash = "flash." + f
		// Cleared at the path it was set on, else deeper pages would keep it.
		c.Cookie(&fiber.Cookie{Name: flashCookie, Path: "/", Expires: time.Unix(0, 0), HTTPOnly: true, SameSite: "Lax", Secure: s.cfg.CookieSecure})
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Status(status).Type("html", "utf-8")
	return c.Send(buf.Bytes())
}

// flash sets a confirmation to show on the next page (a key under "flash.").
func (s *Server) flash(c *fiber.Ctx, key string) {
	c.Cookie(&fiber.Cookie{Name: flashCookie, Value: key, Path: "/", HTTPOnly: true, SameSite: "Lax", Secure: s.cfg.CookieSecure})
}

// redirect answers a form post with 303 See Other.
func redirect(c *fiber.Ctx, to string) error { return c.Redirect(to, fiber.StatusSeeOther) }

// language picks the interface language: a ?lang= link (remembered in a
// cookie), else the cookie, else the browser's Accept-Language, else Finnish.
func (s *Server) language(c *fiber.Ctx) error {
	lang := ""
	if q := c.Query("lang"); isLanguage(q) {
		lang = q
		c.Cookie(&fiber.Cookie{Name: langCookie, Value: q, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: "Lax", Secure: s.cfg.CookieSecure})
	} else if ck := c.Cookies(langCookie); isLanguage(ck) {
		lang = ck
	} else if a := c.AcceptsLanguages(frontend.Languages...); a != "" {
		lang = a
	} else {
		lang = frontend.Languages[0]
	}
	c.Locals(localLang, lang)
	return c.Next()
}

func isLanguage(s string) bool {
	for _, l := range frontend.Languages {
		if s == l {
			return true
		}
	}
	return false
}

func requestLang(c *fiber.Ctx) string {
	if l, ok := c.Locals(localLang).(string); ok {
		return l
	}
	return frontend.Languages[0]
}

// T translates key in the request's language, for texts made in handlers.
func (s *Server) T(c *fiber.Ctx, key string, args ...any) string {
	return translate(i18n.NewLocalizer(s.pages.bundle, requestLang(c)), key, args...)
}

// translator translates a key with its arguments in a page's language, for
// data (such as charts) laid out before the page is rendered.
type translator func(key string, args ...any) string

// translator returns s.T for the request c.
func (s *Server) translator(c *fiber.Ctx) translator {
	return func(key string, args ...any) string { return s.T(c, key, args...) }
}

func queryValues(c *fiber.Ctx) url.Values {
	q, _ := url.ParseQuery(string(c.Request().URI().QueryString()))
	return q
}

// unreadNotifications counts the signed-in account's unread notifications
// for the navigation; a failure is logged and shows as none.
func (s *Server) unreadNotifications(c *fiber.Ctx) int {
	n, err := s.svc.Outbox.CountUnread(c.UserContext())
	if err != nil {
		s.log.Error("count notifications", "err", err)
		return 0
	}
	return n
}
