// Package vocab is the lab's vocabulary: the words a scenario file, the
// runtime's drivers, the expectations and the reports share, defined once
// with their one validation.
//
//	Topology ── Name, ProxySpec{Kind ProxyKind, Config (the user's own file), Pool config.Pool}
//	   └─ Nodes []Node ── Name, Role (primary | standby), Weight, and either
//	        ├─ Fixture (app | errorpage | php), Args
//	        └─ Image, Port, Health, Env, Command   (docker driver)
//
//	Fault ── Node + the Settings of one kind registered in labs/faults, by family:
//	   ├─ http       {kind: status | latency | hang | ...}     a fixture's control API (php: status only)
//	   ├─ container  {action: stop | kill | pause | ...}
//	   ├─ network    {toxic: latency | bandwidth | ...}
//	   └─ tls        {cert: expired | unknown-ca | wrong-name}
//
// Import arrows run one way: vocab imports only proxy/config (the pool
// settings), labs/faults (the fault kinds) and labs/ledger (the word
// served_by uses for the proxy), leaves both, never the runtime;
// labs/scenario embeds these types in its file format, the drivers start
// and break what they describe, and labs/expect and labs/report read them
// without pulling in Docker or Toxiproxy.
//
// Validation reports problems through a Report with paths relative to the
// value checked ("nodes[1].fixture", "container.action"), so the scenario
// format can place each one at its line and column, and the runtime can
// return the first as an error wrapping ErrInvalid.
package vocab
