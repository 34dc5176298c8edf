// Package worddiff compares two texts word by word, for showing what a new
// version of a text changed. It knows nothing of what the texts are.
package worddiff

import (
	"strings"
	"unicode"
)

// Operations of a run.
const (
	Equal  = "equal"
	Insert = "insert"
	Delete = "delete"
)

// Op is one run of a word diff: text that both have, that the new text
// adds, or that it removes. A run's text keeps the white space after each of
// its words (of the new text where both have them), so that the runs of the
// new text, put together, are the new text.
type Op struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// cellsMax bounds the LCS table (words of a × words of b, after the
// common start and end are taken off). Beyond it the differing middle is
// shown as removed and added whole rather than word by word.
const cellsMax = 4 << 20

// Diff compares two texts word by word with a longest common
// subsequence over their words (white space separates words and does not
// count as a difference), and returns equal, delete and insert runs. In each
// changed stretch the deletions come before the insertions.
func Diff(a, b string) []Op {
	ta, tb := tokens(a), tokens(b)
	// The common start and end need no table.
	pre := 0
	for pre < len(ta) && pre < len(tb) && ta[pre].word == tb[pre].word {
		pre++
	}
	suf := 0
	for suf < len(ta)-pre && suf < len(tb)-pre && ta[len(ta)-1-suf].word == tb[len(tb)-1-suf].word {
		suf++
	}
	type step struct {
		op   string
		text string
	}
	var steps []step
	for _, t := range tb[:pre] {
		steps = append(steps, step{Equal, t.text})
	}
	ma, mb := ta[pre:len(ta)-suf], tb[pre:len(tb)-suf]
	n, m := len(ma), len(mb)
	if n*m > cellsMax {
		for _, t := range ma {
			steps = append(steps, step{Delete, t.text})
		}
		for _, t := range mb {
			steps = append(steps, step{Insert, t.text})
		}
	} else {
		// lcs[i*(m+1)+j] is the LCS length of ma[i:] and mb[j:].
		lcs := make([]int32, (n+1)*(m+1))
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if ma[i].word == mb[j].word {
					lcs[i*(m+1)+j] = lcs[(i+1)*(m+1)+j+1] + 1
				} else {
					lcs[i*(m+1)+j] = max(lcs[(i+1)*(m+1)+j], lcs[i*(m+1)+j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && ma[i].word == mb[j].word:
				steps = append(steps, step{Equal, mb[j].text})
				i++
				j++
			case j == m || (i < n && lcs[(i+1)*(m+1)+j] >= lcs[i*(m+1)+j+1]):
				steps = append(steps, step{Delete, ma[i].text})
				i++
			default:
				steps = append(steps, step{Insert, mb[j].text})
				j++
			}
		}
	}
	for _, t := range tb[len(tb)-suf:] {
		steps = append(steps, step{Equal, t.text})
	}

	// Runs: equal text as it comes; each changed stretch as its deletions,
	// then its insertions.
	var out []Op
	emit := func(op, text string) {
		if text == "" {
			return
		}
		if k := len(out) - 1; k >= 0 && out[k].Op == op {
			out[k].Text += text
			return
		}
		out = append(out, Op{Op: op, Text: text})
	}
	var del, ins strings.Builder
	flush := func() {
		emit(Delete, del.String())
		emit(Insert, ins.String())
		del.Reset()
		ins.Reset()
	}
	for _, s := range steps {
		switch s.op {
		case Equal:
			flush()
			emit(Equal, s.text)
		case Delete:
			del.WriteString(s.text)
		case Insert:
			ins.WriteString(s.text)
		}
	}
	flush()
	return out
}

// token is a word with the white space after it; the text's leading
// white space is a token with an empty word.
type token struct {
	word string
	text string
}

// tokens splits s into its words, each with the white space after it.
func tokens(s string) []token {
	var out []token
	start := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsSpace(r) })
	if start < 0 {
		if s != "" {
			out = append(out, token{text: s})
		}
		return out
	}
	if start > 0 {
		out = append(out, token{text: s[:start]})
	}
	rest := s[start:]
	for rest != "" {
		end := strings.IndexFunc(rest, unicode.IsSpace)
		if end < 0 {
			out = append(out, token{word: rest, text: rest})
			break
		}
		next := strings.IndexFunc(rest[end:], func(r rune) bool { return !unicode.IsSpace(r) })
		if next < 0 {
			out = append(out, token{word: rest[:end], text: rest})
			break
		}
		out = append(out, token{word: rest[:end], text: rest[:end+next]})
		rest = rest[end+next:]
	}
	return out
}
