// Package cli is failover-proxy's command line, a package of its own so
// that two binaries carry it: proxy/cmd/failover-proxy and the lab's
// multi-call binary (`lab serve failover-proxy ...`, labs/multicall).
//
//	failover-proxy -config proxy.yaml           run from a file
//	failover-proxy -check proxy.yaml            validate, exit 1 on error
//	failover-proxy -listen 127.0.0.1:8080 -primary http://127.0.0.1:9001 -standby http://127.0.0.1:9002
//	failover-proxy healthcheck URL              container health check
//	failover-proxy version                      module version, commit, Go version
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/failover-lab/failover-lab/proxy/buildinfo"
	"github.com/failover-lab/failover-lab/proxy/config"
)

// Main runs failover-proxy with args (without the program name) and
// returns its exit code: 0 done, 1 a check or the server failed, 2 bad
// usage.
func Main(args []string, stdout, stderr io.Writer) int { return run(args, stdout, stderr) }

func newFlagSet(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("failover-proxy", flag.ContinueOnError)
	o.register(fs)
	return fs
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "healthcheck" {
		return healthcheck(args[1:], stderr)
	}
	if len(args) > 0 && args[0] == "version" {
		buildinfo.Read().Print(stdout, "failover-proxy")
		return 0
	}
	var o options
	fs := newFlagSet(&o)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "failover-proxy: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if o.check != "" {
		if _, err := config.Load(o.check); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "%s: ok\n", o.check)
		return 0
	}
	cfg, err := o.load(fs)
	if err != nil {
		fmt.Fprintf(stderr, "failover-proxy: %v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var reload func() (*config.Config, error)
	if o.configFile != "" {
		reload = func() (*config.Config, error) { return o.load(fs) }
	}
	if err := serve(ctx, cfg, reload, stderr, nil); err != nil {
		fmt.Fprintf(stderr, "failover-proxy: %v\n", err)
		return 1
	}
	return 0
}
