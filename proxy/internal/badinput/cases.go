// Package badinput holds the raw bad requests the proxy's tests send.
package badinput

import "strings"

// Cases are raw requests a hostile or broken client sends, each with the
// status the proxy must answer (TestBadInputSuite in
// proxy/cmd/failover-proxy). Want 0: the proxy closes the connection
// without an answer. The differential fuzz target of proxy/h1 starts
// from them too.
var Cases = []struct {
	Name, Raw string
	Want      int
}{
	// Request smuggling shapes (CL.TE, TE.CL, TE.TE, CL.CL).
	{"CL.TE: chunked wins, the rest is a next request of this client", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG", 200},
	{"TE.CL: the smuggled request is chunk data", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n23\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n\r\n0\r\n\r\n", 200},
	{"TE.CL with a miscounted chunk (streamed POST)", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n22\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n\r\n0\r\n\r\n", 400},
	{"two Content-Length values", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde", 400},
	{"Content-Length list", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4, 5\r\n\r\nabcde", 400},
	{"negative Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400},
	{"signed Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +4\r\n\r\nabcd", 400},
	{"chunked twice", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501},
	{"chunked, identity", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", 501},
	{"xchunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 501},
	{"space before colon", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 400},
	{"obs-fold: Go joins the lines, the member gets one", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n", 200},
	{"TE in HTTP/1.0", "POST / HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 200},
	// Oversized and malformed headers.
	{"header block past max_header_bytes", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 80<<10) + "\r\n\r\n", 431},
	{"request line past max_header_bytes", "GET /" + strings.Repeat("a", 80<<10) + " HTTP/1.1\r\nHost: x\r\n\r\n", 431},
	{"many headers", "GET / HTTP/1.1\r\nHost: x\r\n" + strings.Repeat("X-N: 1\r\n", 10000) + "\r\n", 431},
	{"header without colon", "GET / HTTP/1.1\r\nHost: x\r\nnocolon\r\n\r\n", 400},
	{"NUL in a header value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n", 400},
	{"no Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", 400},
	{"two Hosts", "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400},
	{"bad method", "G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400},
	{"unknown version", "GET / HTTP/9.9\r\nHost: x\r\n\r\n", 505},
	{"control character in the path", "GET /a\x01b HTTP/1.1\r\nHost: x\r\n\r\n", 400},
	{"asterisk form: Go answers it itself", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", 200},
	{"dot segments behind an encoded slash", "GET /a/..%2F..%2Fetc HTTP/1.1\r\nHost: x\r\n\r\n", 400},
	// Bad chunking.
	{"chunk size not hex", "PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400},
	{"chunk longer than its size", "PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcdef\r\n0\r\n\r\n", 400},
	{"chunk size overflow", "PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nabc\r\n0\r\n\r\n", 400},
	{"body cut short", "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc", 408},
	{"streamed POST body cut short", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nabc", 408},
	{"streamed POST bad chunk", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n", 400},
	// Other request forms and upgrades.
	{"absolute-form to another host: served by the members, no open proxy", "GET http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\n\r\n", 200},
	{"absolute-form, other scheme", "GET ftp://evil.example/x HTTP/1.1\r\nHost: evil.example\r\n\r\n", 200},
	{"CONNECT", "CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n", 400},
	{"h2c upgrade: answered in HTTP/1.1", "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n", 200},
	{"HTTP/2 preface on the HTTP/1 port", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400},
	{"Expect: 100-continue", "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello", 200},
	{"unknown expectation", "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: teapot\r\n\r\nhello", 417},
	{"HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n", 200},
}
