package participation

import (
	"slices"
	"testing"
)

func TestRanks(t *testing.T) {
	for _, tc := range []struct{ in, want []int }{
		{[]int{5, 3, 3, 1}, []int{1, 2, 2, 4}},
		{[]int{1, 3, 3, 5}, []int{4, 2, 2, 1}},
		{[]int{0, 0}, []int{1, 1}},
		{nil, []int{}},
	} {
		if got := Ranks(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Ranks(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
