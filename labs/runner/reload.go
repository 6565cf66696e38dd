package runner

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/ledger"
)

// reload asks the proxy to re-read its config and marks the moment it was
// asked: the signal it reloads on (proxy.reload_signal, or its kind's for
// the user's own config), else POST /reload on its admin listener (the
// builtin proxy).
func reload(ctx context.Context, run labs.Run, sig string, l *ledger.Ledger, name string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if sig != "" {
		s, ok := run.(labs.ProxySignaler)
		if !ok {
			return fmt.Errorf("reload: this driver cannot signal the proxy (%s)", sig)
		}
		at := time.Now()
		if err := s.SignalProxy(ctx, sig); err != nil {
			return fmt.Errorf("reload: %s: %w", sig, err)
		}
		l.Mark(ledger.Mark{At: at, Name: name, Kind: ledger.MarkEvent})
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, run.AdminURL()+"/reload", nil)
	if err != nil {
		return fmt.Errorf("reload: %w", err)
	}
	req.Header.Set("X-Requested-By", "failover-lab") // the admin refuses bare cross-site POSTs
	if tok := run.AdminToken(); tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	at := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("reload: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("reload: POST /reload: status %d", resp.StatusCode)
	}
	l.Mark(ledger.Mark{At: at, Name: name, Kind: ledger.MarkEvent})
	return nil
}
