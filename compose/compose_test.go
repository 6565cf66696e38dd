package compose

import (
	"context"
	"fmt"
	composedriver "github.com/failover-lab/failover-lab/labs/drivers/compose"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"

	"github.com/failover-lab/failover-lab/fixtures/images"
	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/expect"
	"github.com/failover-lab/failover-lab/labs/report"
	"github.com/failover-lab/failover-lab/labs/runner"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

// project is not the demo's own "failover-lab", so the test never tears
// down a demo a user is running. The ports are the demo's fixed ones, so
// this test must not run in parallel with itself (nor with `make lab`): it
// skips when they are taken.
const project = "failover-lab-composetest"

// TestDemoFailsOverAndRecovers is the demo's "done when", with the real
// compose tool: the seed scenario (scenarios/seed-story.yaml) runs through
// the scenario engine against the running demo, attached by compose
// service name, and every expectation holds (no client sees the 500, the
// error page takes over at once, traffic returns after the fix); down then
// leaves nothing of the project.
func TestDemoFailsOverAndRecovers(t *testing.T) {
	ctx := context.Background()
	if err := images.Available(ctx); err != nil {
		t.Skipf("skipped: the compose demo needs Docker: %v", err)
	}
	compose := composeCommand()
	if compose == nil {
		t.Skip("skipped: neither `docker compose` nor `docker-compose` is installed (apt-get install docker-compose)")
	}
	for _, addr := range []string{"127.0.0.1:8080", "127.0.0.1:9901", "127.0.0.1:8081"} {
		if l, err := net.Listen("tcp", addr); err != nil {
			t.Skipf("skipped: the demo's port %s is taken (is `make lab` running?): %v", addr, err)
		} else {
			l.Close()
		}
	}
	s, err := scenario.ParseFile(seedScenario)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"app", "errorpage", "proxy"} {
		if _, err := images.Build(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) (string, error) {
		cmd := exec.Command(compose[0], append(append(compose[1:], "-p", project, "-f", "lab.yml"), args...)...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	t.Cleanup(func() {
		if out, err := run("down", "-v", "--remove-orphans"); err != nil {
			t.Errorf("down: %v\n%s", err, out)
		}
	})
	began := time.Now()
	if out, err := run("up", "-d"); err != nil {
		t.Fatalf("up: %v\n%s", err, out)
	}
	if err := waitHealthy(ctx, project, 90*time.Second); err != nil {
		logs, _ := run("logs", "--tail", "20")
		t.Fatalf("%v\n%s", err, logs)
	}
	t.Logf("up and healthy in %v", time.Since(began).Round(100*time.Millisecond))

	runScenario(t, ctx, s, &composedriver.Driver{Project: project})

	if out, err := run("down", "-v", "--remove-orphans"); err != nil {
		t.Fatalf("down: %v\n%s", err, out)
	}
	assertNothingLeft(t, ctx, project)
}

// seedScenario is the story the demo tells, as the scenario library has it.
const seedScenario = "../scenarios/seed-story.yaml"

// runScenario runs s on d and requires every expectation to hold, reporting
// as go test ./scenarios/... does.
func runScenario(t *testing.T, ctx context.Context, s *scenario.Scenario, d labs.Driver) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, s.EndAt()+time.Minute)
	defer cancel()
	r := runner.Run(ctx, s, d, runner.Options{Progress: func(line string) { t.Log(line) }})
	if r.Err != nil {
		t.Fatalf("%s on %s: %v", s.File, d.Name(), r.Err)
	}
	for _, res := range r.Results {
		if res.HasFigure {
			t.Logf("%s: %s", res.Name(), res.Measured)
		}
	}
	for _, res := range expect.Failed(r.Results) {
		t.Error("\n" + report.Failure(s, r.Ledger, res))
	}
}

// composeCommand is the v2 plugin when present, else docker-compose (as the Makefile picks).
func composeCommand() []string {
	if exec.Command("docker", "compose", "version").Run() == nil {
		return []string{"docker", "compose"}
	}
	if exec.Command("docker-compose", "version").Run() == nil {
		return []string{"docker-compose"}
	}
	return nil
}

func dockerClient(t *testing.T) *client.Client {
	t.Helper()
	cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

func projectFilter(project string) filters.Args {
	return filters.NewArgs(filters.Arg("label", "com.docker.compose.project="+project))
}

// waitHealthy polls until the project's three containers report healthy.
func waitHealthy(ctx context.Context, project string, within time.Duration) error {
	cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	var last string
	for {
		list, err := cli.ContainerList(ctx, container.ListOptions{All: true, Filters: projectFilter(project)})
		healthy := 0
		last = ""
		for _, c := range list {
			last += fmt.Sprintf(" %s: %s;", strings.Join(c.Names, ","), c.Status)
			if strings.Contains(c.Status, "(healthy)") {
				healthy++
			}
		}
		if err == nil && len(list) == 3 && healthy == 3 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("not healthy within %v:%s", within, last)
		case <-time.After(500 * time.Millisecond): // poll interval
		}
	}
}

// assertNothingLeft wants no container and no network of the project.
func assertNothingLeft(t *testing.T, ctx context.Context, project string) {
	t.Helper()
	cli := dockerClient(t)
	cs, err := cli.ContainerList(ctx, container.ListOptions{All: true, Filters: projectFilter(project)})
	if err != nil {
		t.Fatal(err)
	}
	ns, err := cli.NetworkList(ctx, network.ListOptions{Filters: projectFilter(project)})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 0 || len(ns) != 0 {
		t.Errorf("after down: %d containers and %d networks of project %s left, want none", len(cs), len(ns), project)
	}
}
