package server

import (
	"bytes"
	"fmt"
	stdhtml "html"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/gofiber/fiber/v2"

	"osallistu/frontend"
	"osallistu/participation"
)

// pluralForms are the CLDR plural categories a go-i18n message table may hold.
var pluralForms = []string{"zero", "one", "two", "few", "many", "other"}

// messages maps each language to its translation keys and their texts (a
// plural message's forms are joined, for the empty-value check).
type messages map[string]map[string]string

// readMessages parses every frontend/locales/NAME.LANG.toml itself, so that a
// failure names the file and key instead of stopping at the first problem.
func readMessages(t *testing.T) messages {
	t.Helper()
	files, err := fs.Glob(frontend.Locales, "*.toml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no translation files in frontend/locales")
	}
	msgs := messages{}
	for _, lang := range frontend.Languages {
		msgs[lang] = map[string]string{}
	}
	where := map[string]string{} // lang+key → file, to catch a key defined twice
	names := map[string][]string{}
	for _, file := range files {
		parts := strings.Split(strings.TrimSuffix(file, ".toml"), ".")
		if len(parts) != 2 {
			t.Errorf("%s: want NAME.LANG.toml", file)
			continue
		}
		name, lang := parts[0], parts[1]
		if _, ok := msgs[lang]; !ok {
			t.Errorf("%s: %q is not one of the interface languages %v", file, lang, frontend.Languages)
			continue
		}
		names[name] = append(names[name], lang)
		b, err := fs.ReadFile(frontend.Locales, file)
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]any
		if err := toml.Unmarshal(b, &raw); err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		for key, v := range raw {
			text, ok := messageText(v)
			if !ok {
				t.Errorf("%s: %q is neither a string nor a plural table (%s); put plural tables last in the file", file, key, strings.Join(pluralForms, ", "))
				continue
			}
			if prev, dup := where[lang+" "+key]; dup {
				t.Errorf("%s: %q is already defined in %s", file, key, prev)
			}
			where[lang+" "+key] = file
			msgs[lang][key] = text
		}
	}
	for name, langs := range names {
		for _, lang := range frontend.Languages {
			if !slices.Contains(langs, lang) {
				t.Errorf("frontend/locales/%s.%s.toml is missing", name, lang)
			}
		}
	}
	return msgs
}

// messageText returns a message's text: a string, or a plural table's forms
// joined by newlines ("" if any form is empty or "other" is missing).
func messageText(v any) (string, bool) {
	switch m := v.(type) {
	case string:
		return strings.TrimSpace(m), true
	case map[string]any:
		if _, ok := m["other"]; !ok {
			return "", len(m) > 0 && allPluralForms(m)
		}
		var forms []string
		for _, f := range pluralForms {
			if s, ok := m[f]; ok {
				str, isStr := s.(string)
				if !isStr || strings.TrimSpace(str) == "" {
					return "", true
				}
				forms = append(forms, str)
			}
		}
		return strings.Join(forms, "\n"), allPluralForms(m)
	}
	return "", false
}

func allPluralForms(m map[string]any) bool {
	for k := range m {
		if !slices.Contains(pluralForms, k) && k != "description" {
			return false
		}
	}
	return true
}

// has fails t for every language that lacks key, naming where it is used.
func (m messages) has(t *testing.T, key, usedIn string) {
	t.Helper()
	for _, lang := range frontend.Languages {
		if _, ok := m[lang][key]; !ok {
			t.Errorf("key %q (%s) is missing in %s", key, usedIn, lang)
		}
	}
}

