package load

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// ErrKind classifies the error of a request that got no HTTP answer into
// one of the ledger's kinds. It looks at the Go error chain, not its text.
func ErrKind(err error) string {
	var netErr net.Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, syscall.ECONNREFUSED):
		return ledger.ErrRefused
	case errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &netErr) && netErr.Timeout():
		return ledger.ErrTimeout
	case errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNABORTED),
		errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.EOF),
		errors.Is(err, io.ErrUnexpectedEOF):
		return ledger.ErrReset
	default:
		return ledger.ErrOther
	}
}
