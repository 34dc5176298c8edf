package main

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestSummarise(t *testing.T) {
	var s series
	// 1..100 ms, out of order; the 7th a 500, the 9th no answer.
	for i := 100; i >= 1; i-- {
		status := 200
		var err error
		switch i {
		case 7:
			status = 500
		case 9:
			status, err = 0, errors.New("connection reset")
		case 3:
			status = 303 // a redirect is an answer
		}
		s.record(time.Duration(i)*time.Millisecond, status, err)
	}
	got := summarise(&s, 2*time.Second)
	want := summary{count: 100, perSec: 50, p50: 50 * time.Millisecond, p99: 99 * time.Millisecond, errors: 2, first: "connection reset"}
	if got != want {
		t.Fatalf("summary %+v, want %+v", got, want)
	}
	if s.times[0] != 100*time.Millisecond {
		t.Fatal("summarise sorted the series in place")
	}
}

func TestMerge(t *testing.T) {
	a, b := byKind{}, byKind{}
	a.record("idea", time.Millisecond, 200, nil)
	b.record("idea", 2*time.Millisecond, 404, nil)
	b.record("vote", 3*time.Millisecond, 200, nil)
	m := merge([]byKind{a, b})
	if len(m) != 2 || len(m["idea"].times) != 2 || m["idea"].errors != 1 || m["idea"].first != "status 404" || len(m["vote"].times) != 1 {
		t.Fatalf("merged %+v %+v", m["idea"], m["vote"])
	}
	if len(a["idea"].times) != 1 {
		t.Fatal("merge changed a worker's series")
	}
}

func TestMarkdownTable(t *testing.T) {
	got := markdownTable([]string{"page", "+req/s", "+p99"}, [][]string{
		{"front", "370", "12 ms"},
		{"päätös", "5", "1.5 ms"},
	})
	want := "" +
		"| page   | req/s |    p99 |\n" +
		"| ------ | ----: | -----: |\n" +
		"| front  |   370 |  12 ms |\n" +
		"| päätös |     5 | 1.5 ms |\n"
	if got != want {
		t.Fatalf("table\n%s\nwant\n%s", got, want)
	}
}

func TestFormats(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{ms(1500 * time.Microsecond), "1.5 ms"},
		{ms(123456 * time.Microsecond), "123 ms"},
		{share(50, 10000), "0.5 %"},
		{share(370, 1000), "37 %"},
		{share(370, 0), "–"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestPgbenchTPS(t *testing.T) {
	for _, c := range []struct {
		name, out string
		want      float64
	}{
		{"15", `pgbench (15.6 (Debian 15.6-0+deb12u1))
transaction type: /tmp/osallistu_pgbench.sql
number of clients: 16
number of threads: 2
duration: 10 s
number of transactions actually processed: 77031
latency average = 2.077 ms
initial connection time = 13.585 ms
tps = 7703.093470 (without initial connection time)
`, 7703.093470},
		{"13", `number of transactions actually processed: 76123
tps = 7612.345678 (including connections establishing)
tps = 7650.123456 (excluding connections establishing)
`, 7650.123456},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := pgbenchTPS(c.out)
			if err != nil || got != c.want {
				t.Fatalf("tps %v, %v; want %v", got, err, c.want)
			}
		})
	}
	t.Run("ErrNoTPS", func(t *testing.T) {
		if _, err := pgbenchTPS("pgbench: error: connection to server failed\n"); err == nil || !strings.Contains(err.Error(), "connection to server failed") {
			t.Fatalf("error %v, want one that quotes pgbench", err)
		}
	})
}

func TestParseMix(t *testing.T) {
	m, err := parseMix("front=3, vote=0,idea=1")
	if err != nil {
		t.Fatal(err)
	}
	// Each kind takes as many numbers as its weight; a weight of 0 none.
	for n, want := range []string{"front", "front", "front", "idea"} {
		if got := m.at(n); got != want {
			t.Errorf("at(%d) = %s, want %s", n, got, want)
		}
	}
	if m.total != 4 {
		t.Errorf("total %d, want 4", m.total)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	count := map[string]int{}
	for range 40000 {
		count[m.pick(rng)]++
	}
	if count["vote"] != 0 || count["front"] < 29000 || count["front"] > 31000 {
		t.Errorf("picked %v, want front about 30 000 of 40 000 and no vote", count)
	}
	if _, err := parseMix(defaultMix); err != nil {
		t.Errorf("default mix: %v", err)
	}
	for _, bad := range []string{"front", "front=x", "front=-1", "nothing=1", "front=1,front=2", "front=0,idea=0", ""} {
		if _, err := parseMix(bad); err == nil {
			t.Errorf("parseMix(%q) took it", bad)
		}
	}
}

func TestStylesheet(t *testing.T) {
	if got := stylesheet(`<link rel="stylesheet" href="/static/css/site.3f2a9c.css"><link href="/static/css/print.css">`); got != "/static/css/site.3f2a9c.css" {
		t.Errorf("fingerprinted: %s", got)
	}
	if got := stylesheet(`<html><body>no styles</body></html>`); got != "/static/css/site.css" {
		t.Errorf("none linked: %s", got)
	}
}
