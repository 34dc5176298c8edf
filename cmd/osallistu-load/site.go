package main

// What the -mixed mode's people read and write: the site's ids, found
// through the public API, the process it makes for the writes, the people
// themselves, and each kind of request.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"osallistu/participation/postgres"
	"osallistu/participation/postgres/seed"
)

// loadPrefix starts the slugs of the processes the tool makes, so that it
// does not take one of them for the site's own.
const loadPrefix = "load-"

// ideasPerPage is the server's page size of a round's ideas.
const ideasPerPage = 20

// searchWords are searched for in the round: words of seed's vocabulary
// and of ordinary ideas.
var searchWords = []string{"kirjastot", "avoin data", "nuorten palvelut", "öppenhet", "päätökset verkossa", "selkokieli"}

// site is what the people's requests point at.
type site struct {
	base string
	http *http.Client
	// The process read: the first published one with commitments (the demo's).
	slug        string
	ideas       []int64 // of its idea rounds
	commitments []int64
	// The process the tool makes: an open round and an open poll.
	round     int64
	deepPage  int     // the round's page read as round-deep
	discussed []int64 // ideas of the round that comments go to
	joinCode  string
	poll      int64
	options   []int64
}

// discover finds the process to read: the first published one, not the
// tool's own, with an idea round and commitments.
func (s *site) discover(a *api) error {
	var list struct {
		Items []struct {
			Slug  string `json:"slug"`
			Steps []struct {
				Kind string `json:"kind"`
				ID   int64  `json:"id"`
			} `json:"steps"`
		} `json:"items"`
	}
	if _, err := a.do("GET", "/api/v1/processes?limit=100", nil, nil, &list); err != nil {
		return err
	}
	for _, p := range list.Items {
		if strings.HasPrefix(p.Slug, loadPrefix) {
			continue
		}
		var commitments struct{ Items []struct{ ID int64 } }
		if _, err := a.do("GET", "/api/v1/processes/"+p.Slug+"/commitments", nil, nil, &commitments); err != nil {
			return err
		}
		var ideas []int64
		for _, st := range p.Steps {
			if st.Kind != "idea_round" {
				continue
			}
			ids, err := roundIdeas(a, st.ID)
			if err != nil {
				return err
			}
			ideas = append(ideas, ids...)
		}
		if len(commitments.Items) == 0 || len(ideas) == 0 {
			continue
		}
		s.slug, s.ideas = p.Slug, ideas
		for _, c := range commitments.Items {
			s.commitments = append(s.commitments, c.ID)
		}
		return nil
	}
	return fmt.Errorf("no published process with ideas and commitments: load the demo first (osallistu demo)")
}

// roundIdeas lists the ids of a round's first hundred ideas.
func roundIdeas(a *api, round int64) ([]int64, error) {
	var ideas struct{ Items []struct{ ID int64 } }
	if _, err := a.do("GET", fmt.Sprintf("/api/v1/idea-rounds/%d/ideas?limit=100", round), nil, nil, &ideas); err != nil {
		return nil, err
	}
	ids := make([]int64, len(ideas.Items))
	for i, it := range ideas.Items {
		ids[i] = it.ID
	}
	return ids, nil
}

// prepare makes, as the official, a process (published as it is made) with an open round
// (anonymous ideas allowed) and a workshop with an open poll; fills the
// round with seedIdeas ideas (three comments each) through the database
// at db; and picks the round's page deepPage, or its last.
func (s *site) prepare(official *api, db string, seedIdeas, deepPage int) error {
	slug := fmt.Sprintf("%smixed-%d", loadPrefix, time.Now().Unix())
	if _, err := official.do("POST", "/api/v1/processes", map[string]string{"slug": slug, "title": "Kuormitustesti", "description": "Sekakuorma."}, nil, &struct{}{}); err != nil {
		return err
	}
	now := time.Now().UTC()
	var round struct{ ID int64 }
	if _, err := official.do("POST", "/api/v1/processes/"+slug+"/idea-rounds", map[string]any{
		"title": "Sekakuorma", "description": "Ideat kuormitustestistä.", "opens_at": now.Add(-time.Hour), "closes_at": now.Add(24 * time.Hour), "allow_anonymous": true,
	}, nil, &round); err != nil {
		return err
	}
	s.round = round.ID
	if _, err := official.do("POST", fmt.Sprintf("/api/v1/idea-rounds/%d/ideas", s.round), map[string]string{"title": "Avoimet kirjastot", "body": "Kirjastot avoimiksi myös iltaisin."}, nil, &struct{}{}); err != nil {
		return err
	}
	if seedIdeas > 0 {
		t0 := time.Now()
		ctx := context.Background()
		conn, err := postgres.Open(ctx, db)
		if err != nil {
			return err
		}
		err = seed.Ideas(ctx, conn, s.round, seedIdeas, 3*seedIdeas, now)
		conn.Close()
		if err != nil {
			return err
		}
		fmt.Printf("seeded the round with %d ideas and %d comments in %v\n", seedIdeas, 3*seedIdeas, time.Since(t0).Round(time.Millisecond))
	}
	var r struct {
		IdeaCount int `json:"idea_count"`
	}
	if _, err := official.do("GET", fmt.Sprintf("/api/v1/idea-rounds/%d", s.round), nil, nil, &r); err != nil {
		return err
	}
	s.deepPage = max(1, min(deepPage, (r.IdeaCount+ideasPerPage-1)/ideasPerPage))
	var err error
	if s.discussed, err = roundIdeas(official, s.round); err != nil {
		return err
	}

	var w struct {
		ID       int64  `json:"id"`
		JoinCode string `json:"join_code"`
	}
	if _, err := official.do("POST", "/api/v1/processes/"+slug+"/workshops", map[string]any{"title": "Sekakuorma", "starts_at": now}, nil, &w); err != nil {
		return err
	}
	poll, options, err := official.openPoll(w.ID, "Mitkä ovat tärkeimmät?", "Teema", 10, 3)
	if err != nil {
		return err
	}
	s.joinCode, s.poll, s.options = w.JoinCode, poll, options
	fmt.Printf("reading process %s (%d ideas, %d commitments); writing to /processes/%s: round %d (page %d read as deep), poll %d\n",
		s.slug, len(s.ideas), len(s.commitments), slug, s.round, s.deepPage, s.poll)
	return nil
}

