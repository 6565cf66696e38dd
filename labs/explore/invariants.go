package explore

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/scenario"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"github.com/failover-lab/failover-lab/proxy/config"
)

// Invariant names a check every generated run must pass.
type Invariant string

// The invariants: one typed table, Invariants, that compiling, the
// scenario's explore: section and the docs loop over.
const (
	ClientErrors Invariant = "client_errors"
	Failover     Invariant = "failover"
	Failback     Invariant = "failback"
	Waits        Invariant = "waits"
	Flaps        Invariant = "flaps"
	UserExpect   Invariant = "expect"
)

// Default tolerances.
const (
	DefaultGrace    = 2 * time.Second // the least grace after a member comes back from an outage of every member
	DefaultFailover = time.Second
	DefaultFailback = 6 * time.Second // one 5 s check plus its jitter
	DefaultBudget   = 2
	// restartAllowance is how long an instant restart keeps its node gone.
	restartAllowance = 2 * time.Second
	// minWindow is the shortest window worth judging.
	minWindow = 500 * time.Millisecond
)

// Invariants is the table of the invariants: what each promises and how it
// becomes expectations of one plan's timeline.
var Invariants = []struct {
	ID      Invariant
	Doc     string
	compile func(c *compiler) []scenario.Expectation
}{
	{ClientErrors, "no client error while a member could serve (after the grace once a member comes back from an outage of every member; an answer cut after its headers went out excepted)", (*compiler).clientErrors},
	{Failover, "once no primary can serve and a standby can, the standby answers within the tolerance", (*compiler).failover},
	{Failback, "once a primary can serve again after none could, it answers (200) within the tolerance of the clear", (*compiler).failback},
	{Waits, "no request waits longer than the load's timeout while a member could serve", (*compiler).waits},
	{Flaps, "switches between primaries and standbys: at most two per outage of every primary, plus the budget", (*compiler).flaps},
	{UserExpect, "your own expectations of explore.invariants.expect, once per fault they name", (*compiler).user},
}

// InvariantOf names the invariant a compiled expectation checks: the
// first word of its name.
func InvariantOf(e scenario.Expectation) Invariant {
	id, _, _ := strings.Cut(e.Name, " ")
	return Invariant(id)
}

// Compile turns the scenario's invariants into expectations of plan p.
func Compile(s *scenario.Scenario, p Plan) []scenario.Expectation {
	c := newCompiler(s, p)
	var out []scenario.Expectation
	for _, inv := range Invariants {
		if c.off(inv.ID) {
			continue
		}
		out = append(out, inv.compile(c)...)
	}
	return out
}

// Only keeps the expectations of one invariant.
func Only(es []scenario.Expectation, id Invariant) []scenario.Expectation {
	var out []scenario.Expectation
	for _, e := range es {
		if InvariantOf(e) == id {
			out = append(out, e)
		}
	}
	return out
}

// segment is a stretch of the plan between two events, and who could
// serve in it.
type segment struct {
	from, to     string // event names; "start", "end"
	fromAt, toAt time.Duration
	any, primary bool // some member, some primary could serve
	standby      bool
	comeback     time.Duration // grace owed at from: a member came back from an outage of all (or an instant restart)
	primaryBack  bool          // a primary came back at from after none could serve
	primaryGone  bool          // at from, the last primary stopped serving
	suspect      bool          // a fault that lets a proxy rightly take a member out (a lying /health) is in force
}

type compiler struct {
	s    *scenario.Scenario
	p    Plan
	inv  scenario.Invariants
	segs []segment
	pool config.Pool // the proxy's pool settings, defaults filled
}

func newCompiler(s *scenario.Scenario, p Plan) *compiler {
	c := &compiler{s: s, p: p}
	if s.Explore != nil {
		c.inv = s.Explore.Invariants
	}
	c.pool = resolvedPool(s)
	c.segs = segments(s.Topology(), p, c.pool.Health.Timeout)
	return c
}

// resolvedPool is the scenario's pool settings with the proxy's defaults.
func resolvedPool(s *scenario.Scenario) config.Pool {
	pool := s.Proxy.Pool
	pool.Members = nil
	cfg := config.Default()
	cfg.Pools = map[string]*config.Pool{vocab.PoolName: &pool}
	cfg.ApplyDefaults()
	return pool
}

func (c *compiler) off(id Invariant) bool {
	switch id {
	case ClientErrors:
		return c.inv.ClientErrors.Off
	case Failover:
		return c.inv.Failover.Off
	case Failback:
		return c.inv.Failback.Off
	case Waits:
		return c.inv.Waits.Off
	case Flaps:
		return c.inv.Flaps.Off
	}
	return false
}

// boundary is one event of the plan that changes who can serve.
type boundary struct {
	name    string
	at      time.Duration
	node    string
	breaks  bool // the node stops (apply) or starts (clear) serving
	suspect bool // a proxy may rightly take the node out meanwhile
	apply   bool
	instant bool
}

