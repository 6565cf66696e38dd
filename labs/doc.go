// Package labs is the lab runtime's core: the Driver and Run every driver
// (labs/drivers/docker, process, compose) implements, the lifecycle they
// share (Start, Core.CloseOnce), and Core, which applies faults through
// their kinds (labs/faults) and marks each in the run's ledger. A driver
// turns a vocab.Topology (a proxy under test in front of named nodes) into
// running containers or processes; labs/drivers.FromEnv picks one from
// LAB_DRIVER, and labs/runner plays a scenario on it.
//
// One run looks the same under every driver:
//
//	client ──▶ proxy ──▶ Toxiproxy link "service"  ──▶ node service  (app, primary)
//	                 └─▶ Toxiproxy link "failover" ──▶ node failover (errorpage, standby)
//
// The proxy's pool members are the Toxiproxy links, never the nodes, so a
// network fault needs no restart (the compose demo has no links, and
// refuses network faults).
//
// A fault (vocab.Fault: HTTP, Container or Network) has two moments:
//
//	Run.Apply ──▶ in force ──▶ Run.Clear
//	mark {apply}                mark {clear}
//
// Clear undoes exactly what Apply did (the kind's own undo: stop → start,
// pause → unpause, disconnect → reconnect, toxic → removed, link down →
// up, http fault → deleted) and, when the node was stopped, returns once
// it answers again.
//
// Cleanup (labs/cleanup): every Docker resource carries the labels
// LabelRun and LabelOwner; Start sweeps resources whose owner process is
// dead and Close removes the run's own. Process-driver children die with
// the process that started them, even when it is killed with SIGKILL.
package labs
