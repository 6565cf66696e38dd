// Bench runs failover-proxy, nginx, HAProxy and Apache httpd side by side
// in front of the same app fixture on loopback, one after the other in one
// run (same machine state), and prints their throughput and latency as
// ratios to failover-proxy. `make bench` runs it after the proxy's Go
// micro-benchmarks.
//
//	          ┌─ failover-proxy ─┐
//	wrk ──▶   ├─ nginx           ├──▶ app (one node, own port)
//	(or Go)   ├─ haproxy         │
//	          └─ apache2 ────────┘
//	wrk ──────────────────────────▶ app             the "direct" row
//
// Each proxy is started by the lab's process driver with Direct set, so it
// reaches the app without Toxiproxy in between. Load is closed-loop: wrk
// -t1 -cN -dD when wrk is installed, else a Go loop of N keep-alive
// clients. On a shared 2-core machine absolute numbers move from run to
// run; the ratios, measured minutes apart, are what to read.
//
// Usage:
//
//	go run ./labs/bench [-d 5s] [-c 32] [-kinds builtin,nginx,haproxy,apache]
package main
