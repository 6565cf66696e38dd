// Package member holds one upstream server's live state: its health, the
// operator's admin state, in-flight and total counters, passive failure
// window and the last transitions with their causes (the why-timeline).
//
// Health is one atomic value changed only by CompareAndSwap; a transition
// that really happened is recorded, logged and counted exactly once, however
// many requests saw the same failure at the same time.
//
//	  failed probe of a suspect, or failures in a row
//	┌────┐ ───────────────────────────────▶ ┌───────┐
//	│ up │                                  │ error │ hold-down, then probes
//	└────┘ ◀─────────────────────────────── └───────┘ at down_interval
//	 │  ▲         probe passes ≥ passes         │
//	 │  │                                       │ probe fails ≥ fails
//	 │  │  check passes ≥ passes    ┌──────┐    │
//	 │  └───────────────────────────│ down │◀───┘
//	 └─────────────────────────────▶└──────┘
//	        check fails ≥ fails
//
// A passive failure first makes an up member suspect (a flag, not a state:
// it stays usable) and asks its checker for a probe at once; a stalled one
// (a request waited too long for headers) is also skipped by the pool while
// another member is usable. Leaving up cancels the attempts still waiting
// for the member's headers (ErrRescued), so the retrier re-sends them.
//
// The admin state (active, draining, disabled) is kept apart: a member is
// usable only when it is active and up.
package member
