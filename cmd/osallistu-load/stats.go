package main

// Counting requests by kind, and the Markdown tables of the -mixed mode.

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// series is what one kind of request gave in a phase.
type series struct {
	times  []time.Duration // of every answered request, errors included
	errors int             // answers outside 2xx and 3xx, and requests with no answer
	first  string          // the first error, to say what went wrong
}

// record adds a request: its time, its status (0 when it got no answer)
// and the error if it had none.
func (s *series) record(d time.Duration, status int, err error) {
	s.times = append(s.times, d)
	if err == nil && status >= 200 && status < 400 {
		return
	}
	s.errors++
	if s.first == "" {
		if err != nil {
			s.first = err.Error()
		} else {
			s.first = fmt.Sprintf("status %d", status)
		}
	}
}

// byKind is the series of each kind of request, kept by one worker, so
// that the workers need no lock; merge joins them after the phase.
type byKind map[string]*series

func (t byKind) record(kind string, d time.Duration, status int, err error) {
	s := t[kind]
	if s == nil {
		s = &series{}
		t[kind] = s
	}
	s.record(d, status, err)
}

func merge(workers []byKind) byKind {
	all := byKind{}
	for _, t := range workers {
		for kind, s := range t {
			m := all[kind]
			if m == nil {
				m = &series{}
				all[kind] = m
			}
			m.times = append(m.times, s.times...)
			m.errors += s.errors
			if m.first == "" {
				m.first = s.first
			}
		}
	}
	return all
}

// summary is a series reduced to the table's numbers.
type summary struct {
	count    int
	perSec   float64
	p50, p99 time.Duration
	errors   int
	first    string
}

func summarise(s *series, took time.Duration) summary {
	times := slices.Clone(s.times)
	slices.Sort(times)
	return summary{
		count: len(times), perSec: float64(len(times)) / took.Seconds(),
		p50: percentile(times, .5), p99: percentile(times, .99), errors: s.errors, first: s.first,
	}
}

// ms formats a time in milliseconds, with the precision a table needs.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	if v < 10 {
		return fmt.Sprintf("%.1f ms", v)
	}
	return fmt.Sprintf("%.0f ms", v)
}

// share formats a throughput as a percentage of a ceiling; no ceiling, no share.
func share(perSec, ceiling float64) string {
	if ceiling <= 0 {
		return "–"
	}
	p := 100 * perSec / ceiling
	if p < 10 {
		return fmt.Sprintf("%.1f %%", p)
	}
	return fmt.Sprintf("%.0f %%", p)
}

// markdownTable writes a GitHub Markdown table, its columns padded for the
// terminal; numbers are right-aligned (header cells starting with "+" are
// numeric: the "+" is dropped).
func markdownTable(header []string, rows [][]string) string {
	right := make([]bool, len(header))
	width := make([]int, len(header))
	head := make([]string, len(header))
	for i, h := range header {
		head[i], right[i] = strings.CutPrefix(h, "+")
		width[i] = max(3, len([]rune(head[i])))
	}
	for _, r := range rows {
		for i, cell := range r {
			width[i] = max(width[i], len([]rune(cell)))
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		b.WriteString("|")
		for i, cell := range cells {
			pad := strings.Repeat(" ", width[i]-len([]rune(cell)))
			if right[i] {
				cell = pad + cell
			} else {
				cell += pad
			}
			b.WriteString(" " + cell + " |")
		}
		b.WriteString("\n")
	}
	line(head)
	b.WriteString("|")
	for i := range header {
		rule := strings.Repeat("-", width[i])
		if right[i] {
			rule = rule[1:] + ":"
		}
		b.WriteString(" " + rule + " |")
	}
	b.WriteString("\n")
	for _, r := range rows {
		line(r)
	}
	return b.String()
}