// boundaries lists the plan's events that change who can serve. A delay
// (a latency value, with its jitter) of at least checkTimeout breaks the
// node too: the proxy's health checks time out, so it rightly takes the
// node out.
func boundaries(p Plan, checkTimeout time.Duration) []boundary {
	var bs []boundary
	for _, s := range p.Steps {
		if s.Kind == ReloadKind {
			bs = append(bs, boundary{name: s.Name(), at: s.At})
			continue
		}
		reg, _ := faults.ByID(s.Kind)
		sp := reg.Space
		breaks := sp.Breaks || checkTimeout > 0 && delay(s) >= checkTimeout
		bs = append(bs, boundary{name: s.Name(), at: s.At, node: s.Node, breaks: breaks, suspect: sp.Suspect, apply: true, instant: sp.Instant})
		if s.Lasting() && s.At+s.For < p.Length {
			bs = append(bs, boundary{name: "clear-" + s.Name(), at: s.At + s.For, node: s.Node, breaks: breaks, suspect: sp.Suspect})
		}
	}
	slices.SortStableFunc(bs, func(a, b boundary) int {
		if a.at != b.at {
			return int(a.at - b.at)
		}
		if a.apply != b.apply { // the timeline writes faults before clears
			if a.apply {
				return -1
			}
			return 1
		}
		return 0
	})
	return bs
}

// delay is the longest a step's latency holds an answer back.
func delay(s Step) time.Duration {
	var ms int64
	for _, k := range []string{"latency", "jitter"} {
		if v, ok := s.Value(k); ok {
			ms += v.N
		}
	}
	return time.Duration(ms) * time.Millisecond
}

// segments walks the plan's events and says, between each two, which
// members could serve.
func segments(t vocab.Topology, p Plan, checkTimeout time.Duration) []segment {
	broken := map[string]int{}
	suspects := 0
	able := func(role func(vocab.Node) bool, except string) bool {
		for _, n := range t.Nodes {
			if role(n) && broken[n.Name] == 0 && n.Name != except {
				return true
			}
		}
		return false
	}
	anyRole := func(vocab.Node) bool { return true }
	primary := func(n vocab.Node) bool { return !n.IsStandby() }
	standby := func(n vocab.Node) bool { return n.IsStandby() }
	cur := segment{from: "start", any: able(anyRole, ""), primary: able(primary, ""), standby: able(standby, "")}
	var segs []segment
	for _, b := range boundaries(p, checkTimeout) {
		wasAny, wasPrimary := cur.any, cur.primary
		cur.to, cur.toAt = b.name, b.at
		segs = append(segs, cur)
		next := segment{from: b.name, fromAt: b.at}
		if b.suspect && b.apply {
			suspects++
		} else if b.suspect {
			suspects--
		}
		next.suspect = suspects > 0
		if b.breaks && !b.instant {
			if b.apply {
				broken[b.node]++
			} else {
				broken[b.node]--
			}
		}
		next.any, next.primary, next.standby = able(anyRole, ""), able(primary, ""), able(standby, "")
		if b.breaks && b.instant && !able(anyRole, b.node) {
			next.comeback = restartAllowance // the only member left restarts
		}
		if next.any && !wasAny {
			next.comeback = max(next.comeback, 1) // marked; the grace is the user's
		}
		next.primaryBack = next.primary && !wasPrimary
		next.primaryGone = !next.primary && wasPrimary
		if b.breaks && b.instant && !able(primary, b.node) && next.primary {
			next.primaryBack = true // the only primary restarted
		}
		cur = next
	}
	cur.to, cur.toAt = "end", p.Length
	return append(segs, cur)
}

// stretches merges consecutive segments for which keep holds; a stretch
// also breaks where a segment owes a grace (a comeback).
func (c *compiler) stretches(keep func(segment) bool, cut func(segment) bool) []segment {
	var out []segment
	for _, s := range c.segs {
		n := len(out)
		if keep(s) && n > 0 && out[n-1].to == s.from && !cut(s) {
			out[n-1].to, out[n-1].toAt = s.to, s.toAt
			continue
		}
		if keep(s) {
			out = append(out, s)
		}
	}
	return out
}

// grace is how long after a comeback from an outage of every member the
// proxy may still answer errors: the user's, else what the proxy was
// configured to wait — a member its passive detection ejected stays out
// for the hold-down, then a check at the down interval (with its jitter)
// readmits it — plus half a second.
func (c *compiler) grace() time.Duration {
	if c.inv.ClientErrors.Within > 0 {
		return c.inv.ClientErrors.Within
	}
	h := c.pool.Health
	wait := c.pool.Passive.HoldDown + time.Duration(float64(h.DownInterval)*(1+h.Jitter)) + 500*time.Millisecond
	return max(wait.Round(100*time.Millisecond), DefaultGrace)
}

// window is the expectation of one stretch, or false when the stretch is
// too short to judge once the grace is taken.
func window(id Invariant, s segment, within time.Duration) (scenario.Expectation, bool) {
	if s.toAt-s.fromAt-within < minWindow {
		return scenario.Expectation{}, false
	}
	return scenario.Expectation{Name: fmt.Sprintf("%s %s..%s", id, s.from, s.to), After: s.from, Within: within, Until: s.to}, true
}

