package labs

import (
	"context"
	"github.com/failover-lab/failover-lab/labs/cleanup"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"github.com/testcontainers/testcontainers-go"
)

func requireDocker(t testing.TB) {
	t.Helper()
	if err := DockerAvailable(context.Background()); err != nil {
		t.Skipf("no Docker daemon answers (%v): the Docker driver is not tested here", err)
	}
}

// runResources lists the containers and networks labelled with a run id.
func runResources(t testing.TB, id string) []string {
	t.Helper()
	return resources(t, cleanup.LabelRun+"="+id)
}

// ownedResources lists the containers and networks this process owns.
func ownedResources(t testing.TB) []string {
	t.Helper()
	return resources(t, cleanup.LabelOwner+"="+cleanup.Self().String())
}

func resources(t testing.TB, label string) []string {
	ctx := context.Background()
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	f := filters.NewArgs(filters.Arg("label", label))
	cs, err := cli.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	nets, err := cli.NetworkList(ctx, network.ListOptions{Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, c := range cs {
		left = append(left, "container "+strings.Join(c.Names, ","))
	}
	for _, n := range nets {
		left = append(left, "network "+n.Name)
	}
	return left
}

func TestDockerDriver(t *testing.T) {
	requireDocker(t)
	// Build (or find cached) every image first: a run must add no image.
	for _, name := range []string{ImageProxy, ImageToxiproxy, ImageApp, ImageErrorPage} {
		if _, err := defaultBuildImage(context.Background(), name); err != nil {
			t.Fatal(err)
		}
	}
	before := imageIDs(t)
	testDriver(t, NewDockerDriver(), func(t *testing.T, r Run) []string {
		left := runResources(t, r.ID())
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
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
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
		// Cache images (labelled with their source hash) may be rebuilt by
		// test binaries running alongside; a run itself makes none at all.
		if _, cached := img.Labels["failover-lab.hash"]; !cached {
			ids[img.ID] = true
		}
	}
	return ids
}

// A test binary killed with SIGKILL leaves its containers behind; the next
// run sweeps them because their owner process is dead.
func TestDockerSweepsAfterSIGKILL(t *testing.T) {
	requireDocker(t)
	helper, line := startHelper(t, DriverDocker)
	id := strings.Fields(line)[1]
	if err := helper.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = helper.Wait()
	t.Cleanup(func() { // in case the sweep fails, leave nothing either
		_ = removeByLabelFromTest(id)
	})
	if left := runResources(t, id); len(left) == 0 {
		t.Fatalf("after SIGKILL of the helper: got nothing left of run %s, want its containers (the test proves nothing otherwise)", id)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := NewDockerDriver().Start(ctx, testTopology("t-sweeper"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)
	if left := runResources(t, id); len(left) > 0 {
		t.Fatalf("after a new run started: got %v of the killed run, want them swept", left)
	}
}

// SIGINT (Ctrl-C on `go test`) closes live runs before the process ends.
func TestDockerCleansUpOnSIGINT(t *testing.T) {
	requireDocker(t)
	helper, line := startHelper(t, DriverDocker)
	id := strings.Fields(line)[1]
	t.Cleanup(func() { _ = removeByLabelFromTest(id) })
	if err := helper.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := helper.Wait()
	if left := runResources(t, id); len(left) > 0 {
		t.Fatalf("after SIGINT of the helper (%v): got %v left, want nothing", err, left)
	}
	if ws, ok := helper.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
		t.Errorf("helper ended with %v, want death by SIGINT (the signal is raised again after cleanup)", helper.ProcessState)
	}
}

func removeByLabelFromTest(id string) error {
	ctx := context.Background()
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return err
	}
	defer cli.Close()
	return cleanup.RemoveByLabel(ctx, cli.Client, cleanup.LabelRun+"="+id)
}

// BenchmarkDockerStart measures Start of the three-container seed
// topology (proxy, app, errorpage; plus Toxiproxy) with images cached.
// Close is not timed.
func BenchmarkDockerStart(b *testing.B) {
	requireDocker(b)
	ctx := context.Background()
	d := NewDockerDriver()
	// Warm the image cache outside the timing.
	if r, err := d.Start(ctx, testTopology("b-warm"), nil); err != nil {
		b.Fatal(err)
	} else if err := r.Close(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	benchStart(b, ctx, d)
}
