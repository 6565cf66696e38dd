package docker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"

	"github.com/failover-lab/failover-lab/labs/cleanup"
)

// The Docker half of the lab's cleanup (labs/cleanup holds the owner
// labels and the process half): here, so that only the docker driver links
// a Docker client.

// RemoveByLabel force-removes the containers, then the networks, that
// carry the label (key=value).
func RemoveByLabel(ctx context.Context, cli client.APIClient, label string) error {
	f := filters.NewArgs(filters.Arg("label", label))
	cs, err := cli.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	if err != nil {
		return fmt.Errorf("list containers: %w", err)
	}
	ids := make([]string, 0, len(cs))
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	errs := []error{removeContainers(ctx, cli, ids)}
	nets, err := cli.NetworkList(ctx, network.ListOptions{Filters: f})
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("list networks: %w", err))...)
	}
	for _, n := range nets {
		if err := cli.NetworkRemove(ctx, n.ID); err != nil && !errdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("remove network %s: %w", n.Name, err))
		}
	}
	return errors.Join(errs...)
}

func removeContainers(ctx context.Context, cli client.APIClient, ids []string) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, id := range ids {
		wg.Go(func() {
			err := cli.ContainerRemove(ctx, id, container.RemoveOptions{Force: true, RemoveVolumes: true})
			if err != nil && !errdefs.IsNotFound(err) {
				mu.Lock()
				errs = append(errs, fmt.Errorf("remove container %.12s: %w", id, err))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Sweep removes what runs of dead processes left behind (a test binary
// killed with SIGKILL cannot clean up). Resources of live owners, on this
// host or another, are never touched: test binaries run side by side.
func Sweep(ctx context.Context, cli client.APIClient, log *slog.Logger) error {
	f := filters.NewArgs(filters.Arg("label", cleanup.LabelOwner))
	dead := map[string]bool{} // run ids of dead owners
	cs, err := cli.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	if err != nil {
		return fmt.Errorf("sweep: list containers: %w", err)
	}
	for _, c := range cs {
		if ownerDead(c.Labels[cleanup.LabelOwner]) {
			dead[c.Labels[cleanup.LabelRun]] = true
		}
	}
	nets, err := cli.NetworkList(ctx, network.ListOptions{Filters: f})
	if err != nil {
		return fmt.Errorf("sweep: list networks: %w", err)
	}
	for _, n := range nets {
		if ownerDead(n.Labels[cleanup.LabelOwner]) {
			dead[n.Labels[cleanup.LabelRun]] = true
		}
	}
	// Best effort: a run sweeping at the same time may be removing the same
	// leftovers; what fails now is retried by the next Start.
	for run := range dead {
		if err := RemoveByLabel(ctx, cli, cleanup.LabelRun+"="+run); err != nil {
			log.Warn("sweep", "run", run, "err", err)
		} else {
			log.Info("swept leftovers of a dead run", "run", run)
		}
	}
	return nil
}

func ownerDead(label string) bool {
	o, err := cleanup.ParseOwner(label)
	return err == nil && !o.Alive()
}
