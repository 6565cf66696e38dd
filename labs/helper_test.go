package labs

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/load"
)

// Helpers shared by the driver tests: child test binaries that start a run
// and wait to be killed, load through the proxy, and the start benchmark.

// execHelper re-executes the test binary as the helper test named test
// with env added, and returns it with the "RUN <id> <pids...>" line it
// prints (see announceRun) once its run is up.
func execHelper(t *testing.T, test, env string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.v")
	cmd.Env = append(os.Environ(), env)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "RUN ") {
				lines <- sc.Text()
				break
			}
		}
		close(lines)
	}()
	select {
	case line, ok := <-lines:
		if !ok {
			t.Fatal("helper ended without starting a run")
		}
		return cmd, line
	case <-time.After(2 * time.Minute):
		t.Fatal("helper did not start a run within 2 minutes")
	}
	return nil, ""
}

// announceRun prints "RUN <id> <pids...>" (pids of a process run only)
// for execHelper and blocks until the helper is killed.
func announceRun(r Run) {
	line := "RUN " + r.ID()
	if pr, ok := r.(*processRun); ok {
		for _, pid := range pr.PIDs() {
			line += " " + strconv.Itoa(pid)
		}
	}
	os.Stdout.WriteString(line + "\n")
	select {} // until SIGKILL
}

// startLoad sends 50 GET/s through url into led until the returned stop
// is called; stop waits for the load to end.
func startLoad(t *testing.T, ctx context.Context, url string, led *ledger.Ledger) (stop func()) {
	loadCtx, stopLoad := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		spec := load.Spec{Target: url, Rate: 50, Timeout: 3 * time.Second, FreshConns: 0.5}
		if err := load.Run(loadCtx, spec, led); err != nil {
			t.Errorf("load: %v", err)
		}
	})
	return func() { stopLoad(); wg.Wait() }
}

// benchStart times Start of the seed topology on d; Close is not timed.
func benchStart(b *testing.B, ctx context.Context, d Driver) {
	for b.Loop() {
		r, err := d.Start(ctx, testTopology("b-start"), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := r.Close(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
