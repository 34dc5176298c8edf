package server

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// The forms' side of organisers' texts in several languages (API.md,
// "Conventions"). A form has a select of its text's own language
// ("language", Finnish by default) and, for each other language, a field
// per text field named tr_<lang>_<field> (tr_sv_title), in a fieldset of
// its own with the id tr_<lang>. The API's error names are the form's:
// translations.sv.title is tr_sv_title, translations.sv (a translation into
// the text's own language) tr_sv.

// translationField is one text field of a form that takes translations.
type translationField struct {
	Name  string // the API's field name: title, description, ...
	Label string // the translation key of its label
	Type  string // "" for a line of text, or "textarea"
	Max   int
	Rows  int
	Help  string // the translation key of a help text, or ""
}

// translationFields are the translated fields of each form, by the kind
// of its object, with the lengths the domain allows.
var translationFields = map[string][]translationField{
	"process": {
		{Name: "title", Label: "field.title", Max: participation.ProcessTextMax["title"]},
		{Name: "description", Label: "field.description", Type: "textarea", Rows: 6, Max: participation.ProcessTextMax["description"]},
	},
	"idea_round": {
		{Name: "title", Label: "field.title", Max: participation.IdeaRoundTextMax["title"]},
		{Name: "description", Label: "field.description", Type: "textarea", Rows: 5, Max: participation.IdeaRoundTextMax["description"]},
	},
	"theme": {
		{Name: "title", Label: "field.title", Max: participation.ThemeTextMax["title"]},
		{Name: "description", Label: "field.description", Type: "textarea", Rows: 3, Max: participation.ThemeTextMax["description"]},
	},
	"event": {
		{Name: "title", Label: "field.title", Max: participation.EventTitleMax},
		{Name: "description", Label: "field.description", Type: "textarea", Rows: 5, Max: participation.EventDescriptionMax},
	},
	"workshop": {
		{Name: "title", Label: "field.title", Max: participation.WorkshopTextMax["title"]},
	},
	"poll": {
		{Name: "question", Label: "field.question", Max: participation.QuestionMax},
		// The options' translations, one per line in the order of the options.
		{Name: "options", Label: "field.options", Type: "textarea", Rows: 4, Help: "translations.options_help"},
	},
	"commitment": {
		{Name: "title", Label: "field.title", Max: participation.CommitmentTitleMax},
		{Name: "problem", Label: "field.problem", Type: "textarea", Rows: 4, Max: participation.CommitmentTextMax},
		{Name: "description", Label: "field.description", Type: "textarea", Rows: 4, Max: participation.CommitmentTextMax},
		{Name: "how_it_addresses", Label: "field.how_it_addresses", Type: "textarea", Rows: 3, Max: participation.CommitmentTextMax},
		{Name: "relevance", Label: "field.relevance", Type: "textarea", Rows: 3, Max: participation.CommitmentTextMax},
		{Name: "lead_agency", Label: "field.lead_agency", Max: participation.ActorsMax},
		{Name: "other_actors", Label: "field.other_actors", Max: participation.ActorsMax},
	},
	// A milestone's status report: its note.
	"milestone_note": {
		{Name: "note", Label: "field.milestone_note", Type: "textarea", Rows: 4, Max: participation.MilestoneNoteTextMax["note"]},
	},
}

// milestoneTranslationFields are the translated fields of a milestone row.
var milestoneTranslationFields = []string{"title", "responsible"}

// languageNames are the content languages' names in themselves, as the
// language select and the translations' fieldsets say them.
var languageNames = map[string]string{"fi": "Suomi", "sv": "Svenska", "en": "English"}

// languageOptions are the choices of a form's language select.
func languageOptions() []selectOption {
	out := make([]selectOption, len(participation.ContentLanguages))
	for i, l := range participation.ContentLanguages {
		out[i] = selectOption{Value: l, Label: languageNames[l], Lang: l}
	}
	return out
}

// trName is the form's name of field's translation into lang.
func trName(lang, field string) string { return "tr_" + lang + "_" + field }

// readTranslations reads a form's language select and its translation
// fields of kind's fields into form (to show again) and returns them as
// the API takes them. An empty select is Finnish.
func readTranslations(c *fiber.Ctx, form map[string]string, kind string) participation.TranslationInput {
	in := participation.TranslationInput{}
	form["language"] = strings.TrimSpace(copyString(c.FormValue("language")))
	if form["language"] != "" {
		lang := form["language"]
		in.Language = &lang
	}
	for _, lang := range participation.ContentLanguages {
		for _, f := range translationFields[kind] {
			if f.Name == "options" {
				continue // line by line: pollOptionTranslations
			}
			name := trName(lang, f.Name)
			form[name] = strings.TrimSpace(copyString(c.FormValue(name)))
			in.Translations.Set(lang, f.Name, form[name])
		}
	}
	return in
}

