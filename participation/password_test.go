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
