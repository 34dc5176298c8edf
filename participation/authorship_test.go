package participation

import (
	"strings"
	"testing"
	"time"
)

func TestIsAuthor(t *testing.T) {
	acc, other := &Account{ID: 1}, &Account{ID: 2}
	resp, otherResp := &Respondent{ID: 7}, &Respondent{ID: 8}
	one, seven := ptrTo(int64(1)), ptrTo(int64(7))
	for _, c := range []struct {
		name          string
		a             *Account
		r             *Respondent
		author, respo *int64
		want          bool
	}{
		{"the account that wrote it", acc, nil, one, nil, true},
		{"another account", other, nil, one, nil, false},
		{"the respondent that sent it", nil, resp, nil, seven, true},
		{"another respondent", nil, otherResp, nil, seven, false},
		{"an account, of an anonymous item", acc, nil, nil, seven, false},
		{"nobody", nil, nil, one, seven, false},
		{"either of the two it was sent with", other, resp, one, seven, true},
	} {
		if got := IsAuthor(c.a, c.r, c.author, c.respo); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCheckAuthorChange(t *testing.T) {
	created := time.Date(2017, 3, 1, 9, 0, 0, 0, time.UTC)
	w := DefaultEditWindow
	for _, c := range []struct {
		name     string
		author   bool
		now      time.Time
		wantCode string
	}{
		{"the author at once", true, created, ""},
		{"the author just before the end", true, created.Add(w - time.Second), ""},
		{"the author at the end", true, created.Add(w), EFORBIDDEN},
		{"someone else", false, created, EFORBIDDEN},
	} {
		err := CheckAuthorChange(KindIdea, c.author, created, c.now, w)
		if got := ErrorCode(err); got != c.wantCode {
			t.Errorf("%s: %q (%v), want %q", c.name, got, err, c.wantCode)
		}
		if until := EditableUntil(c.author, created, c.now, w); (until != nil) != (c.wantCode == "") {
			t.Errorf("%s: editable until %v", c.name, until)
		}
	}
	if err := CheckAuthorChange(KindComment, true, created, created.Add(w), w); err == nil || !strings.Contains(ErrorMessage(err), "ask the moderators") {
		t.Errorf("after the window: %v, want a message about asking for removal", err)
	}
}

func TestAuthorName(t *testing.T) {
	acc := &Account{ID: 1, Name: "Maija Meikäläinen"}
	for _, c := range []struct {
		name           string
		a              *Account
		given          *string
		anonymous, may bool
		want           string // "" for none
		wantCode       string
	}{
		{"a signed-in writer gets the account's name", acc, nil, false, false, "Maija Meikäläinen", ""},
		{"a name given wins", acc, ptrTo("Maija"), false, true, "Maija", ""},
		{"anonymously where allowed", acc, ptrTo("Maija"), true, true, "", ""},
		{"anonymously where not allowed", acc, nil, true, false, "", EINVALID},
		{"signed out, no name", nil, nil, false, true, "", ""},
		{"an erased name", &Account{ID: 2}, nil, false, true, "", ""},
	} {
		got, err := AuthorName(c.a, c.given, c.anonymous, c.may)
		if code := ErrorCode(err); code != c.wantCode {
			t.Errorf("%s: %q (%v), want %q", c.name, code, err, c.wantCode)
			continue
		}
		if s := deref(got); s != c.want {
			t.Errorf("%s: %q, want %q", c.name, s, c.want)
		}
	}
}

func TestCheckAuthorCredentials(t *testing.T) {
	if ErrorCode(CheckAuthorCredentials(nil, nil)) != EUNAUTHENTICATED || CheckAuthorCredentials(&Account{ID: 1}, nil) != nil || CheckAuthorCredentials(nil, &Respondent{ID: 1}) != nil {
		t.Error("an author shows an account or a respondent token")
	}
}

func TestCheckSupportOwn(t *testing.T) {
	if ErrorCode(CheckSupportOwn(true)) != EFORBIDDEN || CheckSupportOwn(false) != nil {
		t.Error("an author may not support their own idea; others may")
	}
}

func TestEdits(t *testing.T) {
	idea := &Idea{Title: "Avoin data", Body: "Julkaistaan."}
	if changed, err := (&IdeaEdit{Title: ptrTo("  Avoin data  ")}).Apply(idea); err != nil || changed {
		t.Errorf("the same title: changed %v, %v", changed, err)
	}
	if changed, err := (&IdeaEdit{Body: ptrTo("Julkaistaan kaikki.")}).Apply(idea); err != nil || !changed || idea.Body != "Julkaistaan kaikki." || idea.Title != "Avoin data" {
		t.Errorf("a new body: changed %v, %v, %+v", changed, err, idea)
	}
	if _, err := (&IdeaEdit{Title: ptrTo("ab"), Body: ptrTo(" ")}).Apply(idea); ErrorCode(err) != EINVALID || len(err.(*Error).Fields) != 2 || idea.Title != "Avoin data" {
		t.Errorf("a bad edit: %v, %+v", err, idea)
	}
	if err := (&CommentEdit{Body: "\u200b"}).Validate(); ErrorCode(err) != EINVALID {
		t.Errorf("an invisible comment: %v", err)
	}
	if err := (&RemovalRequest{Reason: " "}).Validate(); err != nil {
		t.Errorf("a removal request needs no reason: %v", err)
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
