package docker

import (
	"context"
	"time"

	"github.com/docker/docker/client"

	"github.com/failover-lab/failover-lab/labs/faults"
)

// exitSeen reports a container's exit as the engine recorded it
// (State.FinishedAt) when it came after began: the instant the node was
// gone, however long the daemon took to answer (1.84 s for a kill on a
// loaded 2-core machine). An exit before began is an older one: the
// container survived the signal, or the engine's clock is behind ours;
// nothing is reported then, and the apply mark stays where it was.
func exitSeen(ctx context.Context, cli client.APIClient, id string, began time.Time) {
	info, err := cli.ContainerInspect(ctx, id)
	if err != nil || info.ContainerJSONBase == nil || info.State == nil {
		return
	}
	at, err := time.Parse(time.RFC3339Nano, info.State.FinishedAt)
	if err != nil || at.Before(began) {
		return
	}
	faults.TookHold(ctx, at)
}
