package participation

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
	"maps"
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
func (t Translations) Value() (driver.Value, error) {
	b, err := t.MarshalJSON()
	// As text: a []byte parameter goes as binary, which jsonb reads otherwise.
	return string(b), err
}

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
	if len(m) == 0 {
		m = nil
	}
	*t = m
	return nil
}

// Get returns the translation of field into lang, or "".
func (t Translations) Get(lang, field string) string { return t[lang][field] }

// Set puts text as the translation of field into lang; an empty text
// removes it (and a language left without texts).
func (t *Translations) Set(lang, field, text string) {
	if text == "" {
		delete((*t)[lang], field)
		if len((*t)[lang]) == 0 {
			delete(*t, lang)
		}
		return
	}
	if *t == nil {
		*t = Translations{}
	}
	if (*t)[lang] == nil {
		(*t)[lang] = map[string]string{}
	}
	(*t)[lang][field] = text
}

// Clone returns a copy that can be changed without changing t.
func (t Translations) Clone() Translations {
	if len(t) == 0 {
		return nil
	}
	out := make(Translations, len(t))
	for lang, fields := range t {
		out[lang] = maps.Clone(fields)
	}
	return out
}

// Equal reports whether t and o hold the same texts (no translations and
// an empty set are the same).
func (t Translations) Equal(o Translations) bool {
	return maps.EqualFunc(t.nonEmpty(), o.nonEmpty(), maps.Equal)
}

// nonEmpty is t without languages that hold no text.
func (t Translations) nonEmpty() Translations {
	out := Translations{}
	for lang, fields := range t {
		if len(fields) > 0 {
			out[lang] = fields
		}
	}
	return out
}

// Lines writes the translations one per line, "sv title: text", languages
// in ContentLanguages order and fields in the order given (the others
// after them, sorted), prefixing each field's name with prefix: for
// comparing versions word by word.
func (t Translations) Lines(prefix string, order []string) []string {
	var lines []string
	for _, lang := range ContentLanguages {
		fields := t[lang]
		names := slices.Sorted(maps.Keys(fields))
		slices.SortStableFunc(names, func(a, b string) int { return rank(order, a) - rank(order, b) })
		for _, name := range names {
			if text := fields[name]; text != "" {
				lines = append(lines, lang+" "+prefix+name+": "+text)
			}
		}
	}
	return lines
}

// rank is the place of s in order, or after every one of them.
func rank(order []string, s string) int {
	if i := slices.Index(order, s); i >= 0 {
		return i
	}
	return len(order)
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

// String is the text, so that a LocalText prints as its text.
func (l LocalText) String() string { return l.Text }

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
	return in.CheckIn(f, "", "fi", maxLen)
}

// CheckIn is Check for a part of a larger text, such as a milestone of a
// commitment: its errors are named after prefix ("milestones[0]."), and
// its language is by default fallback, the whole's.
func (in TranslationInput) CheckIn(f FieldErrors, prefix, fallback string, maxLen map[string]int) Translatable {
	out := Translatable{Language: fallback}
	if in.Language != nil {
		out.Language = strings.TrimSpace(*in.Language)
		if !slices.Contains(ContentLanguages, out.Language) {
			f.Add(prefix+"language", RuleChoice, 0)
		}
	}
	out.Translations = checkTranslations(f, prefix, in.Translations, out.Language, maxLen)
	return out
}

// CheckTranslations is Check's rule for translations alone, for updates that
// replace them without restating the language.
func CheckTranslations(f FieldErrors, t Translations, own string, maxLen map[string]int) Translations {
	return checkTranslations(f, "", t, own, maxLen)
}

func checkTranslations(f FieldErrors, prefix string, t Translations, own string, maxLen map[string]int) Translations {
	out := Translations{}
	for lang, fields := range t {
		if !slices.Contains(ContentLanguages, lang) || lang == own {
			f.Add(prefix+"translations."+lang, RuleChoice, 0)
			continue
		}
		for field, text := range fields {
			name := prefix + "translations." + lang + "." + field
			max, ok := maxLen[field]
			if !ok {
				f.Add(name, RuleChoice, 0)
				continue
			}
			text = strings.TrimSpace(text)
			if !strings.ContainsFunc(text, visible) {
				continue // nothing that shows: no translation
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
