package proxy

import (
	"fmt"
	"slices"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// ReloadResult is the outcome of the last reload, shown on the status page.
type ReloadResult struct {
	At    time.Time `json:"at"`
	OK    bool      `json:"ok"`
	Error string    `json:"error,omitempty"`
}

// Reload loads a new config and applies it; on error the old config stays,
// and the error is logged and kept for the status page.
func (s *Server) Reload(load func() (*config.Config, error)) error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	err := s.reload(load)
	res := ReloadResult{At: time.Now(), OK: err == nil}
	if err != nil {
		res.Error = err.Error()
		s.Logger.Error("reload failed, keeping the old config", "err", err)
	} else {
		s.Logger.Info("reloaded")
	}
	s.lastReload.Store(&res)
	if s.OnReload != nil {
		s.OnReload(err)
	}
	return err
}

func (s *Server) reload(load func() (*config.Config, error)) error {
	if load == nil {
		return fmt.Errorf("reload: no config file (quick-start flags)")
	}
	cfg, err := load()
	if err != nil {
		return fmt.Errorf("reload: %w", err)
	}
	old := s.Config()
	if !slices.Equal(old.Listen, cfg.Listen) || old.Admin.Listen != cfg.Admin.Listen || old.Limits != cfg.Limits {
		s.Logger.Warn("reload: listen and admin addresses and limits change only on restart")
	}
	if err := s.Apply(cfg); err != nil {
		return fmt.Errorf("reload: %w", err)
	}
	return nil
}

// LastReload is the last reload's outcome, or nil.
func (s *Server) LastReload() *ReloadResult { return s.lastReload.Load() }
