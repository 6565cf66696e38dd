package member

import (
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Observer is told about every transition that really happened.
type Observer func(m *Member, t Transition)

// Member is one upstream server. Name and URL never change; tier and
// weight may change on reload, everything else is live state.
type Member struct {
	Name string
	URL  *url.URL

	tier, weight atomic.Int32
	health       atomic.Int32 // Health
	admin        atomic.Int32 // Admin
	errorUntil   atomic.Int64 // unix nanos: end of the passive hold-down
	upSince      atomic.Int64 // unix nanos: last readmission, for slow start
	nextCheck    atomic.Int64 // unix nanos: next scheduled active check
	inflight     atomic.Int64
	requests     atomic.Uint64 // attempts sent to this member
	retries      atomic.Uint64 // failed attempts retried on another member
	passes       atomic.Int32  // consecutive passing checks
	fails        atomic.Int32  // consecutive failing checks
	lastCheck    atomic.Pointer[Check]

	observer atomic.Pointer[Observer]
	wake     chan struct{}
	hist     history

	suspect  atomic.Pointer[string] // cause of the suspicion a probe must confirm
	stalled  atomic.Bool            // suspect because a request waited too long for headers
	probe    chan struct{}          // asks the checker for an out-of-schedule probe
	nfailed  atomic.Int32           // len(failedAt), read without the lock
	lastNote atomic.Int64           // unix nanos of the last poison/kept note
	poisoned atomic.Uint64          // failures not counted: the request was poison
	rescued  atomic.Uint64          // attempts cancelled because the member was ejected
	keptLast atomic.Uint64          // ejections refused by the last-member rule
	waiters  waiters

	codes  [16]atomic.Int32 // recent status codes, ring; Finish writes it on every request without a lock
	ncodes atomic.Uint64

	mu       sync.Mutex
	failedAt []time.Time // passive failures inside the window
}

// Check is the result of one active check or probe.
type Check struct {
	At      time.Time     `json:"at"`
	Pass    bool          `json:"pass"`
	Reason  string        `json:"reason"` // "status 200", "timeout after 2s", ...
	Latency time.Duration `json:"latency"`
}

// New returns an active, up member.
func New(name string, u *url.URL, tier, weight int) *Member {
	m := &Member{Name: name, URL: u, wake: make(chan struct{}, 1), probe: make(chan struct{}, 1)}
	m.tier.Store(int32(tier))
	m.weight.Store(int32(weight))
	return m
}

// SetObserver sets the function told about transitions (nil: none).
func (m *Member) SetObserver(o Observer) {
	if o == nil {
		m.observer.Store(nil)
		return
	}
	m.observer.Store(&o)
}

// SetSpec updates tier and weight, as a reload does.
func (m *Member) SetSpec(tier, weight int) {
	m.tier.Store(int32(tier))
	m.weight.Store(int32(weight))
}

func (m *Member) Tier() int         { return int(m.tier.Load()) }
func (m *Member) Weight() int       { return int(m.weight.Load()) }
func (m *Member) Health() Health    { return Health(m.health.Load()) }
func (m *Member) AdminState() Admin { return Admin(m.admin.Load()) }
func (m *Member) Status() string    { return Status(m.AdminState(), m.Health()) }

// Usable reports whether new requests may go to the member.
func (m *Member) Usable() bool { return m.AdminState() == Active && m.Health() == Up }

// Wake is signalled when the member enters passive error state, so its
// checker reschedules to the end of the hold-down.
func (m *Member) Wake() <-chan struct{} { return m.wake }

// transition moves health from → to by CompareAndSwap and reports whether
// it changed; only then is it recorded and observed.
func (m *Member) transition(from, to Health, cause string) bool {
	adm := m.AdminState()
	if !m.health.CompareAndSwap(int32(from), int32(to)) {
		return false
	}
	m.record(Status(adm, from), Status(adm, to), cause)
	if from == Up {
		m.suspect.Store(nil) // out: the suspicion is answered
		m.stalled.Store(false)
		m.rescue() // nobody will answer the attempts still waiting: re-send them
	}
	return true
}

func (m *Member) record(from, to, cause string) {
	t := Transition{At: time.Now(), From: from, To: to, Cause: cause}
	m.hist.add(t)
	if o := m.observer.Load(); o != nil {
		(*o)(m, t)
	}
}

// SetAdmin changes the admin state; cause is like "admin: drain".
func (m *Member) SetAdmin(to Admin, cause string) bool {
	for {
		old := m.AdminState()
		if old == to {
			return false
		}
		if m.admin.CompareAndSwap(int32(old), int32(to)) {
			h := m.Health()
			m.record(Status(old, h), Status(to, h), cause)
			return true
		}
	}
}

// HoldDownUntil is when the current passive error state may end.
func (m *Member) HoldDownUntil() time.Time { return time.Unix(0, m.errorUntil.Load()) }

// CheckDone applies one active check or probe result: passes consecutive
// passes readmit a member that is out, fails consecutive failures take an
// up member down (or a member past its hold-down from error to down).
func (m *Member) CheckDone(c Check, fails, passes int) {
	h := m.Health()
	if h == Error && c.At.Before(m.HoldDownUntil()) {
		return // started before the hold-down ended: only a later probe decides
	}
	m.lastCheck.Store(&c)
	if c.Pass {
		m.fails.Store(0)
		n := int(m.passes.Add(1))
		if h != Up && n >= passes {
			if m.transition(h, Up, "active: "+plural(n, "pass", "passes")) {
				m.upSince.Store(c.At.UnixNano())
			}
		}
		return
	}
	m.passes.Store(0)
	n := int(m.fails.Add(1))
	if h != Down && n >= fails {
		m.transition(h, Down, "active: "+c.Reason)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// LastCheck is the latest check result, or nil.
func (m *Member) LastCheck() *Check { return m.lastCheck.Load() }

// SetNextCheck and NextCheck publish the checker's schedule.
func (m *Member) SetNextCheck(t time.Time) { m.nextCheck.Store(t.UnixNano()) }
func (m *Member) NextCheck() time.Time {
	if n := m.nextCheck.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

// EffectiveWeight is the weight in hundredths, ramped for a readmitted
// member from 10% to 100% over slowStart (0: off).
func (m *Member) EffectiveWeight(now time.Time, slowStart time.Duration) int {
	w := m.Weight() * 100
	since := m.upSince.Load()
	if slowStart <= 0 || since == 0 {
		return w
	}
	elapsed := now.Sub(time.Unix(0, since))
	if elapsed >= slowStart {
		return w
	}
	f := 0.1 + 0.9*float64(elapsed)/float64(slowStart)
	return max(1, int(float64(w)*f))
}

// Transitions returns the recorded transitions, oldest first.
func (m *Member) Transitions() []Transition { return m.hist.list() }

// LastTransition returns the newest transition, if any.
func (m *Member) LastTransition() (Transition, bool) { return m.hist.last() }
