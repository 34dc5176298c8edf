package participation

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestTranslatableIn(t *testing.T) {
	tr := Translatable{Language: "fi", Translations: Translations{"sv": {"title": "Öppen förvaltning"}}}
	cases := []struct {
		lang, want, wantLang string
	}{
		{"fi", "Avoin hallinto", "fi"},
		{"sv", "Öppen förvaltning", "sv"},
		{"en", "Avoin hallinto", "fi"}, // no English: the own text, marked Finnish
	}
	for _, c := range cases {
		got := tr.In(c.lang, "title", "Avoin hallinto")
		if got.Text != c.want || got.Lang != c.wantLang {
			t.Errorf("In(%s) = %+v, want %s (%s)", c.lang, got, c.want, c.wantLang)
		}
	}
	if got := (Translatable{}).In("sv", "title", "x"); got.Lang != "fi" {
		t.Errorf("an object without a language is Finnish, got %q", got.Lang)
	}
}

func TestTranslationInputCheck(t *testing.T) {
	sv, xx := "sv", "de"
	maxLen := map[string]int{"title": 10}
	cases := []struct {
		name   string
		in     TranslationInput
		fields []string
		want   Translatable
	}{
		{"default Finnish", TranslationInput{}, nil, Translatable{Language: "fi"}},
		{"Swedish own text, English translation", TranslationInput{Language: &sv, Translations: Translations{"en": {"title": " Open "}}},
			nil, Translatable{Language: "sv", Translations: Translations{"en": {"title": "Open"}}}},
		{"empty texts dropped", TranslationInput{Translations: Translations{"sv": {"title": "  "}}}, nil, Translatable{Language: "fi"}},
		{"unknown language", TranslationInput{Language: &xx}, []string{"language"}, Translatable{Language: "de"}},
		{"translation into the own language", TranslationInput{Translations: Translations{"fi": {"title": "x"}}}, []string{"translations.fi"}, Translatable{Language: "fi"}},
		{"unknown field", TranslationInput{Translations: Translations{"sv": {"body": "x"}}}, []string{"translations.sv.body"}, Translatable{Language: "fi"}},
		{"too long", TranslationInput{Translations: Translations{"en": {"title": "abcdefghijk"}}}, []string{"translations.en.title"},
			Translatable{Language: "fi", Translations: Translations{"en": {"title": "abcdefghijk"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := FieldErrors{}
			got := c.in.Check(f, maxLen)
			if len(f) != len(c.fields) {
				t.Errorf("field errors %v, want %v", f, c.fields)
			}
			for _, name := range c.fields {
				if _, ok := f[name]; !ok {
					t.Errorf("no error for %s in %v", name, f)
				}
			}
			gb, _ := json.Marshal(got)
			wb, _ := json.Marshal(c.want)
			if string(gb) != string(wb) {
				t.Errorf("got %s, want %s", gb, wb)
			}
		})
	}
}

func TestTranslationsJSON(t *testing.T) {
	b, _ := json.Marshal(Translatable{Language: "fi"})
	if string(b) != `{"language":"fi","translations":{}}` {
		t.Errorf("no translations marshal as %s", b)
	}
	var tr Translations
	if err := tr.Scan([]byte(`{"sv":{"title":"x"}}`)); err != nil || tr["sv"]["title"] != "x" {
		t.Errorf("Scan: %v %v", tr, err)
	}
}

func TestTranslationsHelpers(t *testing.T) {
	var tr Translations
	tr.Set("sv", "title", "Öppen")
	tr.Set("en", "title", "Open")
	tr.Set("en", "description", "Text")
	c := tr.Clone()
	c.Set("sv", "title", "")
	if tr.Get("sv", "title") != "Öppen" || c.Get("sv", "title") != "" || len(c) != 1 {
		t.Errorf("Clone shares with the original: %v %v", tr, c)
	}
	if !(Translations{}).Equal(nil) || !(Translations{"sv": {}}).Equal(nil) || tr.Equal(c) {
		t.Error("Equal: no translations equal an empty set, different texts differ")
	}
	got := tr.Lines("x ", []string{"title"})
	want := []string{"sv x title: Öppen", "en x title: Open", "en x description: Text"}
	if !slices.Equal(got, want) {
		t.Errorf("Lines %q, want %q", got, want)
	}
	var back Translations
	if v, err := tr.Value(); err != nil || back.Scan(v) != nil || !back.Equal(tr) {
		t.Errorf("Value and Scan: %v %v", v, err)
	}
	if v, _ := Translations(nil).Value(); v != "{}" {
		t.Errorf("no translations store as %v", v)
	}
	if back.Scan([]byte("{}")); back != nil {
		t.Errorf("{} scans as %v, want none", back)
	}
}

func TestTranslationInvisibleText(t *testing.T) {
	f := FieldErrors{}
	got := TranslationInput{Translations: Translations{"sv": {"title": "\u200b\u202e"}}}.Check(f, map[string]int{"title": 10})
	if len(f) != 0 || got.Translations != nil {
		t.Errorf("a translation that shows nothing is no translation: %v %v", got, f)
	}
}

func TestTranslationCheckIn(t *testing.T) {
	f := FieldErrors{}
	got := TranslationInput{Translations: Translations{"sv": {"label": "x"}, "fi": {"label": "Joo"}, "en": {"label": "Yes", "x": "y"}}}.
		CheckIn(f, "options[1].", "sv", map[string]int{"label": 5})
	if got.Language != "sv" || got.Translations.Get("en", "label") != "Yes" || got.Translations.Get("fi", "label") != "Joo" {
		t.Errorf("a part is in the whole's language: %+v", got)
	}
	checkFields(t, "prefixed", f.Err(), []string{"options[1].translations.sv", "options[1].translations.en.x"})
}
