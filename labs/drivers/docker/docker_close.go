package docker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"github.com/failover-lab/failover-lab/labs/cleanup"
	"github.com/failover-lab/failover-lab/labs/load/agent"
	"time"

	"github.com/docker/docker/api/types/container"
)

var containerStartOptions = container.StartOptions{}

// Close removes every container and the network of the run, found by the
// run label (so a container whose creation half failed goes too).
func (r *dockerRun) Close(ctx context.Context) error {
	return r.CloseOnce(ctx, 30*time.Second, func(ctx context.Context) error {
		defer cleanup.Untrack(r)
		defer r.cli.Close()
		r.mu.Lock()
		b := r.beside
		var c *agent.Client
		if b != nil {
			c = b.client
		}
		r.mu.Unlock()
		if b != nil {
			b.close(ctx, c)
		}
		return RemoveByLabel(ctx, r.cli, cleanup.LabelRun+"="+r.ID())
	})
}

func randomToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("admin token: %w", err)
	}
	return hex.EncodeToString(b), nil
}
