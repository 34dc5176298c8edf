package server_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
)

// surveySite is a process with an official's browser, for the tests of
// the survey pages.
type surveySite struct {
	ts       *testServer
	slug     string
	official *pageClient
	bearer   string
}

func newSurveySite(t *testing.T, ts *testServer) *surveySite {
	t.Helper()
	bearer, _ := ts.signUp(fmt.Sprintf("official-%d@example.fi", time.Now().UnixNano()), "official")
	slug := fmt.Sprintf("kysely-%d", time.Now().UnixNano()%1e9)
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": slug, "title": "Avoin hallinto", "description": ""}, bearer).want(t, 201)
	return &surveySite{ts: ts, slug: slug, official: ts.client(bearer), bearer: bearer}
}

var surveyPath = regexp.MustCompile(`^/surveys/(\d+)/edit`)

// create makes a survey on the new survey page and returns its id.
func (s *surveySite) create(t *testing.T, title string, anonymous bool) int64 {
	t.Helper()
	anon := "no"
	if anonymous {
		anon = "yes"
	}
	loc := s.official.post(t, "/processes/"+s.slug+"/surveys/new", "/processes/"+s.slug+"/surveys",
		url.Values{"title": {title}, "description": {"Kerro mielipiteesi."}, "language": {"fi"}, "anonymous": {anon}, "title_sv": {title + " på svenska"}}).
		redirectsTo(t, "/surveys/")
	m := surveyPath.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("redirect to %s after creating", loc)
	}
	return mustID(t, m[1])
}

// addQuestion adds a question of kind on the builder's question form.
func (s *surveySite) addQuestion(t *testing.T, id int64, kind string, values url.Values) {
	t.Helper()
	values.Set("kind", kind)
	s.official.post(t, fmt.Sprintf("/surveys/%d/questions/new?kind=%s", id, kind), fmt.Sprintf("/surveys/%d/questions", id), values).
		redirectsTo(t, fmt.Sprintf("/surveys/%d/edit", id))
}

