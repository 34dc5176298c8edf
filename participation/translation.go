package participation

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
	"slices"
	"strings"
)

// Translations are an organiser's text in other languages: language →
// field → text, with the same field names as the object's own JSON text
// fields, e.g. {"sv": {"title": "..."}, "en": {"title": "..."}}. Citizens'
// own texts are never translated: they stay in the language they wrote.
type Translations map[string]map[string]string

// MarshalJSON writes {} for no translations: the API always carries the field.
func (t Translations) MarshalJSON() ([]byte, error) {
	if t == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(map[string]map[string]string(t))
}

// Value stores translations as jsonb.
func (t Translations) Value() (driver.Value, error) { return t.MarshalJSON() }

// Scan reads translations stored as jsonb.
func (t *Translations) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		*t = nil
		return nil
	case []byte:
		b = v
	case string:
		b = []byte(v)
	default:
		return errors.New("translations: not jsonb")
	}
	var m map[string]map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*t = m
	return nil
}

// Translatable is embedded in every object whose texts an organiser writes:
// the language of its own text fields and their translations.
type Translatable struct {
	// Language is the language of the object's own text fields.
	Language string `json:"language" db:"language"`
	// Translations hold the same fields in the other languages.
	Translations Translations `json:"translations" db:"translations"`
}

// LocalText is a text chosen for a reader, with the language it is in (for
// the page's lang attribute).
type LocalText struct {
	Text string
	Lang string
}

// In returns field in lang where a translation exists, else own, the text in
// the object's own language.
func (t Translatable) In(lang, field, own string) LocalText {
	if s := t.Translations[lang][field]; s != "" && lang != t.Language {
		return LocalText{Text: s, Lang: lang}
	}
	return LocalText{Text: own, Lang: t.OwnLanguage()}
}

// OwnLanguage is Language, or Finnish for objects written before languages
// were recorded.
func (t Translatable) OwnLanguage() string {
	if t.Language == "" {
		return "fi"
	}
	return t.Language
}

// TranslationInput is what a create or update request gives: the language of
// its own fields (Finnish unless given) and translations of them.
type TranslationInput struct {
	Language     *string      `json:"language"`
	Translations Translations `json:"translations"`
}

// Check normalises in and records bad input in f: the language must be one
// of ContentLanguages; translations may name only the other content
// languages and only the fields in maxLen (field → longest length), each
// within its length. Empty texts are dropped. It returns the Translatable to
// store.
func (in TranslationInput) Check(f FieldErrors, maxLen map[string]int) Translatable {
	out := Translatable{Language: "fi"}
	if in.Language != nil {
		out.Language = strings.TrimSpace(*in.Language)
		if !slices.Contains(ContentLanguages, out.Language) {
			f.Add("language", RuleChoice, 0)
		}
	}
	out.Translations = CheckTranslations(f, in.Translations, out.Language, maxLen)
	return out
}

// CheckTranslations is Check's rule for translations alone, for updates that
// replace them without restating the language.
func CheckTranslations(f FieldErrors, t Translations, own string, maxLen map[string]int) Translations {
	out := Translations{}
	for lang, fields := range t {
		if !slices.Contains(ContentLanguages, lang) || lang == own {
			f.Add("translations."+lang, RuleChoice, 0)
			continue
		}
		for field, text := range fields {
			name := "translations." + lang + "." + field
			max, ok := maxLen[field]
			if !ok {
				f.Add(name, RuleChoice, 0)
				continue
			}
			text = strings.TrimSpace(text)
			if text == "" {
				continue
			}
			f.Text(name, text, 0, max)
			if out[lang] == nil {
				out[lang] = map[string]string{}
			}
			out[lang][field] = text
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
