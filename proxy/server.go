package proxy

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"

	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/health"
	"github.com/failover-lab/failover-lab/proxy/member"
	"github.com/failover-lab/failover-lab/proxy/pool"
)

// Server is the running proxy: pools built from a config, their health
// checkers and the traffic handler. Apply swaps in a new config, keeping
// the state of members that remain.
type Server struct {
	Handler *Handler
	Logger  *slog.Logger // transitions are always logged here; nil: discarded
	// OnTransition and OnCheck, when set, are told too (metrics).
	OnTransition func(p *pool.Pool, m *member.Member, t member.Transition)
	OnCheck      func(p *pool.Pool, m *member.Member, c member.Check)
	OnReload     func(err error)
	// NoChecks leaves the health checkers off (tests drive CheckOnce).
	NoChecks bool

	mu       sync.Mutex
	ctx      context.Context
	cfg      *config.Config
	pools    map[string]*pool.Pool
	checkers []*health.Checker

	reloadMu   sync.Mutex // one reload at a time (SIGHUP and POST /reload), per Server
	lastReload atomic.Pointer[ReloadResult]
}

// NewServer returns a server for cfg (validated); Start runs its checks.
func NewServer(cfg *config.Config, logger *slog.Logger) (*Server, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{Handler: &Handler{Logger: logger}, Logger: logger, ctx: context.Background()}
	if err := s.build(cfg); err != nil {
		return nil, err
	}
	return s, nil
}

// Start launches the health checkers under ctx.
func (s *Server) Start(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ctx = ctx
	s.startCheckers()
}

// Stop ends the health checkers and waits for them.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.checkers {
		c.Stop()
	}
	s.checkers = nil
}

// Config returns the config in use.
func (s *Server) Config() *config.Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg
}

// Pools returns the live pools by name.
func (s *Server) Pools() map[string]*pool.Pool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pools
}

// Apply switches to cfg: members with the same pool, name and URL keep
// their state; requests in flight finish on the pools they started with.
func (s *Server) Apply(cfg *config.Config) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, running := s.pools, s.checkers != nil
	for _, c := range s.checkers {
		c.Stop()
	}
	s.checkers = nil
	if err := s.build(cfg); err != nil {
		if running {
			s.startCheckers() // the old pools go on being checked
		}
		return err
	}
	if running {
		s.startCheckers()
	}
	for name, p := range old {
		if s.pools[name] != p {
			p.CloseIdle()
		}
	}
	return nil
}

// build makes pools for cfg and installs them; s.mu is held.
func (s *Server) build(cfg *config.Config) error {
	pools := make(map[string]*pool.Pool, len(cfg.Pools))
	for _, name := range cfg.PoolNames() {
		pc := cfg.Pools[name]
		oldPool := s.pools[name]
		reuse := func(mname, rawURL string) *member.Member {
			if oldPool == nil {
				return nil
			}
			if m := oldPool.Member(mname); m != nil && m.URL.String() == rawURL {
				return m
			}
			return nil
		}
		p, err := pool.New(name, *pc, reuse)
		if err != nil {
			return fmt.Errorf("build pool: %w", err)
		}
		if pc.ErrorPage != "" {
			page, err := os.ReadFile(pc.ErrorPage)
			if err != nil {
				return fmt.Errorf("pool %s: error page: %w", name, err)
			}
			p.ErrorPage = page
		}
		pools[name] = p
	}
	for _, p := range pools { // all built: now change the shared members
		p.ApplySpecs()
		for _, m := range p.Members {
			m.SetObserver(s.observer(p))
		}
	}
	s.cfg, s.pools = cfg, pools
	s.Handler.SetAccessLog(cfg.Log.Access)
	s.Handler.SetRoutes(cfg.Routes, pools)
	return nil
}

func (s *Server) observer(p *pool.Pool) member.Observer {
	return func(m *member.Member, t member.Transition) {
		lvl := slog.LevelWarn // a member going out is what an operator looks for
		if t.To == "up" {
			lvl = slog.LevelInfo
		}
		s.Logger.Log(context.Background(), lvl, "transition", "pool", p.Name, "member", m.Name,
			"from", t.From, "to", t.To, "cause", t.Cause)
		if s.OnTransition != nil {
			s.OnTransition(p, m, t)
		}
	}
}

func (s *Server) startCheckers() {
	if s.NoChecks {
		return
	}
	for _, name := range s.cfg.PoolNames() {
		c := &health.Checker{Pool: s.pools[name], OnCheck: s.OnCheck, Logger: s.Logger}
		c.Start(s.ctx)
		s.checkers = append(s.checkers, c)
	}
}