// person is one simulated visitor. Signed in, it reads pages with its
// session cookie and writes with the same token as a bearer; anonymous, it
// writes with a respondent token. Either votes with its participant token.
type person struct {
	session     string // empty: anonymous
	respondent  string
	participant string
}

// people makes n people, the first signedIn of them signed in, each once:
// signed-in people share min(signedIn, 20) accounts made for the run
// (every sign-up and sign-in hashes a password: a few seconds in all).
func (s *site) people(n, signedIn int) ([]*person, error) {
	a := &api{base: s.base, http: s.http}
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	accounts := min(signedIn, 20)
	const password = "pitkä kuormitussalasana 2017"
	email := func(i int) string { return fmt.Sprintf("mixed-%s-%d@load.example", run, i%accounts) }
	if err := parallel(4, accounts, func(i int) error {
		_, err := a.do("POST", "/api/v1/accounts", map[string]string{"email": email(i), "password": password, "name": "Kuormittaja"}, nil, &struct{}{})
		return err
	}); err != nil {
		return nil, fmt.Errorf("sign-up: %w", err)
	}
	ps := make([]*person, n)
	err := parallel(8, n, func(i int) error {
		p := &person{}
		ps[i] = p
		var joined struct {
			Token string `json:"participant_token"`
		}
		if _, err := a.do("POST", "/api/v1/workshops/join", map[string]string{"code": s.joinCode}, nil, &joined); err != nil {
			return err
		}
		p.participant = joined.Token
		if i < signedIn {
			var sess struct{ Token string }
			_, err := a.do("POST", "/api/v1/session", map[string]string{"email": email(i), "password": password}, nil, &sess)
			p.session = sess.Token
			return err
		}
		var r struct {
			Token string `json:"respondent_token"`
		}
		_, err := a.do("POST", "/api/v1/respondents", nil, nil, &r)
		p.respondent = r.Token
		return err
	})
	return ps, err
}

// request makes p's request of a kind.
func (s *site) request(p *person, kind string, rng *rand.Rand) (*http.Request, error) {
	pick := func(ids []int64) int64 { return ids[rng.IntN(len(ids))] }
	var method, path string
	var body any
	switch kind {
	case kindFront:
		path = "/"
	case kindProcess:
		path = "/processes/" + s.slug
	case kindRound:
		path = fmt.Sprintf("/idea-rounds/%d", s.round)
	case kindRoundDeep:
		path = fmt.Sprintf("/idea-rounds/%d?offset=%d", s.round, (s.deepPage-1)*ideasPerPage)
	case kindIdea:
		path = fmt.Sprintf("/ideas/%d", pick(s.ideas))
	case kindCommitment:
		path = fmt.Sprintf("/commitments/%d", pick(s.commitments))
	case kindStatus:
		path = "/processes/" + s.slug + "/status"
	case kindReport:
		path = "/processes/" + s.slug + "/report"
	case kindSearch:
		path = fmt.Sprintf("/idea-rounds/%d?q=%s", s.round, strings.ReplaceAll(searchWords[rng.IntN(len(searchWords))], " ", "+"))
	case kindSendIdea:
		method, path = "POST", fmt.Sprintf("/api/v1/idea-rounds/%d/ideas", s.round)
		body = map[string]string{"title": fmt.Sprintf("Kuormitusidea %d", rng.IntN(1e6)), "body": "Avoin data ja selkokieli kaikille palveluille."}
	case kindComment:
		method, path = "POST", fmt.Sprintf("/api/v1/ideas/%d/comments", pick(s.discussed))
		body = map[string]string{"body": "Kannatan, ja kirjastot mukaan."}
	case kindVote:
		n := 1 + rng.IntN(3)
		ids := make([]int64, n)
		for i, j := range rng.Perm(len(s.options))[:n] {
			ids[i] = s.options[j]
		}
		method, path = "PUT", fmt.Sprintf("/api/v1/polls/%d/ballot", s.poll)
		body = map[string]any{"option_ids": ids}
	default:
		return nil, fmt.Errorf("no kind %q", kind)
	}
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		r = bytes.NewReader(b)
	} else {
		method = "GET"
	}
	req, err := http.NewRequest(method, s.base+path, r)
	if err != nil {
		return nil, err
	}
	switch {
	case kind == kindVote:
		req.Header.Set("X-Participant-Token", p.participant)
	case body != nil && p.session != "":
		req.Header.Set("Authorization", "Bearer "+p.session)
	case body != nil:
		req.Header.Set("X-Respondent-Token", p.respondent)
	case p.session != "":
		req.AddCookie(&http.Cookie{Name: "osallistu_session", Value: p.session})
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// send makes a request and reads its whole answer.
func send(client *http.Client, req *http.Request) (int, error) {
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, err
}