func (c *compiler) ableStretches() []scenario.Expectation {
	var out []scenario.Expectation
	for _, s := range c.stretches(func(s segment) bool { return s.any }, func(s segment) bool { return s.comeback > 0 }) {
		within := time.Duration(0)
		if s.comeback > 0 {
			within = c.grace()
			if s.comeback == restartAllowance {
				within += restartAllowance
			}
		}
		if e, ok := window("", s, within); ok {
			out = append(out, e)
		}
	}
	return out
}

func (c *compiler) clientErrors() []scenario.Expectation {
	var out []scenario.Expectation
	for _, e := range c.ableStretches() {
		e.Name = string(ClientErrors) + e.Name
		leaks := c.leaks(e)
		e.ClientErrors = &scenario.Bound{Max: &leaks}
		out = append(out, e)
	}
	return out
}

// leaks is what the faults that take hold in e's stretch may cost clients
// whatever the proxy does (Space.Leaks).
func (c *compiler) leaks(e scenario.Expectation) int {
	at := func(name string) (time.Duration, bool) {
		switch name {
		case "start":
			return 0, true
		case "end":
			return c.p.Length, true
		}
		for _, b := range boundaries(c.p, c.pool.Health.Timeout) {
			if b.name == name {
				return b.at, true
			}
		}
		return 0, false
	}
	from, _ := at(e.After)
	to, _ := at(e.Until)
	n := 0
	for _, st := range c.p.Steps {
		if reg, ok := faults.ByID(st.Kind); ok && st.At >= from && st.At < to {
			n += reg.Space.Leaks
		}
	}
	return n
}

func (c *compiler) waits() []scenario.Expectation {
	timeout := c.s.Load.Timeout
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	var out []scenario.Expectation
	for _, e := range c.ableStretches() {
		e.Name = string(Waits) + e.Name
		e.Latency = &scenario.LatencyBound{Max: timeout}
		out = append(out, e)
	}
	return out
}

func (c *compiler) failover() []scenario.Expectation {
	within := cmpOr(c.inv.Failover.Within, DefaultFailover)
	var out []scenario.Expectation
	for _, s := range c.stretches(func(s segment) bool { return !s.primary && s.standby && !s.suspect }, func(segment) bool { return false }) {
		if !s.primaryGone || s.toAt-s.fromAt < within+time.Second {
			continue
		}
		if e, ok := window(Failover, s, within); ok {
			e.ServedBy = string(vocab.RoleStandby)
			out = append(out, e)
		}
	}
	return out
}

func (c *compiler) failback() []scenario.Expectation {
	within := cmpOr(c.inv.Failback.Within, DefaultFailback)
	var out []scenario.Expectation
	for _, s := range c.stretches(func(s segment) bool { return s.primary && !s.suspect }, func(s segment) bool { return s.primaryBack }) {
		if !s.primaryBack || s.toAt-s.fromAt < within+time.Second {
			continue
		}
		if e, ok := window(Failback, s, within); ok {
			e.ServedBy, e.Status = string(vocab.RolePrimary), 200
			out = append(out, e)
		}
	}
	return out
}

func (c *compiler) flaps() []scenario.Expectation {
	outages := 0
	for _, s := range c.segs {
		if s.primaryGone {
			outages++
		}
	}
	budget := DefaultBudget
	if c.inv.Flaps.Budget > 0 {
		budget = c.inv.Flaps.Budget
	}
	n := 2*outages + budget
	return []scenario.Expectation{{Name: string(Flaps) + " whole-run", Flaps: &scenario.Bound{Max: &n}}}
}

// user expands the user's own expectations: after/until "fault" and
// "clear" name each fault's start and end in turn.
func (c *compiler) user() []scenario.Expectation {
	var out []scenario.Expectation
	for i, e := range c.inv.Expect {
		label := fmt.Sprintf("%s %d", UserExpect, i)
		if e.After != "fault" && e.After != "clear" {
			if e.Until == "fault" || e.Until == "clear" {
				continue // a window from the start to each fault: not one window
			}
			e.Name = label + " " + cmpOrS(e.After, "start")
			out = append(out, e)
			continue
		}
		for _, st := range c.p.Steps {
			if st.Kind == ReloadKind {
				continue
			}
			cleared := st.Lasting() && st.At+st.For < c.p.Length
			x := e
			switch {
			case e.After == "fault":
				x.After = st.Name()
			case cleared:
				x.After = "clear-" + st.Name()
			default:
				continue // never cleared: no end to start from
			}
			if e.Until == "clear" {
				if !cleared || e.After == "clear" {
					x.Until = "end"
				} else {
					x.Until = "clear-" + st.Name()
				}
			} else if e.Until == "fault" {
				continue // a fault's start cannot close a window it opens
			}
			x.Name = label + " " + x.After
			out = append(out, x)
		}
	}
	return out
}

func cmpOr(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func cmpOrS(s, def string) string {
	if s != "" {
		return s
	}
	return def
}
