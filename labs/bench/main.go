package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/failover-lab/failover-lab/labs/products"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

func main() {
	var o options
	flag.DurationVar(&o.d, "d", 5*time.Second, "load duration per proxy and round")
	flag.IntVar(&o.conns, "c", 32, "concurrent keep-alive connections of the rounds")
	flag.IntVar(&o.rounds, "rounds", 3, "rounds, each loading every proxy once, in a rotated order")
	flag.IntVar(&o.many, "many", 1000, "connections of the round that measures each proxy's RSS (0: no such round)")
	kinds := flag.String("kinds", strings.Join([]string{string(vocab.ProxyBuiltin), string(vocab.ProxyNginx), string(vocab.ProxyHAProxy), string(vocab.ProxyApache)}, ","),
		"proxy kinds to compare, the first is the reference")
	flag.Parse()
	o.kinds = strings.Split(*kinds, ",")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type options struct {
	kinds         []string
	d             time.Duration
	conns, rounds int
	many          int
}

func run(ctx context.Context, w io.Writer, o options) error {
	pin := choosePinning()
	load, tool := wrkLoad(pin.wrkPrefix()...), "wrk -t1"
	if _, err := wrkPath(); err != nil {
		load, tool = goLoad, "a Go loop of keep-alive clients (wrk not installed: apt-get install wrk)"
	}
	fmt.Fprintf(w, "failover-proxy vs other proxies as their users run them (nginx worker_processes auto, HAProxy default threads,\n"+
		"Apache with Debian's mpm_event settings), each in front of its own app node on 127.0.0.1; load: %s\n%s\n", tool, pin.why)
	proxy, err := buildProxy(ctx)
	if err != nil {
		return err
	}
	defer os.RemoveAll(filepath.Dir(proxy))
	targets, err := startAll(ctx, w, append(o.kinds, rowDirect), pin, proxy)
	defer func() {
		for _, t := range targets {
			t.run.Close(context.WithoutCancel(ctx))
		}
	}()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%d rounds of %s at %d connections, each proxy once per round in a rotated order:\n", o.rounds, o.d, o.conns)
	rounds := make([][]row, 0, o.rounds)
	for r := range o.rounds {
		byKind := make([]row, len(targets))
		for i := range targets {
			j := (i + r) % len(targets) // rotate: nobody always runs first or last
			res, err := targets[j].measure(ctx, load, o.d, o.conns, false)
			if err != nil {
				return fmt.Errorf("round %d: %s: %w", r+1, targets[j].kind, err)
			}
			byKind[j] = res
		}
		rounds = append(rounds, byKind)
	}
	writeRounds(w, rounds)
	if o.many <= 0 {
		return nil
	}
	fmt.Fprintf(w, "\n%d connections for %s, peak RSS of each proxy's process group (its master and workers;\n"+
		"direct: the app alone, a Go net/http server, the floor under a proxy built on net/http):\n", o.many, o.d)
	var many []row
	for _, t := range targets {
		res, err := t.measure(ctx, load, o.d, o.many, true)
		if err != nil {
			return fmt.Errorf("%d connections: %s: %w", o.many, t.kind, err)
		}
		many = append(many, res)
	}
	writeMany(w, many)
	return nil
}

// startAll starts every kind (skipping those not installed) and pins it.
func startAll(ctx context.Context, w io.Writer, kinds []string, pin pinning, proxy string) ([]*target, error) {
	var out []*target
	for _, kind := range kinds {
		t, err := start(ctx, kind, proxy)
		switch {
		case errors.Is(err, products.ErrNotInstalled):
			fmt.Fprintf(w, "  %-8s skipped: %v\n", kind, err)
			continue
		case err != nil:
			return out, fmt.Errorf("%s: %w", kind, err)
		}
		out = append(out, t)
		if err := pin.apply(t); err != nil {
			return out, err
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no proxy could be started")
	}
	return out, nil
}

// buildProxy builds failover-proxy as `make build` does (static, from this
// module: the bench runs with go run) into a temporary directory.
func buildProxy(ctx context.Context) (string, error) {
	dir, err := os.MkdirTemp("", "bench-proxy-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "failover-proxy")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/failover-lab/failover-lab/proxy/cmd/failover-proxy")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("build failover-proxy: %w\n%s", err, out)
	}
	return bin, nil
}
