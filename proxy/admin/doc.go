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
// With a token configured, every POST must carry "Authorization: Bearer
// TOKEN"; without one the listener only binds to loopback (config checks).
package admin