func TestI18nLanguagesHaveTheSameKeys(t *testing.T) {
	t.Parallel()
	if _, err := loadTranslations(); err != nil {
		t.Fatalf("go-i18n cannot load the translations: %v", err)
	}
	msgs := readMessages(t)
	all := map[string]bool{}
	for _, keys := range msgs {
		for k := range keys {
			all[k] = true
		}
	}
	sorted := make([]string, 0, len(all))
	for k := range all {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, key := range sorted {
		var in []string
		for _, lang := range frontend.Languages {
			if _, ok := msgs[lang][key]; ok {
				in = append(in, lang)
			}
		}
		for _, lang := range frontend.Languages {
			text, ok := msgs[lang][key]
			switch {
			case !ok:
				t.Errorf("key %q exists in %v but not in %s", key, in, lang)
			case text == "":
				t.Errorf("key %q is empty in %s", key, lang)
			}
		}
	}
	// A message's template fields must be the same in every language, or a
	// translation silently drops (or invents) a value.
	field := regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)
	for _, key := range sorted {
		var want []string
		for i, lang := range frontend.Languages {
			var got []string
			for _, m := range field.FindAllStringSubmatch(msgs[lang][key], -1) {
				if !slices.Contains(got, m[1]) {
					got = append(got, m[1])
				}
			}
			sort.Strings(got)
			if i == 0 {
				want = got
			} else if _, ok := msgs[lang][key]; ok && !slices.Equal(got, want) {
				t.Errorf("key %q uses fields %v in %s but %v in %s", key, got, lang, want, frontend.Languages[0])
			}
		}
	}
	for _, lang := range frontend.Languages {
		t.Logf("%s: %d keys", lang, len(msgs[lang]))
	}
}

