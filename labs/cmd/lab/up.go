package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/failover-lab/failover-lab/labs/drivers/process"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/failover-lab/failover-lab/labs"
)

func init() {
	verbs["up"] = verb{run: runUp, usage: "up [-proxy 127.0.0.1:8080] [-admin 127.0.0.1:9901] [-control 127.0.0.1:8081]  the three-node demo as local processes (no Docker), until Ctrl-C"}
}

// newUpDriver is the driver lab up starts the demo with; tests swap it.
var newUpDriver = func() labs.Driver { return &process.Driver{Carrier: self()} }

// upOpts are the fixed addresses the demo should answer on.
type upOpts struct {
	proxy, admin, control string
}

func runUp(ctx context.Context, args []string) error {
	var o upOpts
	fs := newFlags("up", os.Stderr)
	fs.StringVar(&o.proxy, "proxy", "127.0.0.1:8080", "address of the proxy's traffic port")
	fs.StringVar(&o.admin, "admin", "127.0.0.1:9901", "address of the proxy's admin page")
	fs.StringVar(&o.control, "control", "127.0.0.1:8081", "address of the service's fault-control API")
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: no arguments expected (got %q)", errUsage, fs.Args())
	}
	return up(ctx, o, newUpDriver(), os.Stdout)
}

// demoTopology is the seed's setup: the PHP-like service as the primary and
// an error page answering 200 as the hot standby, the proxy checking every
// 5 s (the proxy's defaults).
func demoTopology() vocab.Topology {
	return vocab.Topology{
		Name: "demo",
		Nodes: []vocab.Node{
			{Name: "service", Fixture: vocab.FixtureApp, Role: vocab.RolePrimary},
			{Name: "failover", Fixture: vocab.FixtureErrorPage, Role: vocab.RoleStandby, Args: []string{"-status", "200"}},
		},
	}
}

// up starts the demo, exposes it on o's addresses, prints what to try and
// waits for ctx; then it stops everything it started.
func up(ctx context.Context, o upOpts, d labs.Driver, out io.Writer) (err error) {
	fmt.Fprintf(out, "starting the demo with the %s driver (the first start builds the binaries)...\n", d.Name())
	run, err := d.Start(ctx, demoTopology(), nil)
	if err != nil {
		return err // already "start demo: ..."
	}
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			err = errors.Join(err, c.Close())
		}
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		err = errors.Join(err, run.Close(cctx))
		fmt.Fprintln(out, "demo stopped, everything it started is gone")
	}()

	proxy, c, err := expose(o.proxy, run.ProxyURL(), out)
	if err != nil {
		return err
	}
	closers = append(closers, c)
	admin, c, err := expose(o.admin, run.AdminURL(), out)
	if err != nil {
		return err
	}
	closers = append(closers, c)
	control, c, err := serveShim(o.control, newFaultShim(run, "service"), out)
	if err != nil {
		return err
	}
	closers = append(closers, c)

	printGuide(out, proxy, admin, control, run.NodeURL("service"))
	<-ctx.Done()
	fmt.Fprintln(out, "stopping...")
	return nil
}

// expose forwards addr to the run's URL; when addr is taken it says so and
// hands out the run's own URL instead.
func expose(addr, runURL string, out io.Writer) (string, io.Closer, error) {
	u, err := url.Parse(runURL)
	if err != nil {
		return "", nil, fmt.Errorf("expose %s: %w", runURL, err)
	}
	f, err := forward(addr, u.Host)
	if err != nil {
		fmt.Fprintf(out, "  (%s is taken: using %s)\n", addr, u.Host)
		return "http://" + u.Host, nopCloser{}, nil
	}
	return "http://" + f.Addr(), f, nil
}

// serveShim serves h on addr, or on a free port when addr is taken.
func serveShim(addr string, h http.Handler, out io.Writer) (string, io.Closer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(out, "  (%s is taken: using a free port)\n", addr)
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			return "", nil, fmt.Errorf("control api: %w", err)
		}
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }() // ends when Close is called
	return "http://" + ln.Addr().String(), srv, nil
}

func printGuide(out io.Writer, proxy, admin, control, service string) {
	fmt.Fprintf(out, `
the demo is up: proxy → service (app, primary) / failover (errorpage 200, hot standby)

  open      %[1]s/             the page, through the proxy
  admin     %[2]s/             members, state and cause; %[2]s/metrics
  watch     go run ./labs/cmd/lab watch %[1]s/
  service   %[4]s/             the service itself, bypassing the proxy

  break     curl -X POST %[3]s/faults -d '{"id":"broken","kind":"status","status":500}'
  fix       curl -X DELETE %[3]s/faults
  (other kinds: latency, hang, reset, truncate, health — see %[3]s/)

Ctrl-C stops the demo and removes everything it started.
`, proxy, admin, control, service)
}

type nopCloser struct{}

func (nopCloser) Close() error { return nil }
