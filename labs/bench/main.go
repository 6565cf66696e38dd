package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/failover-lab/failover-lab/labs/products"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	d := flag.Duration("d", 5*time.Second, "load duration per proxy")
	c := flag.Int("c", 32, "concurrent keep-alive connections")
	kinds := flag.String("kinds", strings.Join([]string{string(vocab.ProxyBuiltin), string(vocab.ProxyNginx), string(vocab.ProxyHAProxy), string(vocab.ProxyApache)}, ","),
		"proxy kinds to compare, the first is the reference")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout, strings.Split(*kinds, ","), *d, *c); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w *os.File, kinds []string, d time.Duration, conns int) error {
	load := wrkLoad
	tool := "wrk -t1 -c" + fmt.Sprint(conns) + " -d" + d.String()
	if _, err := wrkPath(); err != nil {
		load, tool = goLoad, fmt.Sprintf("Go loop, %d keep-alive clients, %s (wrk not installed: apt-get install wrk)", conns, d)
	}
	fmt.Fprintf(w, "side by side: %s, each proxy in front of one app node on 127.0.0.1\n", tool)
	var rows []row
	for _, kind := range append(kinds, rowDirect) {
		r, err := measure(ctx, kind, load, d, conns)
		switch {
		case errors.Is(err, products.ErrNotInstalled):
			fmt.Fprintf(w, "  %-8s skipped: %v\n", kind, err)
			continue
		case err != nil:
			return fmt.Errorf("%s: %w", kind, err)
		}
		rows = append(rows, r)
	}
	fmt.Fprintln(w)
	writeTable(w, rows)
	return nil
}
