// Package explore searches for failover bugs nobody wrote a scenario for,
// and shrinks each one it finds to a minimal scenario file:
//
//	scenario (topology, load, explore:) ──▶ Generate(seed) ──▶ Plan ──▶ scenario file ──▶ run ──▶ ledger
//	                                                                                          │
//	   reports/explore/NAME.yaml ◀── Shrinker (ddmin over steps, then values) ◀── violated invariant
//
// A Plan is a timeline of steps drawn from the registered fault kinds
// (labs/faults: each kind declares its Space in its own file). The
// Shrinker is a pure function of a plan and an Oracle: delta debugging
// over the steps, then each step's values, duration, time and node, then
// the run's length; Repeat is the rule that tells a failure from noise.
package explore
