package participation

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestHashPasswordParameters(t *testing.T) {
	hash, err := HashPassword(context.Background(), "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	// OWASP's first choice: 19 MiB, 2 passes, 1 lane.
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %s", hash)
	}
	if !CheckPassword(hash, "correct horse battery") || CheckPassword(hash, "correct horse batterY") {
		t.Fatal("the hash does not check")
	}
}

func TestCheckPasswordOfOldParameters(t *testing.T) {
	// Made with the parameters used before (64 MiB, 1 pass, 2 lanes): such
	// hashes are stored, and their owners must still sign in.
	const old = "$argon2id$v=19$m=65536,t=1,p=2$b3NhbGxpc3R1LXNhbHQtMQ$HqA0vzZKkObt0yFUPcOKvfIEMrjcSczxqjGsLW8heuo"
	ok, err := CheckPasswordOrDummy(context.Background(), new(old), "vanha salasana 2017")
	if err != nil || !ok {
		t.Fatalf("old hash: %v %v", ok, err)
	}
	if ok, _ := CheckPasswordOrDummy(context.Background(), new(old), "vanha salasana 2018"); ok {
		t.Fatal("a wrong password matched the old hash")
	}
}

func TestHashSlots(t *testing.T) {
	saved := hashQueueWait
	hashQueueWait = 50 * time.Millisecond
	t.Cleanup(func() { hashQueueWait = saved })
	if cap(hashSlots) < 1 {
		t.Fatalf("%d hash slots", cap(hashSlots))
	}
	// Every slot taken: a hash waits its turn, then is refused as unavailable.
	for range cap(hashSlots) {
		hashSlots <- struct{}{}
	}
	start := time.Now()
	_, err := HashPassword(context.Background(), "correct horse battery")
	if ErrorCode(err) != EUNAVAILABLE {
		t.Fatalf("hash with every slot taken: %v", err)
	}
	if waited := time.Since(start); waited < hashQueueWait {
		t.Fatalf("refused after %v, before the queue wait", waited)
	}
	if _, err := CheckPasswordOrDummy(context.Background(), nil, "x"); ErrorCode(err) != EUNAVAILABLE {
		t.Fatalf("check with every slot taken: %v", err)
	}

	// A slot freed while it waits lets it through.
	done := make(chan error, 1)
	hashQueueWait = 5 * time.Second
	go func() {
		_, err := HashPassword(context.Background(), "correct horse battery")
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("hashed with every slot taken: %v", err)
	default:
	}
	<-hashSlots
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for range cap(hashSlots) - 1 {
		<-hashSlots
	}

	// A request that has ended waits for nothing.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := HashPassword(ctx, "correct horse battery"); ErrorCode(err) != EUNAVAILABLE {
		t.Fatalf("hash for an ended request: %v", err)
	}
	if len(hashSlots) != 0 {
		t.Fatalf("%d slots left taken", len(hashSlots))
	}
}

func TestCommonPasswordList(t *testing.T) {
	if n := len(commonPasswords); n < 10000 {
		t.Fatalf("%d common passwords, want at least 10 000", n)
	}
	first, _, _ := strings.Cut(commonPasswordList, "\n")
	for _, want := range []string{"zxcvbn", "MIT"} {
		if !strings.Contains(first, want) {
			t.Errorf("the list's header does not name %q: %s", want, first)
		}
	}
	for _, pw := range []string{"password", "123456", "qwertyuiop", "1234567890", "password123", "PassWord123", "QWERTYUIOP", "salasana", "iloveyou"} {
		if !IsCommonPassword(pw) {
			t.Errorf("%q is not found common", pw)
		}
	}
	for _, pw := range []string{"correct horse battery", "kymmenen-merkkia", "Sääksjärvi 1987!", "#"} {
		if IsCommonPassword(pw) {
			t.Errorf("%q is found common", pw)
		}
	}
}

func TestIsPersonalPassword(t *testing.T) {
	for _, tc := range []struct {
		password, email, name string
		want                  bool
	}{
		{"aino.virtanen", "aino.virtanen@example.fi", "Aino Virtanen", true},
		{"AINO.VIRTANEN", "aino.virtanen@example.fi", "Someone", true},
		{"aino.virtanen!!", "aino.virtanen@example.fi", "Someone", true},
		{"virtanen-2024!", "aino.virtanen@example.fi", "Someone", true},   // a word of the local part
		{"2024-Virtanen-x", "av@example.fi", "Aino Virtanen", true},       // a word of the name
		{"ainovirtanen10", "av@example.fi", "Aino Virtanen", true},        // the name without its space
		{"Aino Virtanen", "av@example.fi", "Aino Virtanen", true},         // the name
		{"Sääksjärvi-salasana", "x@example.fi", "Pekka Sääksjärvi", true}, // letters beyond ASCII
		{"correct horse battery", "aino.virtanen@example.fi", "Aino Virtanen", false},
		{"li-and-bo-2017", "li@example.fi", "Li Bo", false}, // parts this short are in passwords by chance
		{"correct horse battery", "", "", false},
	} {
		if got := IsPersonalPassword(tc.password, tc.email, tc.name); got != tc.want {
			t.Errorf("IsPersonalPassword(%q, %q, %q) = %v, want %v", tc.password, tc.email, tc.name, got, tc.want)
		}
	}
}

func TestNewAccountValidatePassword(t *testing.T) {
	for _, tc := range []struct {
		n    NewAccount
		rule string // the password's broken rule, "" for none
	}{
		{NewAccount{Email: "aino@example.fi", Name: "Aino", Password: "correct horse battery"}, ""},
		{NewAccount{Email: "aino@example.fi", Name: "Aino", Password: "password123"}, RuleCommonPassword},
		{NewAccount{Email: "aino@example.fi", Name: "Aino", Password: "Password123"}, RuleCommonPassword},
		{NewAccount{Email: "aino@example.fi", Name: "Aino", Password: "1234567890"}, RuleCommonPassword},
		{NewAccount{Email: "aino.virtanen@example.fi", Name: "Aino", Password: "aino.virtanen"}, RulePersonalPassword},
		{NewAccount{Email: "av@example.fi", Name: "Aino Virtanen", Password: "virtanen-1234"}, RulePersonalPassword},
		{NewAccount{Email: "aino@example.fi", Name: "Aino", Password: "short"}, RuleMinLength},
	} {
		err := tc.n.Validate()
		var got string
		if e, ok := err.(*Error); ok {
			got = e.Fields["password"].Rule
		}
		if got != tc.rule {
			t.Errorf("%+v: password rule %q, want %q (%v)", tc.n, got, tc.rule, err)
		}
	}
	// The operator's admin account keeps the password the configuration gives.
	admin := NewAccount{Email: "admin@example.fi", Name: "Admin", Password: "admin-password-1"}
	if err := admin.ValidateAdmin(); err != nil {
		t.Fatalf("admin: %v", err)
	}
	if err := admin.Validate(); err == nil {
		t.Fatal("a sign-up with the email's local part in the password passed")
	}
}