func TestI18nUsedKeysExist(t *testing.T) {
	t.Parallel()
	msgs := readMessages(t)

	// Literal keys in the templates: {{t "key" ...}}.
	tCall := regexp.MustCompile(`\bt "([^"]+)"`)
	// Fields whose errors the error summary lists need a label, "field.NAME".
	fieldErr := regexp.MustCompile(`\bfieldError \S+ "([^"]+)"`)
	err := fs.WalkDir(frontend.Templates, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := fs.ReadFile(frontend.Templates, p)
		if err != nil {
			return err
		}
		for _, m := range tCall.FindAllStringSubmatch(string(b), -1) {
			msgs.has(t, m[1], "templates/"+p)
		}
		for _, m := range fieldErr.FindAllStringSubmatch(string(b), -1) {
			if m[1] != "_form" {
				msgs.has(t, "field."+m[1], "label of field "+m[1]+" in the error summary of templates/"+p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Literal keys in the server's Go code.
	goCalls := []*regexp.Regexp{
		regexp.MustCompile(`\bs\.T\(c, "([^"]+)"\s*[,)]`),
		regexp.MustCompile(`\btranslate\(loc, "([^"]+)"\s*[,)]`),
	}
	flashCall := regexp.MustCompile(`\bs\.flash\(c, "([^"]+)"\)`)
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	flashes := 0
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range goCalls {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				msgs.has(t, m[1], "server/"+name)
			}
		}
		for _, m := range flashCall.FindAllStringSubmatch(string(b), -1) {
			msgs.has(t, "flash."+m[1], "s.flash in server/"+name)
			flashes++
		}
	}
	if flashes == 0 {
		t.Error("found no s.flash(c, \"key\") calls in package server: has the pattern changed?")
	}

	// Keys built at run time, which no scan can find.
	for _, rule := range []string{
		participation.RuleRequired, participation.RuleMinLength, participation.RuleMaxLength,
		participation.RuleFormat, participation.RuleChoice, participation.RuleTaken, participation.RuleMismatch,
	} {
		msgs.has(t, "rule."+rule, "fieldError")
	}
	// formError's form-level errors.
	for _, code := range []string{participation.EUNAUTHENTICATED, participation.ERATELIMITED, participation.ECLOSED, participation.ECONFLICT} {
		msgs.has(t, "rule.error."+code, "formError's _form error")
	}
	for code := range statusOf {
		msgs.has(t, "error.title."+code, "error page")
		msgs.has(t, "error.text."+code, "error page")
	}
	for _, kind := range []string{participation.StepIdeaRound, participation.StepWorkshop, participation.StepSurvey, participation.StepStatementRequest} {
		msgs.has(t, "step.kind."+kind, "process timeline")
	}
	for _, status := range []string{participation.StatusUpcoming, participation.StatusOpen, participation.StatusClosed} {
		msgs.has(t, "step.status."+status, "process timeline")
	}
	for _, role := range participation.Roles {
		msgs.has(t, "role."+role, "account and admin pages")
	}
	pageFiles, err := fs.Glob(frontend.Templates, "*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range pageFiles {
		if page := strings.TrimSuffix(file, ".html"); page != "layout" {
			msgs.has(t, "meta."+page, "describe, the generic description of "+file)
		}
	}
}

// TestI18nRenderEveryPage renders every page in every language, signed out
// and signed in as an admin, with and without form errors, and checks the
// HTML for untranslated keys and for the rules every page keeps.
func TestI18nRenderEveryPage(t *testing.T) {
	t.Parallel()
	r, err := newRenderer()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	later := now.Add(30 * 24 * time.Hour)
	municipality := "Tampere"
	process := &participation.Process{
		ID: 1, Slug: "avoin-hallinto", Title: "Avoimen hallinnon toimintaohjelma",
		Description: "Ensimmäinen kappale.\n\nToinen kappale.", CreatedAt: now,
		Steps: []participation.Step{
			{Kind: participation.StepIdeaRound, ID: 1, Title: "Ideat", OpensAt: &now, ClosesAt: &later, Status: participation.StatusOpen},
			{Kind: participation.StepWorkshop, ID: 2, Title: "Työpaja", OpensAt: &later, Status: participation.StatusUpcoming},
			{Kind: participation.StepSurvey, ID: 3, Title: "Kysely", ClosesAt: &now, Status: participation.StatusUpcoming},
			{Kind: participation.StepStatementRequest, ID: 4, Title: "Lausunnot", Status: participation.StatusClosed},
		},
		Stats: &participation.Stats{Participants: 60, Ideas: 120, Statements: 46},
	}
	bare := &participation.Process{ID: 2, Slug: "tyhja", Title: "Tyhjä", CreatedAt: now, Steps: []participation.Step{}, Stats: &participation.Stats{}}
	admin := &participation.Account{ID: 1, Email: "a@example.fi", Name: "Maija Meikäläinen", Municipality: &municipality,
		Roles: []string{participation.RoleCitizen, participation.RoleOfficial, participation.RoleAdmin}}
	erased := &participation.Account{ID: 2, Roles: []string{participation.RoleCitizen}}

	pages := map[string][]any{
		"home": {
			frontPageData{Pager: Pager{Limit: 20}},
			frontPageData{Open: []*participation.Process{process}, Other: []*participation.Process{bare}, Pager: Pager{Total: 45, Limit: 20, Offset: 20}},
		},
		"process":     {process, bare},
		"process_new": {nil},
		"register":    {nil, &registerData{SentTo: "a@example.fi"}},
		"login":       {nil},
		"account": {nil, &accountData{Languages: participation.MessageLanguages},
			&accountData{Settings: &participation.MessageSettings{Lang: "sv", EmailNotifications: true}, Languages: participation.MessageLanguages}},
		"admin_accounts": {adminAccountsData{Roles: participation.Roles[1:]}, adminAccountsData{Accounts: []*participation.Account{admin, erased}, Roles: participation.Roles[1:], Query: "maija", Pager: Pager{Total: 2, Limit: 50}}},
		"error":          {},
		"accessibility":  {nil},
		"privacy":        {privacyData{TokenRetentionDays: 30}, privacyData{TokenRetentionDays: 1}},
	}
	for code := range statusOf {
		pages["error"] = append(pages["error"], fiber.Map{"Code": code})
	}
	formErrors := map[string]participation.FieldErrors{
		"process_new": {"slug": {Rule: participation.RuleTaken}, "title": {Rule: participation.RuleMaxLength, Limit: 200}, "description": {Rule: participation.RuleRequired},
			"language": {Rule: participation.RuleChoice}, "tr_sv_title": {Rule: participation.RuleMaxLength, Limit: 200}, "tr_en": {Rule: participation.RuleChoice}},
		"register": {"email": {Rule: participation.RuleFormat}, "name": {Rule: participation.RuleRequired}, "municipality": {Rule: participation.RuleMaxLength, Limit: 100},
			"password": {Rule: participation.RuleMinLength, Limit: 10}, "password_again": {Rule: participation.RuleMismatch}},
		"login": {"_form": {Rule: "error." + participation.EUNAUTHENTICATED}},
		"account": {"confirm": {Rule: participation.RuleRequired}, "name": {Rule: participation.RuleRequired}, "email": {Rule: participation.RuleTaken},
			"current_password": {Rule: participation.RuleWrongPassword}, "new_password": {Rule: participation.RuleCommonPassword},
			"new_password_again": {Rule: participation.RuleMismatch}},
	}
	processRenderCases(pages, formErrors, now)
	ideaRenderCases(pages, formErrors, now, process)
	moderationRenderCases(pages, formErrors, now)
	maps.Copy(pages, commitmentRenderCases(now))
	maps.Copy(formErrors, commitmentFormErrors())
	maps.Copy(pages, workshopRenderCases(now))
	maps.Copy(formErrors, workshopFormErrors())
	maps.Copy(pages, proposalRenderCases(now))
	maps.Copy(formErrors, proposalFormErrors())
	maps.Copy(pages, outboxRenderCases(now))
	statementRenderCases(pages, formErrors, now)
	maps.Copy(pages, surveyRenderCases(now))
	maps.Copy(formErrors, surveyFormErrors())
	accountRenderCases(pages, formErrors)
	newsletterRenderCases(pages, formErrors)
	eventRenderCases(pages, formErrors, now)
	pages["api_guide"] = apiGuideRenderCases()
	statisticsRenderCases(pages)
	reachRenderCases(pages, process, bare, now)
	for _, lang := range frontend.Languages {
		for page := range r.pages[lang] {
			if _, ok := pages[page]; !ok {
				t.Errorf("page %s has no render case in this test", page)
			}
		}
	}

	for page, datas := range pages {
		for _, lang := range frontend.Languages {
			tmpl, ok := r.pages[lang][page]
			if !ok {
				t.Errorf("no template %s.html", page)
				continue
			}
			for i, data := range datas {
				for _, acc := range []*participation.Account{nil, admin} {
					for _, errs := range []participation.FieldErrors{nil, formErrors[page]} {
						if page == "account" && acc == nil && errs != nil {
							continue // the account page's form is for a signed-in account
						}
						if _, sent := data.(*registerData); sent && errs != nil {
							continue // the registration page once sent has no form
						}
						if errs != nil && withoutForm(data) {
							continue
						}
						v := &View{
							Lang: lang, Page: page, Langs: frontend.Languages, Path: "/" + page, Query: url.Values{"q": {"x"}},
							Account: acc, Manages: acc != nil, CSRF: "token", Form: map[string]string{"email": "a@example.fi", "next": "/account"},
							Errors: errs, Status: 200, Data: data,
						}
						if acc != nil {
							v.Flash = "flash.signed_in"
						}
						name := fmt.Sprintf("%s/%s/%d/account=%v/errors=%d", page, lang, i, acc != nil, len(errs))
						var buf bytes.Buffer
						if err := tmpl.Execute(&buf, v); err != nil {
							t.Errorf("%s: %v", name, err)
							continue
						}
						checkPage(t, name, buf.String(), errs)
					}
				}
			}
		}
	}
}

var (
	untranslated    = regexp.MustCompile(`\[[a-z_]+(\.[a-z_]+)+\]`)
	idAttr          = regexp.MustCompile(`\sid="([^"]+)"`)
	labelFor        = regexp.MustCompile(`<label for="([^"]+)"`)
	inputTag        = regexp.MustCompile(`<(input|textarea|select)\b[^>]*>`)
	postForm        = regexp.MustCompile(`(?s)<form method="post"(.*?)</form>`)
	describedBy     = regexp.MustCompile(`aria-describedby="([^"]+)"`)
	metaDescription = regexp.MustCompile(`<meta name="description" content="([^"]*)">`)
	moduleScript    = regexp.MustCompile(`<script type="module" src="/static/js/[a-z0-9_-]+\.[0-9a-f]{8}\.js"></script>`)
)

// checkPage checks the rules every page keeps: translated, one h1, the
// landmarks, unique ids, a label for every field, CSRF in every POST form,
// aria-describedby pointing at ids that exist, no inline script or style.
func checkPage(t *testing.T, name, html string, errs participation.FieldErrors) {
	t.Helper()
	for _, bad := range []string{"<no value>", "%!", "ZgotmplZ"} {
		if strings.Contains(html, bad) {
			t.Errorf("%s: output contains %q", name, bad)
		}
	}
	if m := untranslated.FindString(html); m != "" {
		t.Errorf("%s: untranslated key %s", name, m)
	}
	if m := metaDescription.FindAllStringSubmatch(html, -1); len(m) != 1 || strings.TrimSpace(m[0][1]) == "" {
		t.Errorf("%s: want one non-empty <meta name=\"description\">, got %q", name, m)
	} else if n := len([]rune(stdhtml.UnescapeString(m[0][1]))); n > metaDescriptionLen+1 { // +1: excerpt's ellipsis
		t.Errorf("%s: a meta description of %d characters: %s", name, n, m[0][1])
	}
	if n := strings.Count(html, "<h1"); n != 1 {
		t.Errorf("%s: %d <h1> elements, want 1", name, n)
	}
	for _, want := range []string{`<html lang="`, `<main id="main"`, `<header`, `<footer`, `href="#main"`, `<title>`} {
		if !strings.Contains(html, want) {
			t.Errorf("%s: no %s", name, want)
		}
	}
	// Scripts only as files: small ES modules from /static/js/.
	if n := strings.Count(html, "<script"); n != len(moduleScript.FindAllString(html, -1)) {
		t.Errorf("%s: a <script> that is not <script type=\"module\" src=\"/static/js/…\"></script>", name)
	}
	for _, bad := range []string{"<style", " style=", " onclick=", "http://"} {
		if strings.Contains(html, bad) {
			t.Errorf("%s: contains %q", name, bad)
		}
	}
	ids := map[string]bool{}
	for _, m := range idAttr.FindAllStringSubmatch(html, -1) {
		if ids[m[1]] {
			t.Errorf("%s: duplicate id %q", name, m[1])
		}
		ids[m[1]] = true
	}
	labels := map[string]bool{}
	for _, m := range labelFor.FindAllStringSubmatch(html, -1) {
		labels[m[1]] = true
		if !ids[m[1]] {
			t.Errorf("%s: <label for=%q> names no element", name, m[1])
		}
	}
	for _, tag := range inputTag.FindAllString(html, -1) {
		if strings.Contains(tag, `type="hidden"`) || strings.Contains(tag, `type="submit"`) {
			continue
		}
		m := idAttr.FindStringSubmatch(tag)
		if m == nil || !labels[m[1]] {
			t.Errorf("%s: field without a <label for>: %s", name, tag)
		}
	}
	for _, m := range describedBy.FindAllStringSubmatch(html, -1) {
		for _, id := range strings.Fields(m[1]) {
			if !ids[id] {
				t.Errorf("%s: aria-describedby names missing id %q", name, id)
			}
		}
	}
	for _, m := range postForm.FindAllStringSubmatch(html, -1) {
		if !strings.Contains(m[1], `name="_csrf" value="token"`) {
			t.Errorf("%s: POST form without the _csrf field: %.80s", name, m[0])
		}
	}
	for field := range errs {
		if field == "_form" {
			continue
		}
		if !strings.Contains(html, `id="`+field+`-error"`) {
			t.Errorf("%s: no error text for field %s", name, field)
		}
		if !regexp.MustCompile(`id="` + regexp.QuoteMeta(field) + `"[^>]*aria-invalid="true"`).MatchString(html) {
			t.Errorf("%s: field %s not marked aria-invalid", name, field)
		}
	}
	if len(errs) > 0 && !strings.Contains(html, `class="error-summary"`) {
		t.Errorf("%s: errors but no error summary", name)
	}
}
