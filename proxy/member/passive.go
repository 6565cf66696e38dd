package member

import (
	"fmt"
	"time"
)

// Rule is a pool's passive detection rule (config.Passive) with the pool's
// verdict on this one failure.
type Rule struct {
	Failures int           // failures in a row, within Window, that eject whatever a probe says
	Window   time.Duration // how far back those failures may lie
	HoldDown time.Duration // how long an ejection lasts before a probe may readmit
	// MayEject is false when ejecting this member would leave the pool
	// with fewer usable members than passive detection must keep.
	MayEject bool
}

// noteEvery bounds how often a note that is not a transition (a poison
// request, a refused ejection) is added to the why-timeline.
const noteEvery = 10 * time.Second

// PassiveFailure counts a failure the member caused on live traffic. The
// member becomes suspect, which asks its checker for a probe at once
// (ConfirmDone applies it); when r.Failures failures in a row fall within
// r.Window the member is ejected without waiting for the probe (health
// endpoints can lie), unless r.MayEject is false. It reports whether the
// member was ejected.
func (m *Member) PassiveFailure(what string, r Rule) bool {
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Health() != Up {
		return false
	}
	kept := m.failedAt[:0]
	for _, t := range m.failedAt {
		if now.Sub(t) < r.Window {
			kept = append(kept, t)
		}
	}
	m.failedAt = append(kept, now)
	m.nfailed.Store(int32(len(m.failedAt)))
	if len(m.failedAt) < r.Failures {
		m.Suspect(what)
		return false
	}
	cause := "passive: " + what
	if r.Failures > 1 {
		cause = fmt.Sprintf("passive: %d failures in a row within %s, last %s", len(m.failedAt), r.Window, what)
	}
	if !r.MayEject {
		m.keptLast.Add(1)
		m.note(now, cause+"; kept: the last usable member (passive.eject_last)")
		m.Suspect(what) // a failing probe may still take it out
		return false
	}
	return m.ejectLocked(now, cause, r.HoldDown)
}

// Succeeded ends a run of failures: the member answered a request well.
// It costs one atomic load when there is no run to end.
func (m *Member) Succeeded() {
	if m.nfailed.Load() == 0 {
		return
	}
	m.mu.Lock()
	m.failedAt = m.failedAt[:0]
	m.nfailed.Store(0)
	m.mu.Unlock()
}

// Suspect marks an up member as suspect for what, and asks its checker for
// an immediate probe; a member already suspect keeps its first cause.
func (m *Member) Suspect(what string) {
	if m.Health() != Up || !m.suspect.CompareAndSwap(nil, &what) {
		return
	}
	select {
	case m.probe <- struct{}{}:
	default:
	}
}

// IsSuspect reports whether a probe is due to confirm a passive failure.
func (m *Member) IsSuspect() bool { return m.suspect.Load() != nil }

// Stalled marks the member suspect because a request waited too long for
// its headers. Until the probe clears it, the pool sends new requests
// elsewhere when it can: a hung member would only collect more of them.
func (m *Member) Stalled(what string) {
	if m.Health() != Up {
		return
	}
	m.stalled.Store(true)
	m.Suspect(what)
}

// IsStalled reports whether the member is suspect of a stall.
func (m *Member) IsStalled() bool { return m.stalled.Load() }

// ProbeRequests is signalled when the member becomes suspect.
func (m *Member) ProbeRequests() <-chan struct{} { return m.probe }

// Reprobe asks again for the probe of a suspicion nobody answered (its
// probe was cut short by a reload): a new checker calls it when it starts.
func (m *Member) Reprobe() {
	if m.IsSuspect() {
		select {
		case m.probe <- struct{}{}:
		default:
		}
	}
}

// ConfirmDone applies the probe that a suspicion asked for: a failing
// probe ejects the member for holdDown — a probe is active evidence, so
// even the last usable member goes — and a passing one clears the
// suspicion. It reports whether the member was ejected.
func (m *Member) ConfirmDone(c Check, holdDown time.Duration) bool {
	why := m.suspect.Swap(nil)
	m.stalled.Store(false)
	m.lastCheck.Store(&c)
	if why == nil || c.Pass {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Health() != Up {
		return false
	}
	return m.ejectLocked(time.Now(), "passive: "+*why+", probe: "+c.Reason, holdDown)
}

// ejectLocked puts an up member in error state for holdDown; m.mu is held.
func (m *Member) ejectLocked(now time.Time, cause string, holdDown time.Duration) bool {
	m.errorUntil.Store(now.Add(holdDown).UnixNano())
	if !m.transition(Up, Error, cause) {
		return false
	}
	m.suspect.Store(nil)
	m.stalled.Store(false)
	m.failedAt = m.failedAt[:0]
	m.nfailed.Store(0)
	m.passes.Store(0)
	m.fails.Store(0)
	select {
	case m.wake <- struct{}{}:
	default:
	}
	return true
}

// Poisoned records a failure not counted against the member because the
// same request had already failed on another member: the request, not
// this member, is the likely cause.
func (m *Member) Poisoned(what string) {
	m.poisoned.Add(1)
	m.note(time.Now(), "poison: "+what+" failed on another member first; not counted")
}

// note adds an entry to the why-timeline that is not a state change, at
// most once per noteEvery, so a stream of them cannot push out the
// transitions.
func (m *Member) note(now time.Time, cause string) {
	last := m.lastNote.Load()
	if now.UnixNano()-last < int64(noteEvery) || !m.lastNote.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	s := m.Status()
	m.hist.add(Transition{At: now, From: s, To: s, Cause: cause})
}

// Poisons, Rescues and KeptLast count, since the member was created, the
// failures not counted as poison, the attempts rescued from it and the
// passive ejections refused by the last-member rule.
func (m *Member) Poisons() uint64  { return m.poisoned.Load() }
func (m *Member) Rescues() uint64  { return m.rescued.Load() }
func (m *Member) KeptLast() uint64 { return m.keptLast.Load() }
