// Package scenario reads outage scenarios: short YAML files that name a
// topology (a proxy in front of nodes), a load, a timeline of faults and the
// expectations the run must meet.
//
// The model:
//
//	file ──Parse──▶ shape check (unknown keys, types; file:line:col, did you mean)
//	                   │
//	                   ▼
//	               Scenario ──Validate──▶ names resolve (nodes, events), values in range
//	                   │
//	                   ▼
//	       Run: driver.Start ─▶ load in the background ─▶ events at their times
//	            (fault → Apply, clear → Clear, mark, end) ─▶ the ledger
//
// A timeline event happens at a time relative to the run's start (the
// ledger mark "start"); expectations (package expect) look at windows that
// open at an event and close at the next one. Everything a user can write
// is a field of the types below, so the JSON Schema shipped with the
// scenarios (scenarios/scenario.schema.json) is generated from them and a
// test keeps the two equal.
package scenario