// formTranslations puts the language and translations of an object in a
// form's values, for its edit form.
func formTranslations(form map[string]string, t participation.Translatable, kind string) {
	form["language"] = t.OwnLanguage()
	for _, lang := range participation.ContentLanguages {
		for _, f := range translationFields[kind] {
			if v := t.Translations.Get(lang, f.Name); v != "" {
				form[trName(lang, f.Name)] = v
			}
		}
	}
}

// translationLanguages are the languages a form offers translations into:
// every one but the text's own (the form's language, Finnish by default),
// and the own one too when the form holds text or an error for it, so that
// nothing typed is lost when the language changes.
func translationLanguages(v *View) []string {
	own := v.Form["language"]
	if own == "" {
		own = participation.ContentLanguages[0]
	}
	var out []string
	for _, lang := range participation.ContentLanguages {
		if lang != own || hasTranslationInput(v, lang) {
			out = append(out, lang)
		}
	}
	return out
}

// hasTranslationInput reports whether the form holds a translation into
// lang or an error of one: its fieldset is then shown open.
func hasTranslationInput(v *View, lang string) bool {
	for k, val := range v.Form {
		if val != "" && strings.Contains(k, "tr_"+lang+"_") {
			return true
		}
	}
	for k := range v.Errors {
		if k == "tr_"+lang || strings.HasPrefix(k, "tr_"+lang+"_") {
			return true
		}
	}
	return false
}

// milestoneTranslationsOpen reports whether the milestone row n of the
// commitment form holds a translation: its translations are shown open.
func milestoneTranslationsOpen(v *View, n int) bool {
	suffix := "_" + strconv.Itoa(n)
	for _, lang := range participation.ContentLanguages {
		for _, f := range milestoneTranslationFields {
			if v.Form["milestone_tr_"+lang+"_"+f+suffix] != "" {
				return true
			}
		}
	}
	return false
}

// readMilestoneTranslations reads the translations of the milestone row
// with suffix ("_1") into form and returns them, with the row's language
// (kept in a hidden field for an existing milestone; else the
// commitment's).
func readMilestoneTranslations(c *fiber.Ctx, form map[string]string, suffix string) participation.TranslationInput {
	in := participation.TranslationInput{}
	name := "milestone_language" + suffix
	if form[name] = strings.TrimSpace(copyString(c.FormValue(name))); form[name] != "" {
		lang := form[name]
		in.Language = &lang
	}
	for _, lang := range participation.ContentLanguages {
		for _, f := range milestoneTranslationFields {
			name := "milestone_tr_" + lang + "_" + f + suffix
			form[name] = strings.TrimSpace(copyString(c.FormValue(name)))
			in.Translations.Set(lang, f, form[name])
		}
	}
	return in
}

// pollOptionTranslations reads the poll form's translations of the options,
// one per line in the order of the options (an empty line for an option
// without one), into the options. More lines than options is the field's
// error.
func pollOptionTranslations(c *fiber.Ctx, form map[string]string, options []participation.NewPollOption, errs participation.FieldErrors) {
	for _, lang := range participation.ContentLanguages {
		name := trName(lang, "options")
		form[name] = strings.TrimSpace(copyString(c.FormValue(name)))
		if form[name] == "" {
			continue
		}
		lines := strings.Split(strings.ReplaceAll(form[name], "\r\n", "\n"), "\n")
		if len(lines) > len(options) {
			errs.Add(name, "too_many", len(options))
			continue
		}
		for i, line := range lines {
			options[i].Translations.Set(lang, "label", strings.TrimSpace(line))
		}
	}
}

// translationErrorName is the form's name of an API error about a
// translation (translations.sv.title → tr_sv_title, translations.sv →
// tr_sv), or "" for another field.
func translationErrorName(name string) string {
	rest, ok := strings.CutPrefix(name, "translations.")
	if !ok {
		return ""
	}
	lang, field, _ := strings.Cut(rest, ".")
	if field == "" {
		return "tr_" + lang
	}
	return trName(lang, field)
}

// fieldLabel is the error summary's name of a form field: its label, and
// for a translation the language too.
func fieldLabel(tr func(key string, args ...any) string, field string) string {
	if rest, ok := strings.CutPrefix(field, "tr_"); ok {
		lang, name, _ := strings.Cut(rest, "_")
		if slices.Contains(participation.ContentLanguages, lang) {
			label := tr("field.translations")
			if name != "" {
				label = tr("field." + name)
			}
			return label + " (" + languageNames[lang] + ")"
		}
	}
	if strings.HasPrefix(field, "answer_") { // an answer to an event's question
		return tr("field.answer")
	}
	if row, ok := strings.CutPrefix(field, "prompt_"); ok { // a question of the new event's form
		return tr("event_new.question", "N", row)
	}
	return tr("field." + field)
}
