package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/failover-lab/failover-lab/proxy"
	"github.com/failover-lab/failover-lab/proxy/admin"
	"github.com/failover-lab/failover-lab/proxy/config"
)

// listener is one bound address and the server that will serve it.
type listener struct {
	ln net.Listener
	hs server
}

// server is a net/http server, or the fast HTTP/1.1 engine (proxy/h1).
type server interface {
	Serve(net.Listener) error
	Shutdown(context.Context) error
	Close() error
}

// serve runs the proxy until ctx ends (SIGTERM/SIGINT), reloading on
// SIGHUP, then shuts down gracefully. onReady, when set, is told the bound
// addresses (tests listen on port 0).
func serve(ctx context.Context, cfg *config.Config, load func() (*config.Config, error), stderr io.Writer,
	onReady func(traffic []string, admin string)) error {
	logger := newLogger(cfg.Log, stderr)
	srv, err := proxy.NewServer(cfg, logger)
	if err != nil {
		return err
	}
	reg := newMetrics(srv) // hooks in place before the first request
	front := &tlsFront{logger: logger}
	reload := func() error { return front.reload(srv, load) } // certificates re-read too
	adm := admin.New(srv, adminOptions(srv, cfg, reload, reg))
	traffic, admL, err := bind(cfg, srv.Handler, adm, logger, front)
	if err != nil {
		return err
	}
	all := traffic
	if admL != nil {
		all = append(all, *admL)
	}

	checkCtx, stopChecks := context.WithCancel(context.Background())
	defer stopChecks()
	srv.Start(checkCtx)
	defer srv.Stop() // after the servers: in-flight requests finish first

	errc := make(chan error, len(all))
	var wg sync.WaitGroup
	for _, l := range all {
		logger.Info("listening", "addr", l.ln.Addr().String())
		wg.Go(func() {
			if err := l.hs.Serve(l.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		})
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	adm.SetReady(true)
	if onReady != nil {
		onReady(addrs(traffic), addrOf(admL))
	}

	var serveErr error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-hup:
			reload() // logged and shown on the status page either way
		case serveErr = <-errc:
			break loop
		}
	}
	adm.SetReady(false)
	shutdown(all, srv.Config().ShutdownTimeout, logger)
	wg.Wait()
	return serveErr
}

// bind opens the traffic listeners and the admin one (nil when off),
// refusing a non-loopback admin address without a token.
func bind(cfg *config.Config, traffic *proxy.Handler, adm http.Handler, logger *slog.Logger, front *tlsFront) ([]listener, *listener, error) {
	var out []listener
	fail := func(err error) ([]listener, *listener, error) {
		for _, l := range out {
			l.ln.Close()
		}
		return nil, nil, err
	}
	errLog := slog.NewLogLogger(logger.Handler(), slog.LevelDebug)
	newServer := func(h http.Handler) *http.Server { return trafficServer(cfg.Limits, h, errLog) }
	for _, addr := range cfg.Listen {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fail(fmt.Errorf("listen: %w", err))
		}
		out = append(out, listener{ln, fastServer(cfg.Limits, traffic, errLog)})
	}
	more, err := front.bind(cfg, traffic, newServer) // cfg.Listeners: TLS, HTTP/2, redirect
	if err != nil {
		return fail(err)
	}
	out = append(out, more...)
	a := cfg.Admin.Listen
	if a == "" || a == "off" {
		return out, nil, nil
	}
	if !config.IsLoopback(a) && cfg.Admin.Token == "" {
		return fail(fmt.Errorf("admin: refusing to bind %s (not loopback) without a token", a))
	}
	ln, err := net.Listen("tcp", a)
	if err != nil {
		return fail(fmt.Errorf("admin listen: %w", err))
	}
	return out, &listener{ln, adminServer(cfg.Limits, adm, errLog)}, nil
}

// shutdown stops accepting and lets in-flight requests finish within
// timeout; what is left then is cut.
func shutdown(all []listener, timeout time.Duration, logger *slog.Logger) {
	logger.Info("shutting down", "timeout", timeout)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for _, l := range all {
		if err := l.hs.Shutdown(ctx); err != nil {
			logger.Warn("shutdown: in-flight requests cut", "err", err)
			l.hs.Close()
		}
	}
}

func addrs(ls []listener) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.ln.Addr().String()
	}
	return out
}

func addrOf(l *listener) string {
	if l == nil {
		return ""
	}
	return l.ln.Addr().String()
}

func newLogger(c config.Log, w io.Writer) *slog.Logger {
	var lvl slog.Level
	lvl.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: lvl}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
