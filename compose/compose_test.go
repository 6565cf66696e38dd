package compose

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"

	"github.com/failover-lab/failover-lab/fixtures/app"
	"github.com/failover-lab/failover-lab/fixtures/images"
)

// project is not the demo's own "failover-lab", so the test never tears
// down a demo a user is running. The ports are the demo's fixed ones, so
// this test must not run in parallel with itself (nor with `make lab`): it
// skips when they are taken.
const project = "failover-lab-composetest"

const (
	proxyURL   = "http://127.0.0.1:8080"
	controlURL = "http://127.0.0.1:8081"
)

// TestDemoFailsOverAndRecovers is the demo's "done when", with the real
// compose tool: service answers; with a 500 on, failover answers and no
// client sees a 500; fixed, service answers again; down leaves nothing.
func TestDemoFailsOverAndRecovers(t *testing.T) {
	ctx := context.Background()
	if err := images.Available(ctx); err != nil {
		t.Skipf("skipped: the compose demo needs Docker: %v", err)
	}
	compose := composeCommand()
	if compose == nil {
		t.Skip("skipped: neither `docker compose` nor `docker-compose` is installed")
	}
	for _, addr := range []string{"127.0.0.1:8080", "127.0.0.1:9901", "127.0.0.1:8081"} {
		if l, err := net.Listen("tcp", addr); err != nil {
			t.Skipf("skipped: the demo's port %s is taken (is `make lab` running?): %v", addr, err)
		} else {
			l.Close()
		}
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
	if out, err := run("up", "-d"); err != nil {
		t.Fatalf("up: %v\n%s", err, out)
	}
	if err := waitHealthy(ctx, 90*time.Second); err != nil {
		logs, _ := run("logs", "--tail", "20")
		t.Fatalf("%v\n%s", err, logs)
	}

	if got := servedBy(t); got != "service" {
		t.Fatalf("before the break: served by %q, want service", got)
	}

	load := startLoad(ctx)
	load.waitFor(t, "service", 5*time.Second)
	control := app.Client{BaseURL: controlURL}
	if _, err := control.Apply(ctx, app.Fault{ID: "broken", Kind: app.KindStatus, Status: 500}); err != nil {
		load.stop()
		t.Fatal(err)
	}
	load.waitFor(t, "failover", 15*time.Second)
	time.Sleep(2 * time.Second) // keep the fault on under load: this is the window in which a 500 would leak

	if err := control.ClearAll(ctx); err != nil {
		load.stop()
		t.Fatal(err)
	}
	fixed := time.Now()
	// Back within the health interval (5 s) plus the hold-down (5 s), with slack for 2 busy cores.
	load.waitFor(t, "service", 20*time.Second)
	t.Logf("traffic back on service %v after the fix", time.Since(fixed).Round(100*time.Millisecond))
	seen := load.stop()
	for key, n := range seen {
		t.Logf("seen %-16s %d", key, n)
		if strings.HasPrefix(key, "500") || strings.HasPrefix(key, "error") {
			t.Errorf("a client saw %s (%d times); want no 500 and no error", key, n)
		}
	}

	if out, err := run("down", "-v", "--remove-orphans"); err != nil {
		t.Fatalf("down: %v\n%s", err, out)
	}
	assertNothingLeft(t, ctx)
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

func projectFilter() filters.Args {
	return filters.NewArgs(filters.Arg("label", "com.docker.compose.project="+project))
}

// waitHealthy polls until the project's three containers report healthy.
func waitHealthy(ctx context.Context, within time.Duration) error {
	cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	var last string
	for {
		list, err := cli.ContainerList(ctx, container.ListOptions{All: true, Filters: projectFilter()})
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

func servedBy(t *testing.T) string {
	t.Helper()
	resp, err := http.Get(proxyURL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET /: got %d, want 200", resp.StatusCode)
	}
	return resp.Header.Get("X-Served-By")
}

// load sends GET / every 50 ms from one goroutine it owns and counts what
// each answer was ("200 service", "error ...").
type load struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	seen   map[string]int
	last   string // served by of the last answer
}

func startLoad(ctx context.Context) *load {
	ctx, cancel := context.WithCancel(ctx)
	l := &load{cancel: cancel, seen: map[string]int{}}
	client := &http.Client{Timeout: 15 * time.Second}
	l.wg.Go(func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			key, by := get(ctx, client)
			if ctx.Err() != nil {
				return // a request cut short by stop is not something a client saw
			}
			l.mu.Lock()
			l.seen[key]++
			l.last = by
			l.mu.Unlock()
		}
	})
	return l
}

func get(ctx context.Context, client *http.Client) (key, servedBy string) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, proxyURL+"/", nil)
	resp, err := client.Do(req)
	if err != nil {
		return "error " + err.Error(), ""
	}
	resp.Body.Close()
	by := resp.Header.Get("X-Served-By")
	return fmt.Sprintf("%d %s", resp.StatusCode, by), by
}

// waitFor polls until the last answer came from node.
func (l *load) waitFor(t *testing.T, node string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		l.mu.Lock()
		last := l.last
		l.mu.Unlock()
		if last == node {
			return
		}
		if time.Now().After(deadline) {
			seen := l.stop()
			t.Fatalf("no answer from %s within %v (last from %q; seen %v)", node, within, last, seen)
		}
		time.Sleep(50 * time.Millisecond) // poll interval
	}
}

// stop ends the load and returns what it saw.
func (l *load) stop() map[string]int {
	l.cancel()
	l.wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seen
}

// assertNothingLeft wants no container and no network of the project.
func assertNothingLeft(t *testing.T, ctx context.Context) {
	t.Helper()
	cli := dockerClient(t)
	cs, err := cli.ContainerList(ctx, container.ListOptions{All: true, Filters: projectFilter()})
	if err != nil {
		t.Fatal(err)
	}
	ns, err := cli.NetworkList(ctx, network.ListOptions{Filters: projectFilter()})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 0 || len(ns) != 0 {
		t.Errorf("after down: %d containers and %d networks of project %s left, want none", len(cs), len(ns), project)
	}
}
