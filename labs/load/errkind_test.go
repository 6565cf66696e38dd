package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

func TestErrKind(t *testing.T) {
	opErr := func(op string, err error) error {
		return &net.OpError{Op: op, Net: "tcp", Err: os.NewSyscallError(op, err)}
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"refused", opErr("connect", syscall.ECONNREFUSED), ledger.ErrRefused},
		{"reset", opErr("read", syscall.ECONNRESET), ledger.ErrReset},
		{"broken pipe", opErr("write", syscall.EPIPE), ledger.ErrReset},
		{"eof", fmt.Errorf("get: %w", io.EOF), ledger.ErrReset},
		{"unexpected eof", io.ErrUnexpectedEOF, ledger.ErrReset},
		{"deadline", fmt.Errorf("get: %w", context.DeadlineExceeded), ledger.ErrTimeout},
		{"net timeout", &net.OpError{Op: "dial", Err: os.ErrDeadlineExceeded}, ledger.ErrTimeout},
		{"other", errors.New("malformed HTTP response"), ledger.ErrOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrKind(tt.err); got != tt.want {
				t.Errorf("ErrKind(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}
