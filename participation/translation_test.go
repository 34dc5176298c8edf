package participation

import (
	"encoding/json"
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
