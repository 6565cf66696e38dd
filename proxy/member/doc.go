// Package member holds one upstream server's live state: its health, the
// operator's admin state, in-flight and total counters, passive failure
// window and the last transitions with their causes (the why-timeline).
//
// Health is one atomic value changed only by CompareAndSwap; a transition
// that really happened is recorded, logged and counted exactly once, however
// many requests saw the same failure at the same time.
//
//	         passive failure(s) in window
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
// The admin state (active, draining, disabled) is kept apart: a member is
// usable only when it is active and up.
package member