// survey reads the survey from the store.
func (s *surveySite) survey(t *testing.T, id int64) *participation.Survey {
	t.Helper()
	sv, err := s.ts.store.FindSurvey(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

// build makes the survey every page test answers: one question of each
// kind, the two-axis one rating three goals on 1–5.
func (s *surveySite) build(t *testing.T, anonymous bool) (int64, *participation.Survey) {
	t.Helper()
	id := s.create(t, "Tavoitteiden arviointi", anonymous)
	s.addQuestion(t, id, "single", url.Values{"prompt": {"Mistä kuulit kyselystä?"}, "required": {"yes"},
		"option_1": {"Uutiskirjeestä"}, "option_1_sv": {"Från nyhetsbrevet"}, "option_2": {""}, "option_3": {"Ystävältä"}})
	s.addQuestion(t, id, "multi", url.Values{"prompt": {"Mitkä teemat kiinnostavat?"}, "option_1": {"Avoimuus"}, "option_2": {"Osallisuus"}, "option_3": {"Selkeä kieli"}})
	s.addQuestion(t, id, "scale", url.Values{"prompt": {"Kuinka tärkeää avoimuus on?"}, "min": {"1"}, "max": {"5"}, "min_label": {"Ei lainkaan"}, "max_label": {"Erittäin"}})
	s.addQuestion(t, id, "text", url.Values{"prompt": {"Mitä muuta haluat sanoa?"}})
	s.addQuestion(t, id, "grid2d", url.Values{"prompt": {"Arvioi tavoitteet"}, "required": {"yes"},
		"x_label": {"Tärkeys"}, "x_min": {"1"}, "x_max": {"5"}, "y_label": {"Toteutettavuus"}, "y_min": {"1"}, "y_max": {"5"}, "y_label_sv": {"Genomförbarhet"},
		"items_source": {"own"}, "item_1": {"Avoin data"}, "item_2": {"Selkeä kieli"}, "item_3": {"Lasten osallisuus"}})
	return id, s.survey(t, id)
}

// answerValues are a full answer to build's survey: option o of the
// first question and items placed at points (item index → x, y).
func answerValues(sv *participation.Survey, o int, points map[int][2]string) url.Values {
	q := sv.Questions
	v := url.Values{
		"q" + itoa(q[0].ID): {itoa(q[0].Options[o].ID)},
		"q" + itoa(q[1].ID): {itoa(q[1].Options[0].ID), itoa(q[1].Options[2].ID)},
		"q" + itoa(q[2].ID): {"4"},
		"q" + itoa(q[3].ID): {"Hyvä kysely."},
	}
	for i, it := range q[4].Items {
		name := fmt.Sprintf("q%d_%d", q[4].ID, it.ID)
		xy := points[i]
		v.Set(name+"_x", xy[0])
		v.Set(name+"_y", xy[1])
	}
	return v
}

// TestSurveyBuilderPages builds a survey on the builder's pages: settings
// with translations, every kind of question with errors first, editing,
// moving and removing questions while a draft, the preview, opening (after
// which nothing changes) and closing.
func TestSurveyBuilderPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := newSurveySite(t, ts)
	citizen, _ := ts.signUp("citizen@example.fi")

	t.Run("ProcessLinks", func(t *testing.T) {
		s.official.get("/processes/"+s.slug).want(t, 200).contains(t, `href="/processes/`+s.slug+`/surveys/new"`)
		ts.client(citizen).get("/processes/"+s.slug+"/surveys/new").want(t, 403)
		ts.client("").get("/processes/"+s.slug+"/surveys/new").want(t, 401)
	})
	t.Run("NewSurveyErrors", func(t *testing.T) {
		r := s.official.post(t, "/processes/"+s.slug+"/surveys/new", "/processes/"+s.slug+"/surveys",
			url.Values{"title": {""}, "language": {"fi"}, "title_fi": {"Sama kieli"}}).want(t, 422)
		r.contains(t, `class="error-summary"`, `href="#title"`, `href="#anonymous"`, `href="#title_fi"`, `id="title_fi-error"`)
	})
	var id int64
	var sv *participation.Survey
	mustRun(t, "Build", func(t *testing.T) {
		id, sv = s.build(t, false)
		if len(sv.Questions) != 5 || sv.Translations["sv"]["title"] != "Tavoitteiden arviointi på svenska" {
			t.Fatalf("survey %+v", sv)
		}
		q := sv.Questions
		if len(q[0].Options) != 2 || q[0].Options[0].Translations["sv"]["label"] != "Från nyhetsbrevet" || !q[0].Required {
			t.Errorf("the single question skipped the empty row badly: %+v", q[0])
		}
		if q[4].X.Label != "Tärkeys" || q[4].Y.Max != 5 || len(q[4].Items) != 3 || q[4].Translations["sv"]["y.label"] != "Genomförbarhet" {
			t.Errorf("grid question %+v", q[4])
		}
	})
	edit := fmt.Sprintf("/surveys/%d/edit", id)
	t.Run("BuilderPage", func(t *testing.T) {
		s.official.get(edit).want(t, 200).contains(t, "Mistä kuulit kyselystä?", "Tärkeys", fmt.Sprintf(`action="/surveys/%d/open"`, id),
			fmt.Sprintf(`action="/surveys/%d/questions/%d/move"`, id, sv.Questions[0].ID), `value="Tavoitteiden arviointi på svenska"`)
	})
	t.Run("QuestionErrors", func(t *testing.T) {
		r := s.official.post(t, fmt.Sprintf("/surveys/%d/questions/new?kind=grid2d", id), fmt.Sprintf("/surveys/%d/questions", id), url.Values{
			"kind": {"grid2d"}, "prompt": {"Huono"}, "x_label": {""}, "x_min": {"1"}, "x_max": {"5"}, "y_label": {"Y"}, "y_min": {"5"}, "y_max": {"kolme"},
			"items_source": {"own"}, "item_1": {"A"}}).want(t, 422)
		r.contains(t, `id="y_max-error"`)
		r = s.official.post(t, fmt.Sprintf("/surveys/%d/questions/new?kind=grid2d", id), fmt.Sprintf("/surveys/%d/questions", id), url.Values{
			"kind": {"grid2d"}, "prompt": {"Huono"}, "x_label": {""}, "x_min": {"1"}, "x_max": {"5"}, "y_label": {"Y"}, "y_min": {"5"}, "y_max": {"1"},
			"items_source": {"own"}, "item_1": {"A"}, "item_2": {""}, "item_3": {"a"}}).want(t, 422)
		r.contains(t, `id="x_label-error"`, `id="y_max-error"`, `id="items-error"`, `value="A"`)
		r = s.official.post(t, fmt.Sprintf("/surveys/%d/questions/new?kind=single", id), fmt.Sprintf("/surveys/%d/questions", id), url.Values{
			"kind": {"single"}, "prompt": {"Yksi"}, "option_1": {"Vain yksi"}}).want(t, 422)
		r.contains(t, `id="options-error"`)
		s.official.get(fmt.Sprintf("/surveys/%d/questions/new?kind=nonsense", id)).want(t, 404)
		if got := len(s.survey(t, id).Questions); got != 5 {
			t.Errorf("%d questions after refused ones", got)
		}
	})
	t.Run("EditQuestion", func(t *testing.T) {
		q := sv.Questions[1]
		page := fmt.Sprintf("/surveys/%d/questions/%d/edit", id, q.ID)
		s.official.get(page).want(t, 200).contains(t, `value="Osallisuus"`, fmt.Sprintf(`name="option_2_id" value="%d"`, q.Options[1].ID))
		s.official.post(t, page, fmt.Sprintf("/surveys/%d/questions/%d", id, q.ID), url.Values{
			"prompt": {"Mitkä teemat kiinnostavat sinua?"}, "prompt_en": {"Which themes interest you?"},
			"option_1": {"Avoimuus"}, "option_1_id": {itoa(q.Options[0].ID)}, "option_2": {"Osallisuus ja vaikuttaminen"}, "option_2_id": {itoa(q.Options[1].ID)},
			"option_3": {""}, "option_3_id": {itoa(q.Options[2].ID)}, "option_4": {"Uusi"}}).redirectsTo(t, edit)
		got := s.survey(t, id).Questions[1]
		if got.ID != q.ID || got.Prompt != "Mitkä teemat kiinnostavat sinua?" || got.Translations["en"]["prompt"] != "Which themes interest you?" {
			t.Errorf("edited question %+v", got)
		}
		if len(got.Options) != 3 || got.Options[0].ID != q.Options[0].ID || got.Options[1].ID != q.Options[1].ID ||
			got.Options[1].Label != "Osallisuus ja vaikuttaminen" || got.Options[2].Label != "Uusi" || got.Options[2].ID == q.Options[2].ID {
			t.Errorf("edited options (the emptied row left out, a new one added): %+v", got.Options)
		}
	})
	t.Run("MoveAndRemove", func(t *testing.T) {
		qs := s.survey(t, id).Questions
		s.official.post(t, edit, fmt.Sprintf("/surveys/%d/questions/%d/move", id, qs[3].ID), url.Values{"direction": {"up"}}).redirectsTo(t, edit)
		moved := s.survey(t, id).Questions
		if moved[2].ID != qs[3].ID || moved[3].ID != qs[2].ID {
			t.Fatalf("after moving up: %d, %d", moved[2].ID, moved[3].ID)
		}
		s.official.post(t, edit, fmt.Sprintf("/surveys/%d/questions/%d/move", id, qs[3].ID), url.Values{"direction": {"down"}}).redirectsTo(t, edit)
		// A question added and removed again leaves the others as they were.
		s.addQuestion(t, id, "text", url.Values{"prompt": {"Poistettava"}})
		extra := s.survey(t, id).Questions[5]
		s.official.post(t, edit, fmt.Sprintf("/surveys/%d/questions/%d/remove", id, extra.ID), nil).redirectsTo(t, edit)
		after := s.survey(t, id).Questions
		if len(after) != 5 {
			t.Fatalf("%d questions after removing", len(after))
		}
		for i := range after {
			if after[i].ID != qs[i].ID {
				t.Errorf("question %d is %d, want %d", i, after[i].ID, qs[i].ID)
			}
		}
		if after[4].Items[0].ID != qs[4].Items[0].ID {
			t.Errorf("the grid's items lost their ids: %+v", after[4].Items)
		}
	})
	t.Run("Preview", func(t *testing.T) {
		s.official.get(fmt.Sprintf("/surveys/%d/preview", id)).want(t, 200).
			contains(t, `class="notice notice-info"`, fmt.Sprintf(`name="q%d"`, sv.Questions[0].ID), staticPath(t, "js/grid2d.js")).
			contains(t, fmt.Sprintf(`name="q%d_%d_x"`, sv.Questions[4].ID, sv.Questions[4].Items[0].ID))
		ts.client(citizen).get(fmt.Sprintf("/surveys/%d/preview", id)).want(t, 403)
		ts.client(citizen).get(fmt.Sprintf("/surveys/%d", id)).want(t, 200).contains(t, "notice")
	})
	t.Run("Settings", func(t *testing.T) {
		s.official.post(t, edit, fmt.Sprintf("/surveys/%d/settings", id), url.Values{"title": {"Tavoitteet"}, "language": {"fi"}, "anonymous": {"no"},
			"title_en": {"Goals"}}).redirectsTo(t, edit)
		got := s.survey(t, id)
		if got.Title != "Tavoitteet" || got.Translations["en"]["title"] != "Goals" || got.Translations["sv"] != nil || len(got.Questions) != 5 {
			t.Errorf("after the settings: %+v", got)
		}
	})
	t.Run("Open", func(t *testing.T) {
		s.official.post(t, edit, fmt.Sprintf("/surveys/%d/open", id), nil).redirectsTo(t, edit)
		s.official.get(edit).want(t, 200).contains(t, fmt.Sprintf(`action="/surveys/%d/close"`, id), `class="flash" role="status"`)
	})
	t.Run("ErrConflict", func(t *testing.T) {
		q := sv.Questions[0]
		s.official.get(fmt.Sprintf("/surveys/%d/questions/%d/edit", id, q.ID)).want(t, 409)
		s.official.post(t, edit, fmt.Sprintf("/surveys/%d/questions/%d/remove", id, q.ID), nil).want(t, 409)
		s.official.post(t, edit, fmt.Sprintf("/surveys/%d/questions", id), url.Values{"kind": {"text"}, "prompt": {"Myöhässä"}}).want(t, 409)
		if got := len(s.survey(t, id).Questions); got != 5 {
			t.Errorf("%d questions after the refused changes", got)
		}
	})
	t.Run("Close", func(t *testing.T) {
		s.official.post(t, edit, fmt.Sprintf("/surveys/%d/close", id), nil).redirectsTo(t, edit)
		if got := s.survey(t, id).Status; got != participation.SurveyClosed {
			t.Errorf("status %s", got)
		}
	})
}

// TestSurveyAnswerPages answers a survey on its page: a signed-out visitor
// is asked to sign in; a signed-in one saves a draft, comes back to it,
// is told what a submission lacks, sends, sees the confirmation, and
// cannot send again; an invitation link answers without an account.
func TestSurveyAnswerPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := newSurveySite(t, ts)
	id, sv := s.build(t, false)
	page := fmt.Sprintf("/surveys/%d", id)
	action := page + "/answers"
	s.official.post(t, page+"/edit", page+"/open", nil).redirectsTo(t, page+"/edit")
	citizen, _ := ts.signUp("citizen@example.fi")
	c := ts.client(citizen)
	q := sv.Questions
	grid := func(item int, axis string) string {
		return fmt.Sprintf("q%d_%d_%s", q[4].ID, q[4].Items[item].ID, axis)
	}

	t.Run("SignedOut", func(t *testing.T) {
		ts.client("").get(page).want(t, 200).contains(t, "/login?next="+page).
			contains(t, `<h1 lang="fi">Tavoitteiden arviointi</h1>`)
	})
	t.Run("Form", func(t *testing.T) {
		c.get(page).want(t, 200).contains(t, `action="`+action+`"`, `name="action" value="submit"`, `name="action" value="save"`,
			`id="q`+itoa(q[0].ID)+`"`, staticPath(t, "js/grid2d.js"), `name="`+grid(0, "x")+`" value="" checked`)
	})
	t.Run("SaveDraft", func(t *testing.T) {
		v := url.Values{"action": {"save"}, "q" + itoa(q[0].ID): {itoa(q[0].Options[1].ID)}, grid(1, "x"): {"4"}, grid(1, "y"): {"2"}}
		c.post(t, page, action, v).redirectsTo(t, page)
		c.get(page).want(t, 200).contains(t, `class="meta survey-draft-saved"`,
			`value="`+itoa(q[0].Options[1].ID)+`" checked`, `name="`+grid(1, "x")+`" value="4" checked`, `name="`+grid(1, "y")+`" value="2" checked`)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		// The required grid left out, an item on one axis only, a scale
		// value that is not a number.
		v := url.Values{"action": {"submit"}, "q" + itoa(q[0].ID): {itoa(q[0].Options[0].ID)}, "q" + itoa(q[2].ID): {"neljä"}, grid(0, "x"): {"3"}}
		r := c.post(t, page, action, v).want(t, 422)
		r.contains(t, `class="error-summary"`, `href="#q`+itoa(q[2].ID)+`"`, `href="#q`+itoa(q[4].ID)+`"`, `id="q`+itoa(q[4].ID)+`-error"`,
			`value="`+itoa(q[0].Options[0].ID)+`" checked`, `name="`+grid(0, "x")+`" value="3" checked`)
		v = url.Values{"action": {"submit"}, "q" + itoa(q[0].ID): {itoa(q[0].Options[0].ID)}, grid(0, "x"): {"7"}, grid(0, "y"): {"1"}}
		c.post(t, page, action, v).want(t, 422).contains(t, `id="q`+itoa(q[4].ID)+`-error"`)
		v = url.Values{"action": {"submit"}, grid(0, "x"): {"2"}, grid(0, "y"): {"1"}}
		c.post(t, page, action, v).want(t, 422).contains(t, `href="#q`+itoa(q[0].ID)+`"`)
	})
	mustRun(t, "Submit", func(t *testing.T) {
		v := answerValues(sv, 0, map[int][2]string{0: {"5", "4"}, 1: {"2", "2"}})
		v.Set("action", "submit")
		v.Set("municipality", "Tampere")
		c.post(t, page, action, v).redirectsTo(t, page+"/thanks")
		c.get(page+"/thanks").want(t, 200).contains(t, "<h1>")
		c.get(page).want(t, 200).contains(t, `class="notice notice-info survey-answered"`)
	})
	t.Run("ErrConflict", func(t *testing.T) {
		csrf := c.csrfToken(t, page+"/thanks")
		v := answerValues(sv, 1, nil)
		v.Set("action", "submit")
		c.postWith(csrf, action, v).want(t, 409).contains(t, `class="error-summary"`)
		res, err := ts.store.FindSurveyResults(participation.NewContextWithAccount(context.Background(), mustAccount(t, ts, s.bearer)), id, participation.ResultFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Responses != 1 || res.Questions[0].Options[0].Count != 1 {
			t.Errorf("after a second response: %+v", res)
		}
	})
	var token string
	mustRun(t, "Invite", func(t *testing.T) {
		progress := page + "/progress"
		s.official.post(t, progress, page+"/invitations", url.Values{"emails": {"aino@example.fi\nei-osoite, veikko@example.fi"}}).want(t, 422).
			contains(t, "ei-osoite", `id="emails-error"`)
		s.official.post(t, progress, page+"/invitations", url.Values{"emails": {"aino@example.fi\nveikko@example.fi"}, "email_lang": {"sv"}}).redirectsTo(t, progress)
		s.official.get(progress).want(t, 200).contains(t, `<dd>2</dd>`, page+"/reminders")
		token = invitationToken(t, ts, "aino@example.fi")
	})
	t.Run("Invitation", func(t *testing.T) {
		guest := ts.client("")
		link := page + "?invitation=" + url.QueryEscape(token)
		guest.get(link).want(t, 200).contains(t, `name="invitation" value="`+token+`"`, `name="action" value="save"`)
		v := url.Values{"action": {"save"}, "invitation": {token}, "q" + itoa(q[3].ID): {"Palaan tähän."}}
		guest.post(t, link, action, v).redirectsTo(t, link)
		// Back through the link in another browser: the draft is there.
		ts.client("").get(link).want(t, 200).contains(t, "Palaan tähän.")
		v = answerValues(sv, 1, map[int][2]string{2: {"1", "5"}})
		v.Set("action", "submit")
		v.Set("invitation", token)
		guest.post(t, link, action, v).redirectsTo(t, page+"/thanks")
		ts.client("").get(link).want(t, 200).contains(t, `survey-answered`)
		ts.client("").get(page+"?invitation=not-a-token").want(t, 200).contains(t, "notice")
		s.official.get(page+"/progress").want(t, 200).contains(t, `<dd>1</dd>`)
	})
	t.Run("Remind", func(t *testing.T) {
		s.official.post(t, page+"/progress", page+"/reminders", nil).redirectsTo(t, page+"/progress")
	})
	t.Run("ErrClosed", func(t *testing.T) {
		late, _ := ts.signUp("late@example.fi")
		l := ts.client(late)
		csrf := l.csrfToken(t, page)
		s.official.post(t, page+"/edit", page+"/close", nil).redirectsTo(t, page+"/edit")
		v := answerValues(sv, 0, nil)
		v.Set("action", "submit")
		l.postWith(csrf, action, v).want(t, 409)
		l.get(page).want(t, 200).contains(t, page+"/results")
	})
}

// mustAccount finds the account of a session token.
func mustAccount(t *testing.T, ts *testServer, token string) *participation.Account {
	t.Helper()
	a, err := ts.store.FindAccountByToken(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// invitationToken finds the personal link's token in the invitation
// emailed to address.
func invitationToken(t *testing.T, ts *testServer, address string) string {
	t.Helper()
	msgs, _, err := ts.store.FindMessages(adminContext(t, ts), participation.MessageFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Email == address && m.Kind == participation.MessageSurveyInvitation {
			return m.Params.Token
		}
	}
	t.Fatalf("no invitation to %s among %d messages", address, len(msgs))
	return ""
}

// TestSurveyAnonymousPages answers an anonymous survey: the form is for
// everyone, and a signed-in person's response names no account.
func TestSurveyAnonymousPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := newSurveySite(t, ts)
	id, sv := s.build(t, true)
	page := fmt.Sprintf("/surveys/%d", id)
	s.official.post(t, page+"/edit", page+"/open", nil).redirectsTo(t, page+"/edit")
	t.Run("Form", func(t *testing.T) {
		r := ts.client("").get(page).want(t, 200).contains(t, `name="action" value="submit"`, `class="note"`)
		if strings.Contains(string(r.body), "/login?next=") {
			t.Error("an anonymous survey asks to sign in")
		}
	})
	t.Run("SignedIn", func(t *testing.T) {
		token, _ := ts.signUp("citizen@example.fi")
		c := ts.client(token)
		v := answerValues(sv, 0, map[int][2]string{0: {"3", "3"}})
		v.Set("action", "submit")
		c.post(t, page, page+"/answers", v).redirectsTo(t, page+"/thanks")
		c.get(page).want(t, 200).contains(t, "survey-answered")
		var linked int
		if err := ts.store.DB().Get(&linked, `SELECT count(*) FROM survey_responses WHERE account_id IS NOT NULL`); err != nil || linked != 0 {
			t.Errorf("responses naming an account: %d (%v)", linked, err)
		}
	})
}
