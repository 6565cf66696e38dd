// Package proxy is the failover reverse proxy: a plain http.Handler that
// routes a request to a pool, picks a usable member of the best tier, and
// forwards it with net/http/httputil.ReverseProxy (ServeHTTP, net/http's
// engine) or with forward (Fast, the fast HTTP/1.1 engine of proxy/h1):
// the rules below are the same code for both. The pool's transport is an
// upstream.Client: net/http's parsing over keep-alive connections of its
// own, sent on the handler's goroutine (proxy/upstream).
//
// The retry lives in the ReverseProxy's Transport (retrier.go): each attempt
// is sent to a member; a refused or reset connection, a response-header
// timeout or a listed status (500, 502, 503, 504) is a passive failure of
// that member — never the client's broken body or its going away
// (errclass.go) — and — when the method is idempotent or the request carries an
// Idempotency-Key, its body was buffered, attempts and the retry budget are
// left, and another member is usable — the request is sent again, to the
// next member, before a byte was written to the client. So the 500 that
// triggers failover is never seen by the client.
//
// Answers the proxy makes itself carry X-Served-By: proxy and
// X-Proxy-Error: connect | timeout | no-usable-member | bad-request |
// client-gone (docs/contracts.md). A failure makes the member suspect and
// probed at once; a request that already failed elsewhere is poison and not
// held against the next member; passive detection never ejects the last
// usable member; an ejection re-sends the attempts still waiting on it
// (docs/proxy.md, "Passive detection").
//
//	request ─▶ route ─▶ pool ─▶ Pick(tier 0…n, not tried) ─▶ member
//	                      ▲                                   │
//	                      └──── failure, retry allowed ◀──────┘
package proxy
