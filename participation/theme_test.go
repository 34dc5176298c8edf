package participation

import "testing"

func TestThemePatchApply(t *testing.T) {
	theme := &Theme{ID: 1, RoundID: 1, Title: "Avoin data", Translatable: Translatable{Language: "fi", Translations: Translations{"sv": {"title": "Öppna data"}}}}
	title, empty, sv := "Avoin tieto", " ", "sv"
	n, err := (&ThemePatch{Title: &title}).Apply(theme)
	if err != nil || n.Title != title || n.Texts.Translations.Get("sv", "title") != "Öppna data" {
		t.Errorf("rename: %+v %v", n, err)
	}
	if _, err := (&ThemePatch{Title: &empty}).Apply(theme); ErrorCode(err) != EINVALID {
		t.Errorf("an empty title: %v", err)
	}
	if _, err := (&ThemePatch{Language: &sv}).Apply(theme); ErrorCode(err) != EINVALID {
		t.Errorf("own language among the translations: %v", err)
	}
	into := int64(2)
	merged := &Theme{ID: 3, RoundID: 1, Title: "Vanha", MergedInto: &into}
	if _, err := (&ThemePatch{Title: &title}).Apply(merged); ErrorCode(err) != ECONFLICT {
		t.Errorf("a merged theme: %v", err)
	}
}

func TestCheckThemeMerge(t *testing.T) {
	gone := int64(9)
	a := &Theme{ID: 1, RoundID: 1}
	b := &Theme{ID: 2, RoundID: 1}
	other := &Theme{ID: 3, RoundID: 2}
	merged := &Theme{ID: 4, RoundID: 1, MergedInto: &gone}
	for _, tc := range []struct {
		name       string
		from, into *Theme
		code       string
	}{
		{"two themes of a round", a, b, ""},
		{"itself", a, a, ECONFLICT},
		{"a merged one", merged, b, ECONFLICT},
		{"into a merged one", a, merged, ECONFLICT},
		{"another round's", a, other, EINVALID},
		{"merged comes before the round", merged, other, ECONFLICT},
	} {
		if got := ErrorCode(CheckThemeMerge(tc.from, tc.into)); got != tc.code {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.code)
		}
	}
	if err := (&ThemeMerge{}).Validate(); ErrorCode(err) != EINVALID {
		t.Errorf("no into_id: %v", err)
	}
}
