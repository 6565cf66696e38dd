package drivers

import (
	"context"
	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/cleanup"
	"github.com/failover-lab/failover-lab/labs/drivers/docker"
	"github.com/failover-lab/failover-lab/labs/drivers/drivertest"
	"github.com/failover-lab/failover-lab/labs/products"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/docker/docker/api/types/image"

	"github.com/docker/docker/client"
	"github.com/failover-lab/failover-lab/fixtures/images"
)

func TestDockerDriver(t *testing.T) {
	drivertest.RequireDocker(t)
	// Build (or find cached) every image first: a run must add no image.
	for _, name := range []string{products.ImageProxy, docker.ImageToxiproxy, docker.ImageApp, docker.ImageErrorPage} {
		if _, err := labs.BuildImage(context.Background(), name); err != nil {
			t.Fatal(err)
		}
	}
	before := imageIDs(t)
	drivertest.Exercise(t, docker.New(), func(t *testing.T, r labs.Run) []string {
		left := drivertest.RunResources(t, r.ID())
		for id := range imageIDs(t) {
			if !before[id] {
				left = append(left, "image "+id)
			}
		}
		return left
	})
}

func imageIDs(t testing.TB) map[string]bool {
	t.Helper()
	ctx := context.Background()
	cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation()) // the local engine, as docker.New()'s
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	imgs, err := cli.ImageList(ctx, image.ListOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, img := range imgs {
		// The project's images (labelled failover-lab.image by
		// fixtures/images) may be rebuilt by test binaries running
		// alongside; a run itself makes none at all.
		if _, built := img.Labels[images.LabelImage]; !built {
			ids[img.ID] = true
		}
	}
	return ids
}

// A test binary killed with SIGKILL leaves its containers behind; the next
// run sweeps them because their owner process is dead.
func TestDockerSweepsAfterSIGKILL(t *testing.T) {
	drivertest.RequireDocker(t)
	helper, line := startHelper(t, docker.Name)
	id := strings.Fields(line)[1]
	if err := helper.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = helper.Wait()
	t.Cleanup(func() { // in case the sweep fails, leave nothing either
		_ = removeByLabelFromTest(id)
	})
	if left := drivertest.RunResources(t, id); len(left) == 0 {
		t.Fatalf("after SIGKILL of the helper: got nothing left of run %s, want its containers (the test proves nothing otherwise)", id)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := docker.New().Start(ctx, drivertest.Topology("t-sweeper"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)
	if left := drivertest.RunResources(t, id); len(left) > 0 {
		t.Fatalf("after a new run started: got %v of the killed run, want them swept", left)
	}
}

// SIGINT (Ctrl-C on `go test`) closes live runs before the process ends.
func TestDockerCleansUpOnSIGINT(t *testing.T) {
	drivertest.RequireDocker(t)
	helper, line := startHelper(t, docker.Name)
	id := strings.Fields(line)[1]
	t.Cleanup(func() { _ = removeByLabelFromTest(id) })
	if err := helper.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := helper.Wait()
	if left := drivertest.RunResources(t, id); len(left) > 0 {
		t.Fatalf("after SIGINT of the helper (%v): got %v left, want nothing", err, left)
	}
	if ws, ok := helper.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
		t.Errorf("helper ended with %v, want death by SIGINT (the signal is raised again after cleanup)", helper.ProcessState)
	}
}

func removeByLabelFromTest(id string) error {
	ctx := context.Background()
	cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation()) // the local engine, as docker.New()'s
	if err != nil {
		return err
	}
	defer cli.Close()
	return cleanup.RemoveByLabel(ctx, cli, cleanup.LabelRun+"="+id)
}

// BenchmarkDockerStart measures Start of the three-container seed
// topology (proxy, app, errorpage; plus Toxiproxy) with images cached.
// Close is not timed.
func BenchmarkDockerStart(b *testing.B) {
	drivertest.RequireDocker(b)
	ctx := context.Background()
	d := docker.New()
	// Warm the image cache outside the timing.
	if r, err := d.Start(ctx, drivertest.Topology("b-warm"), nil); err != nil {
		b.Fatal(err)
	} else if err := r.Close(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	drivertest.BenchStart(b, ctx, d)
}
