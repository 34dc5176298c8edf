package participation

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's first choice (19 MiB, 2 passes, 1 lane),
// about 30 ms on a small server. A hash holds its memory while it runs, so
// the memory is what bounds how many can run at once (hashSlots). Hashes
// made with other parameters (64 MiB, 1 pass, 2 lanes before) still verify:
// each hash records its own.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// hashSlots bounds the hashes under way at once: one per core but one (a
// hash of one lane keeps a core busy), at least one. Without a bound, 60
// parallel sign-ups held 60 hashes' memory at once (3.8 GB); with one per
// core, a burst of sign-ups on a 2-core server held both cores and other
// pages' p99 rose to 310 ms, with a core left for them it stays near 140 ms.
var hashSlots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)-1))

// hashQueueWait is how long a hash waits for a slot before the request is
// refused as EUNAVAILABLE, instead of queueing without end.
var hashQueueWait = 5 * time.Second

// acquireHashSlot waits for a free slot, at most hashQueueWait or until ctx
// ends, and returns the function that frees it.
func acquireHashSlot(ctx context.Context) (release func(), err error) {
	busy := Errorf(EUNAVAILABLE, "The service is busy. Try again in a moment.")
	if ctx.Err() != nil {
		return nil, busy
	}
	select {
	case hashSlots <- struct{}{}:
		return func() { <-hashSlots }, nil
	default:
	}
	timer := time.NewTimer(hashQueueWait)
	defer timer.Stop()
	select {
	case hashSlots <- struct{}{}:
		return func() { <-hashSlots }, nil
	case <-timer.C:
		return nil, busy
	case <-ctx.Done():
		return nil, busy
	}
}

// HashPassword returns an argon2id hash of password in the PHC string
// format. It waits for a hash slot; a busy server refuses with EUNAVAILABLE.
func HashPassword(ctx context.Context, password string) (string, error) {
	release, err := acquireHashSlot(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return hashPassword(password)
}

func hashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches a hash made by HashPassword
// (with whatever parameters the hash records). It takes no hash slot: callers
// go through CheckPasswordOrDummy.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var memory, time uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &time, &threads); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, time, memory, threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// dummyHash is checked against when an email is unknown, so that a failed
// log-in takes as long whether or not the account exists.
var dummyHash, _ = hashPassword("not a real password")

// CheckPasswordOrDummy runs CheckPassword against hash, or against a dummy
// hash when the account has none, and reports whether it matched. Like
// HashPassword it waits for a hash slot, and a busy server refuses with
// EUNAVAILABLE.
func CheckPasswordOrDummy(ctx context.Context, hash *string, password string) (bool, error) {
	release, err := acquireHashSlot(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	if hash == nil {
		CheckPassword(dummyHash, password)
		return false, nil
	}
	return CheckPassword(*hash, password), nil
}

// commonPasswordList is the 10 000 most common passwords, with its source
// on the first line.
//
//go:embed passwords.txt
var commonPasswordList string

// commonPasswords is commonPasswordList as a set, lower-cased.
var commonPasswords = func() map[string]struct{} {
	set := make(map[string]struct{}, 10000)
	sc := bufio.NewScanner(strings.NewReader(commonPasswordList))
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			set[line] = struct{}{}
		}
	}
	return set
}()

// IsCommonPassword reports whether password, compared case-insensitively,
// is among the 10 000 most common ones: the first an attacker tries.
func IsCommonPassword(password string) bool {
	_, ok := commonPasswords[strings.ToLower(password)]
	return ok
}

// minPersonalPart is the shortest part of a name or email's local part that
// a password may not contain: shorter ones ("li", "ab") are in too many
// good passwords by chance.
const minPersonalPart = 4

// IsPersonalPassword reports whether password, compared case-insensitively,
// equals or contains the email's local part or the name, whole or one of
// their words: the second thing an attacker who knows the person tries.
func IsPersonalPassword(password, email, name string) bool {
	pw := strings.ToLower(password)
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	lname := strings.ToLower(name)
	parts := []string{local, lname, strings.Join(strings.Fields(lname), "")}
	notWord := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
	parts = append(parts, strings.FieldsFunc(local, notWord)...)
	parts = append(parts, strings.FieldsFunc(lname, notWord)...)
	for _, p := range parts {
		if p == "" {
			continue
		}
		if pw == p || (utf8.RuneCountInString(p) >= minPersonalPart && strings.Contains(pw, p)) {
			return true
		}
	}
	return false
}
