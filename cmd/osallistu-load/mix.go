package main

// The -mixed mode's mix: which kinds of request the simulated people make,
// and how often each.

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// The kinds of request. Reads are page views; writes go through the API.
const (
	kindFront      = "front"
	kindProcess    = "process"
	kindRound      = "round"
	kindRoundDeep  = "round-deep"
	kindIdea       = "idea"
	kindCommitment = "commitment"
	kindStatus     = "status"
	kindReport     = "report"
	kindSearch     = "search"
	kindSendIdea   = "send-idea"
	kindComment    = "comment"
	kindVote       = "vote"
)

// readKinds are the pages of the reads-only pass, in the table's order.
var readKinds = []string{kindFront, kindProcess, kindRound, kindRoundDeep, kindIdea, kindCommitment, kindStatus, kindReport}

// isWrite reports whether a kind writes, so that its share is of the
// database's ceiling rather than the static file's.
func isWrite(kind string) bool {
	return kind == kindSendIdea || kind == kindComment || kind == kindVote
}

// defaultMix is mostly reads, as a consultation's traffic is: one visitor
// in seven or so does something.
const defaultMix = "front=10,process=10,round=12,round-deep=4,idea=14,commitment=8,status=6,report=4,search=6,send-idea=2,comment=4,vote=6"

// mix is a weighted choice of kinds.
type mix struct {
	kinds   []string
	weights []int
	total   int
}

// parseMix reads "kind=weight,..."; every kind must be known, every weight
// a whole number, and one at least above zero.
func parseMix(s string) (*mix, error) {
	known := map[string]bool{kindSearch: true, kindSendIdea: true, kindComment: true, kindVote: true}
	for _, k := range readKinds {
		known[k] = true
	}
	m := &mix{}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(s, ",") {
		kind, w, ok := strings.Cut(strings.TrimSpace(part), "=")
		weight, err := strconv.Atoi(w)
		switch {
		case !ok || err != nil || weight < 0:
			return nil, fmt.Errorf("-mix: %q is not kind=weight", part)
		case !known[kind]:
			return nil, fmt.Errorf("-mix: no kind %q", kind)
		case seen[kind]:
			return nil, fmt.Errorf("-mix: %q twice", kind)
		}
		seen[kind] = true
		if weight > 0 {
			m.kinds = append(m.kinds, kind)
			m.weights = append(m.weights, weight)
			m.total += weight
		}
	}
	if m.total == 0 {
		return nil, fmt.Errorf("-mix: every weight is zero")
	}
	return m, nil
}

// at returns the kind that the number n (0 ≤ n < total) falls on: each
// kind takes as many numbers as its weight.
func (m *mix) at(n int) string {
	for i, w := range m.weights {
		if n < w {
			return m.kinds[i]
		}
		n -= w
	}
	panic("mix: number beyond the total")
}

func (m *mix) pick(rng *rand.Rand) string { return m.at(rng.IntN(m.total)) }
