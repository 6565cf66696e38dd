// Package labs is the lab runtime: it turns a vocab.Topology (a proxy under test
// in front of named nodes) into running containers or processes, breaks
// nodes on demand, and marks every fault in the run's ledger.
//
// One run looks the same under both drivers:
//
//	client ──▶ proxy ──▶ Toxiproxy link "service"  ──▶ node service  (app, primary)
//	                 └─▶ Toxiproxy link "failover" ──▶ node failover (errorpage, standby)
//
// The proxy's pool members are the Toxiproxy links, never the nodes, so a
// network fault needs no restart. DockerDriver puts everything on one
// labelled network per run and publishes ports on 127.0.0.1 only;
// ProcessDriver runs the same binaries on free 127.0.0.1 ports with an
// in-process Toxiproxy. DriverFromEnv picks one from LAB_DRIVER.
//
// A fault has three kinds (vocab.Fault.HTTP, vocab.Fault.Container, vocab.Fault.Network) and
// two moments:
//
//	Run.Apply ──▶ in force ──▶ Run.Clear
//	mark {apply}                mark {clear}
//
// Clear undoes exactly what Apply did (stop → start, pause → unpause,
// disconnect → reconnect, toxic → removed, link down → up, http fault →
// deleted) and, when the node was stopped, returns once it answers again.
//
// Cleanup: every Docker resource carries the labels cleanup.LabelRun and
// cleanup.LabelOwner; Start sweeps resources whose owner process is dead and Close
// removes the run's own. Process-driver children die with the process that
// started them, even when it is killed with SIGKILL.
package labs
