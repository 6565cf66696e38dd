package admin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/failover-lab/failover-lab/proxy"
	"github.com/failover-lab/failover-lab/proxy/member"
	"github.com/failover-lab/failover-lab/proxy/pool"
)

// Status is what GET /status answers and the page shows.
type Status struct {
	Now        time.Time           `json:"now"`
	LastReload *proxy.ReloadResult `json:"last_reload,omitempty"`
	Pools      []PoolStatus        `json:"pools"`
}

// PoolStatus is one pool.
type PoolStatus struct {
	Name    string         `json:"name"`
	Policy  string         `json:"policy"`
	Serving string         `json:"serving"` // member names taking new requests, or "none"
	Members []MemberStatus `json:"members"`
}

// MemberStatus is one member and why it is in its state.
type MemberStatus struct {
	Name        string              `json:"name"`
	URL         string              `json:"url"`
	Tier        string              `json:"tier"`
	Weight      int                 `json:"weight"`
	State       string              `json:"state"` // up, down, error, draining, disabled
	Health      string              `json:"health"`
	Admin       string              `json:"admin"`
	Cause       string              `json:"cause,omitempty"` // of the last transition
	Since       *time.Time          `json:"since,omitempty"`
	For         string              `json:"for,omitempty"` // time since, rounded
	HoldDownEnd *time.Time          `json:"hold_down_until,omitempty"`
	NextCheck   *time.Time          `json:"next_check,omitempty"`
	NextProbe   string              `json:"next_probe"` // what happens next, in words
	InFlight    int64               `json:"in_flight"`
	Requests    uint64              `json:"requests"`
	Retries     uint64              `json:"retries"`
	RecentCodes []int               `json:"recent_codes"`
	LastCheck   *member.Check       `json:"last_check,omitempty"`
	Timeline    []member.Transition `json:"timeline"` // newest first
}

// Snapshot reads the live state of every pool.
func Snapshot(srv *proxy.Server, now time.Time) Status {
	st := Status{Now: now, LastReload: srv.LastReload()}
	pools := srv.Pools()
	names := make([]string, 0, len(pools))
	for n := range pools {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		st.Pools = append(st.Pools, poolStatus(pools[n], now))
	}
	return st
}

func poolStatus(p *pool.Pool, now time.Time) PoolStatus {
	ps := PoolStatus{Name: p.Name, Policy: p.Config.Policy, Serving: "none"}
	best := -1
	for _, m := range p.Members {
		ms := memberStatus(p, m, now)
		ps.Members = append(ps.Members, ms)
		if m.Usable() && (best < 0 || m.Tier() == best) {
			if best < 0 {
				ps.Serving = m.Name
			} else {
				ps.Serving += ", " + m.Name
			}
			best = m.Tier()
		}
	}
	return ps
}

func memberStatus(p *pool.Pool, m *member.Member, now time.Time) MemberStatus {
	ms := MemberStatus{
		Name: m.Name, URL: m.URL.Redacted(), Tier: tierName(m.Tier()), Weight: m.Weight(),
		State: m.Status(), Health: m.Health().String(), Admin: m.AdminState().String(),
		InFlight: m.InFlight(), Requests: m.Requests(), Retries: m.Retries(),
		RecentCodes: m.RecentCodes(), LastCheck: m.LastCheck(),
	}
	if ms.RecentCodes == nil {
		ms.RecentCodes = []int{}
	}
	tl := m.Transitions()
	slices.Reverse(tl)
	ms.Timeline = tl
	if len(tl) > 0 {
		ms.Cause, ms.Since = tl[0].Cause, &tl[0].At
		ms.For = now.Sub(tl[0].At).Round(100 * time.Millisecond).String()
	}
	if m.Health() == member.Error {
		t := m.HoldDownUntil()
		ms.HoldDownEnd = &t
	}
	if t := m.NextCheck(); !t.IsZero() {
		ms.NextCheck = &t
	}
	ms.NextProbe = nextProbe(p, m, now)
	return ms
}

// nextProbe says in words what the checker does next for m.
func nextProbe(p *pool.Pool, m *member.Member, now time.Time) string {
	h := p.Config.Health
	check := fmt.Sprintf("%s %s", h.Method, h.Path)
	next := m.NextCheck()
	in := "not scheduled"
	if !next.IsZero() {
		in = "in " + max(0, next.Sub(now)).Round(100*time.Millisecond).String()
	}
	switch m.Health() {
	case member.Error:
		return fmt.Sprintf("probe %s when the hold-down ends, %s; %d pass(es) readmit", check, in, h.Passes)
	case member.Down:
		return fmt.Sprintf("check %s %s (every %s while down); %d pass(es) readmit", check, in, h.DownInterval, h.Passes)
	}
	return fmt.Sprintf("check %s %s (every %s)", check, in, h.Interval)
}

func tierName(t int) string {
	switch t {
	case 0:
		return "primary"
	case 1:
		return "standby"
	}
	return fmt.Sprintf("tier %d", t)
}

func (a *Admin) status(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, Snapshot(a.srv, time.Now()))
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
