// Package health runs the active checks of a pool: one goroutine per
// member, owned by a Checker (Start, then Stop cancels and waits).
//
// The schedule depends on the member's state:
//
//	up     every interval ± jitter
//	down   every down_interval ± jitter (the fast failback)
//	error  one probe exactly when the passive hold-down ends, then every
//	       down_interval ± jitter; only a passing probe readmits
//
// CheckOnce is the synchronous tick: tests call it directly, or drive the
// loop under testing/synctest.
package health
