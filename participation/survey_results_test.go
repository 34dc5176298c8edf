package participation

import (
	"math"
	"testing"
)

func TestMedian(t *testing.T) {
	dist := func(counts ...int) []ValueCount {
		out := make([]ValueCount, len(counts))
		for i, c := range counts {
			out[i] = ValueCount{Value: i + 1, Count: c}
		}
		return out
	}
	for _, tc := range []struct {
		dist         []ValueCount
		median, mean float64
	}{
		{dist(1), 1, 1},
		{dist(1, 0, 0, 0, 1), 3, 3},    // the mean of the middle two: 1 and 5
		{dist(0, 2, 1), 2, 7.0 / 3},    // 2, 2, 3
		{dist(1, 1, 0, 1, 1), 3, 3},    // 1, 2, 4, 5
		{dist(0, 0, 3, 0, 1), 3, 3.5},  // 3, 3, 3, 5
		{dist(5, 0, 0, 0, 6), 5, 3.18}, // eleven values: the sixth is 5
	} {
		m := Median(tc.dist)
		if m == nil || *m != tc.median {
			t.Errorf("median of %v = %v, want %v", tc.dist, m, tc.median)
		}
		if mean := MeanOf(tc.dist); mean == nil || *mean-tc.mean > 0.01 || tc.mean-*mean > 0.01 {
			t.Errorf("mean of %v = %v, want %v", tc.dist, mean, tc.mean)
		}
	}
	if Median(dist(0, 0)) != nil || MeanOf(nil) != nil {
		t.Error("the median of nothing is null")
	}
}

func TestRankItems(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	items := []ItemResult{
		{ItemID: 1, N: 2, MeanX: f(3), MeanY: f(3)},
		{ItemID: 2, N: 0},
		{ItemID: 3, N: 1, MeanX: f(5), MeanY: f(4)},
		{ItemID: 4, N: 3, MeanX: f(2), MeanY: f(4)},
		{ItemID: 5, N: 3, MeanX: f(1), MeanY: f(1)},
	}
	RankItems(items)
	want := map[int64]int{1: 2, 3: 1, 4: 2, 5: 4}
	for _, it := range items {
		switch {
		case it.ItemID == 2 && it.Rank != nil:
			t.Errorf("unrated item ranked %d", *it.Rank)
		case it.ItemID != 2 && (it.Rank == nil || *it.Rank != want[it.ItemID]):
			t.Errorf("item %d ranked %v, want %d", it.ItemID, it.Rank, want[it.ItemID])
		}
	}
}

func TestStandardise(t *testing.T) {
	for _, tc := range []struct{ in, want []float64 }{
		{nil, []float64{}},
		{[]float64{3}, []float64{0}},             // one rating: nothing to compare
		{[]float64{2, 2, 2}, []float64{0, 0, 0}}, // ratings that do not vary
		{[]float64{1, 3}, []float64{-1, 1}},
		{[]float64{1, 2, 3, 4}, []float64{-3 / math.Sqrt(5), -1 / math.Sqrt(5), 1 / math.Sqrt(5), 3 / math.Sqrt(5)}},
	} {
		got := Standardise(tc.in)
		if len(got) != len(tc.want) {
			t.Fatalf("Standardise(%v) = %v", tc.in, got)
		}
		for i := range got {
			if math.Abs(got[i]-tc.want[i]) > 1e-12 {
				t.Errorf("Standardise(%v) = %v, want %v", tc.in, got, tc.want)
			}
		}
	}
}
