package postgres

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/lib/pq"

	"osallistu/participation"
)

func TestStoreErr(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	noSocket := &net.OpError{Op: "dial", Net: "unix", Err: os.NewSyscallError("connect", syscall.ENOENT)}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"Refused", refused, participation.EUNAVAILABLE},
		{"RefusedWrapped", fmt.Errorf("begin: %w", refused), participation.EUNAVAILABLE},
		{"RefusedErrno", fmt.Errorf("dial: %w", syscall.ECONNREFUSED), participation.EUNAVAILABLE},
		{"NoSocket", noSocket, participation.EUNAVAILABLE},
		{"Reset", reset, participation.EUNAVAILABLE},
		{"BadConn", driver.ErrBadConn, participation.EUNAVAILABLE},
		{"AdminShutdown", &pq.Error{Code: "57P01"}, participation.EUNAVAILABLE},
		{"CrashShutdown", &pq.Error{Code: "57P02"}, participation.EUNAVAILABLE},
		{"StartingUp", &pq.Error{Code: "57P03"}, participation.EUNAVAILABLE},
		{"TooManyConnections", &pq.Error{Code: "53300"}, participation.EUNAVAILABLE},
		{"ConnectionFailure", &pq.Error{Code: "08006"}, participation.EUNAVAILABLE},
		{"CannotConnect", &pq.Error{Code: "08001"}, participation.EUNAVAILABLE},
		{"Unique", &pq.Error{Code: "23505"}, participation.ECONFLICT},
		{"ForeignKey", &pq.Error{Code: "23503"}, participation.EINVALID},
		{"NoRows", errNoRows, participation.ENOTFOUND},
		{"UndefinedTable", &pq.Error{Code: "42P01"}, participation.EINTERNAL},
		{"QueryCanceled", &pq.Error{Code: "57014"}, participation.EINTERNAL},
		{"Canceled", context.Canceled, participation.EINTERNAL},
		{"DeadlineExceeded", context.DeadlineExceeded, participation.EINTERNAL},
		{"Other", errors.New("something else"), participation.EINTERNAL},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := storeErr(c.err, "thing")
			if got := participation.ErrorCode(err); got != c.want {
				t.Fatalf("code %q (%v), want %q", got, err, c.want)
			}
			if c.want == participation.EUNAVAILABLE {
				// The cause stays in the chain and in the text, for the logs.
				if !errors.Is(err, c.err) || err.Error() == participation.ErrorMessage(err) {
					t.Errorf("the cause is lost: %v", err)
				}
				if again := storeErr(err, "outer"); participation.ErrorCode(again) != participation.EUNAVAILABLE {
					t.Errorf("marked again: %v", again)
				}
			}
		})
	}
	if storeErr(nil, "thing") != nil || unavailable(nil) != nil {
		t.Error("nil is an error")
	}
}
