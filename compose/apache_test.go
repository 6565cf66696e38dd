package compose

import (
	"context"
	"net"
	"net/http"
	"os/exec"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/fixtures/app"
	"github.com/failover-lab/failover-lab/fixtures/images"
)

// apacheProject is not make lab-apache's own "failover-lab-apache", so the
// test never tears down a demo a user is running (the ports are the same:
// it skips when they are taken).
const apacheProject = "failover-lab-apachetest"

// TestApacheDemoTellsTheSeedStory is `make lab-apache` with the real
// compose tool: the seed's three Apaches come up healthy; with the PHP
// page broken, Apache hands exactly one client the 500 that trips
// failonstatus and then serves error.html from the +H standby; after the
// fix the service is back within one check interval (5 s); down leaves
// nothing of the project.
func TestApacheDemoTellsTheSeedStory(t *testing.T) {
	ctx := context.Background()
	if err := images.Available(ctx); err != nil {
		t.Skipf("skipped: the Apache demo needs Docker: %v", err)
	}
	compose := composeCommand()
	if compose == nil {
		t.Skip("skipped: neither `docker compose` nor `docker-compose` is installed (apt-get install docker-compose)")
	}
	for _, addr := range []string{"127.0.0.1:8090", "127.0.0.1:8091"} {
		if l, err := net.Listen("tcp", addr); err != nil {
			t.Skipf("skipped: the Apache demo's port %s is taken (is `make lab-apache` running?): %v", addr, err)
		} else {
			l.Close()
		}
	}
	if _, err := images.Build(ctx, images.ProductsName); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, error) {
		cmd := exec.Command(compose[0], append(append(compose[1:], "-p", apacheProject, "-f", "apache.yml"), args...)...)
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
	if err := waitHealthy(ctx, apacheProject, 90*time.Second); err != nil {
		logs, _ := run("logs", "--tail", "20")
		t.Fatalf("%v\n%s", err, logs)
	}

	if status, by := get(t); status != 200 || by != "service" {
		t.Fatalf("before the fault: got %d from %q, want 200 from service", status, by)
	}
	control := app.Client{BaseURL: "http://127.0.0.1:8091"}
	if _, err := control.Apply(ctx, app.Fault{ID: "lab", Kind: app.KindStatus, Status: 500}); err != nil {
		t.Fatal(err)
	}
	// 40 requests, one after the other, for at least 2 s: one 500, then the standby.
	leaked, fromStandby := 0, 0
	for range 40 {
		status, by := get(t)
		switch {
		case status == 500 && by == "service":
			leaked++
		case status == 200 && by == "failover":
			fromStandby++
		default:
			t.Errorf("while broken: got %d from %q, want a 500 from service or a 200 from failover", status, by)
		}
		time.Sleep(50 * time.Millisecond) // pacing the requests, not waiting for readiness
	}
	if leaked != 1 || fromStandby != 39 {
		t.Errorf("while broken: got %d 500s from service and %d answers from failover, want 1 and 39", leaked, fromStandby)
	}
	if err := control.Clear(ctx, "lab"); err != nil {
		t.Fatal(err)
	}
	fixed := time.Now()
	for {
		if status, by := get(t); status == 200 && by == "service" {
			t.Logf("back on service %v after the fix", time.Since(fixed).Round(10*time.Millisecond))
			break
		}
		if time.Since(fixed) > 7*time.Second { // one 5 s check, with room for a loaded machine
			t.Fatalf("not back on service within 7 s of the fix")
		}
		time.Sleep(100 * time.Millisecond) // poll interval
	}
	if out, err := run("down", "-v", "--remove-orphans"); err != nil {
		t.Fatalf("down: %v\n%s", err, out)
	}
	assertNothingLeft(t, ctx, apacheProject)
}

// get sends one GET through the demo's Apache and returns the status and
// who answered.
func get(t *testing.T) (int, string) {
	t.Helper()
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get("http://127.0.0.1:8090/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("X-Served-By")
}
