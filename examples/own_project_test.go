// Package examples holds what a user copies; this test keeps them working.
package examples

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestOwnProject runs examples/own-project's own go test as its user
// would: from its directory, in its own module (its go.mod replaces this
// repository), with its own service, image and scenarios, on both
// drivers. Its output is the failure message.
func TestOwnProject(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the example's go test: builds and four scenario runs, minutes")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skipf("no go command: %v", err)
	}
	ctx := context.Background()
	inner := 15 * time.Minute
	if deadline, ok := t.Deadline(); ok {
		inner = time.Until(deadline) - 30*time.Second // room to report
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-10*time.Second))
		defer cancel()
	}
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir = "own-project"
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s in examples/own-project: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("mod", "tidy", "-diff") // its go.mod and go.sum are what go mod tidy leaves
	run("vet", "./...")
	out := run("test", "-count=1", "-v", "-timeout", inner.Round(time.Second).String(), "./...")
	want := []string{"process/service-crash", "process/link-cut"}
	if exec.Command("docker", "version").Run() == nil {
		want = append(want, "docker/service-crash", "docker/link-cut")
	}
	for _, name := range want {
		if !regexp.MustCompile(`--- PASS: TestFailover/` + name + ` `).MatchString(out) {
			t.Errorf("the example's go test passed without running %s (skipped?):\n%s", name, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "--- ") || strings.HasPrefix(line, "ok") {
			t.Log(line)
		}
	}
}
