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
	reg := newMetrics(srv)
	reload := func() error { return srv.Reload(load) }
	adm := admin.New(srv, admin.Options{Token: cfg.Admin.Token, Reload: reload, Metrics: reg})

	var servers []*http.Server
	var lns []net.Listener
	for _, addr := range cfg.Listen {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			closeAll(lns)
			return fmt.Errorf("listen: %w", err)
		}
		lns = append(lns, ln)
		servers = append(servers, &http.Server{Handler: srv.Handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second,
			ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelDebug)})
	}
	if cfg.Admin.Listen != "" && cfg.Admin.Listen != "off" {
		if !config.IsLoopback(cfg.Admin.Listen) && cfg.Admin.Token == "" {
			closeAll(lns)
			return fmt.Errorf("admin: refusing to bind %s (not loopback) without a token", cfg.Admin.Listen)
		}
		ln, err := net.Listen("tcp", cfg.Admin.Listen)
		if err != nil {
			closeAll(lns)
			return fmt.Errorf("admin listen: %w", err)
		}
		lns = append(lns, ln)
		servers = append(servers, &http.Server{Handler: adm, ReadHeaderTimeout: 10 * time.Second})
	}

	checkCtx, stopChecks := context.WithCancel(context.Background())
	defer stopChecks()
	srv.Start(checkCtx)
	defer srv.Stop()

	errc := make(chan error, len(servers))
	var wg sync.WaitGroup
	for i, hs := range servers {
		logger.Info("listening", "addr", lns[i].Addr().String())
		wg.Go(func() {
			if err := hs.Serve(lns[i]); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		})
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	adm.SetReady(true)
	if onReady != nil {
		var traffic []string
		for _, ln := range lns[:len(cfg.Listen)] {
			traffic = append(traffic, ln.Addr().String())
		}
		admAddr := ""
		if len(lns) > len(cfg.Listen) {
			admAddr = lns[len(lns)-1].Addr().String()
		}
		onReady(traffic, admAddr)
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
	logger.Info("shutting down", "timeout", srv.Config().ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), srv.Config().ShutdownTimeout)
	defer cancel()
	for _, hs := range servers {
		if err := hs.Shutdown(sctx); err != nil {
			logger.Warn("shutdown: in-flight requests cut", "err", err)
			hs.Close()
		}
	}
	wg.Wait()
	return serveErr
}

func closeAll(lns []net.Listener) {
	for _, ln := range lns {
		ln.Close()
	}
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
