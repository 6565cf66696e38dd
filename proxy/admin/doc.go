// Package admin is the operator's side of the proxy, on its own listener:
// a status page (HTML) and the same data as JSON, each member's
// why-timeline, drain/disable/enable actions, reload, Prometheus metrics
// and the readiness check.
//
//	GET  /                                   status page (HTML, no script)
//	GET  /status                             the same, JSON
//	GET  /ready                              200 once serving
//	GET  /metrics                            Prometheus
//	POST /pools/{pool}/members/{member}/{drain|disable|enable}
//	POST /reload                             re-read the config file
//
// The page's drain/disable/enable and reload buttons post through
// /admin.js with the same protections as any client (guard.go): Host names,
// the token on every request but /ready (Bearer, or Basic with the token as
// password for a browser), cross-origin POSTs refused, and only non-simple
// POSTs (JSON, a Bearer token or an X-Requested-By header) accepted. Without
// a token the listener only binds to loopback (config checks).
package admin
