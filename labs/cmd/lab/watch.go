package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/load"
)

func init() {
	verbs["watch"] = verb{run: runWatch, usage: "watch [-rate 20] [-for DURATION] [-timeout 1s] [-nodes service,failover,proxy] [-ledger FILE] URL  live view of who answers, second by second"}
}

func runWatch(ctx context.Context, args []string) error {
	return watchTo(ctx, args, os.Stdout)
}

// watchOpts are the flags of lab watch.
type watchOpts struct {
	url     string
	rate    int
	dur     time.Duration
	timeout time.Duration
	nodes   []string
	ledger  string
}

func parseWatch(args []string, stderr io.Writer) (watchOpts, error) {
	var o watchOpts
	fs := newFlags("watch", stderr)
	fs.IntVar(&o.rate, "rate", 20, "requests per second")
	fs.DurationVar(&o.dur, "for", 0, "stop after this long (default: until Ctrl-C)")
	fs.DurationVar(&o.timeout, "timeout", time.Second, "per-request timeout")
	nodes := fs.String("nodes", "service,failover,proxy", "columns shown from the start (others appear when they answer)")
	fs.StringVar(&o.ledger, "ledger", "", "write every request as JSON lines to this file at the end")
	// Flags may come before or after the URL.
	if err := fs.parse(args); err != nil {
		return o, err
	}
	if fs.NArg() == 0 {
		return o, fmt.Errorf("%w: missing URL", errUsage)
	}
	o.url = fs.Arg(0)
	if err := fs.parse(fs.Args()[1:]); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("%w: one URL, flags before or after it", errUsage)
	}
	u, err := url.Parse(o.url)
	if err != nil {
		return o, fmt.Errorf("%w: url: %w", errUsage, err)
	}
	if err := load.CheckLoopback(u); err != nil {
		return o, fmt.Errorf("%w: %w", errUsage, err)
	}
	if o.rate <= 0 {
		return o, fmt.Errorf("%w: -rate: must be > 0 (got %d)", errUsage, o.rate)
	}
	for n := range strings.SplitSeq(*nodes, ",") {
		if n = strings.TrimSpace(n); n != "" {
			o.nodes = append(o.nodes, n)
		}
	}
	return o, nil
}

// watchTo runs lab watch writing to out: redrawn with colors when out is a
// terminal, plain lines without any escape code otherwise.
func watchTo(ctx context.Context, args []string, out io.Writer) error {
	o, err := parseWatch(args, os.Stderr)
	if err != nil {
		return err
	}
	tty := isTerminal(out)
	l := ledger.New(time.Now())
	w := newWatcher(out, tty, tty && os.Getenv("NO_COLOR") == "", l, newView(firstDue(l.Start(), o.rate), o.rate, o.nodes))
	fmt.Fprintf(out, "watching %s at %d/s (timeout %s)%s\n", o.url, o.rate, o.timeout, untilText(o.dur))

	spec := load.Spec{Target: o.url, Rate: o.rate, Duration: o.dur, Timeout: o.timeout}
	done := make(chan error, 1)
	go func() { done <- load.Run(ctx, spec, l) }()

	ticker := time.NewTicker(tickEvery(tty))
	defer ticker.Stop()
	for {
		select {
		case now := <-ticker.C:
			w.tick(now)
		case err := <-done:
			w.flush()
			if err != nil {
				return err
			}
			return writeLedger(o.ledger, l)
		}
	}
}

// firstDue is when the first request is due (load sends request k at
// start + (k+1)/rate): the view's clock starts there, so each full second
// holds exactly rate requests instead of rate-1 and a straggler.
func firstDue(start time.Time, rate int) time.Time {
	return start.Add(time.Second / time.Duration(rate))
}

func untilText(d time.Duration) string {
	if d == 0 {
		return ", Ctrl-C to stop"
	}
	return " for " + d.String()
}

// tickEvery: a terminal redraws the running second four times a second;
// plain output only needs to notice each second's end promptly.
func tickEvery(tty bool) time.Duration {
	if tty {
		return 250 * time.Millisecond
	}
	return 100 * time.Millisecond
}

// isTerminal reports whether w is a character device (a terminal), not a
// pipe or a file.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("TERM") == "dumb" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func writeLedger(path string, l *ledger.Ledger) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write ledger: %w", err)
	}
	if err := l.WriteJSONL(f); err != nil {
		f.Close()
		return err
	}
	return errors.Join(f.Close())
}
