package participation

import "testing"

func TestOpenDataFilesDocumented(t *testing.T) {
	files := map[string]bool{}
	for _, f := range OpenDataFiles {
		if files[f.Name] || f.Description == "" {
			t.Errorf("%s: named twice or without a description", f.Name)
		}
		files[f.Name] = true
		m := f.Manifest()
		seen := map[string]bool{}
		for _, c := range m.Columns {
			if seen[c.Name] || c.Description == "" || c.Translated {
				t.Errorf("%s: column %q named twice, undescribed or not spread over the languages", f.Name, c.Name)
			}
			seen[c.Name] = true
		}
		if h := f.Header(); len(h) != len(m.Columns) {
			t.Errorf("%s: header %v, manifest %v", f.Name, h, m.Columns)
		}
	}
	if got := (OpenDataFile{Columns: []OpenDataColumn{tr("title", "Title")}}).Header(); len(got) != 3 || got[0] != "title_fi" || got[2] != "title_en" {
		t.Errorf("a translated column's header %v", got)
	}
}
