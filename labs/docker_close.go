package labs

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"github.com/failover-lab/failover-lab/labs/cleanup"
	"io"
	"time"

	"github.com/docker/docker/api/types/container"
)

var containerStartOptions = container.StartOptions{}

// Close removes every container and the network of the run, found by the
// run label (so a container whose creation half failed goes too).
func (r *dockerRun) Close(ctx context.Context) error {
	r.closeOnce.Do(func() {
		r.markClosed()
		defer cleanup.Untrack(r)
		// Cleanup must run even when the caller's context is already done
		// (an interrupted test): bound it by its own deadline instead.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		err := cleanup.RemoveByLabel(ctx, r.cli.Client, cleanup.LabelRun+"="+r.id)
		r.cli.Close()
		if err != nil {
			r.closeErr = fmt.Errorf("close %s: %w", r.id, err)
		}
	})
	return r.closeErr
}

func randomToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("admin token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
