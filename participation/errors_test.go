package participation

import (
	"slices"
	"testing"
)

// ptrTo returns a pointer to a copy of v, for optional fields.
func ptrTo[T any](v T) *T { return &v }

// checkFields fails unless err is EINVALID for exactly fields (or nil for none).
func checkFields(t *testing.T, name string, err error, fields []string) {
	t.Helper()
	if len(fields) == 0 {
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		return
	}
	e, ok := err.(*Error)
	if !ok || e.Code != EINVALID {
		t.Errorf("%s: error %v, want invalid", name, err)
		return
	}
	var got []string
	for f := range e.Fields {
		got = append(got, f)
	}
	slices.Sort(got)
	want := slices.Clone(fields)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s: fields %v, want %v", name, got, want)
	}
}
