// Package scenario reads outage scenarios: short YAML files that name a
// topology (a proxy in front of nodes), a load, a timeline of faults and the
// expectations the run must meet.
//
// The model:
//
//	file ──Parse──▶ strict check (proxy/config/strictyaml: unknown keys, types;
//	                   │           file:line:col, did you mean)
//	                   ▼
//	               Scenario ──Validate──▶ the vocabulary's rules (labs/vocab: nodes,
//	                                      faults), the proxy's (pool settings), names
//	                                      resolve (events), values in range
//
// The format embeds the vocabulary's types (vocab.ProxySpec, vocab.Node,
// vocab.Fault, and through them config.Pool and app.Fault) instead of
// copying them. It does not run anything: labs/runner does.
//
// A timeline event happens at a time relative to the run's start (the
// ledger mark "start"); expectations (package expect) look at windows that
// open at an event and close at the next one. Everything a user can write
// is a field of the types below, so the JSON Schema shipped with the
// scenarios (scenarios/scenario.schema.json) is generated from them and a
// test keeps the two equal.
package scenario
