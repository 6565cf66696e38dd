package upstream_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// FuzzMemberAnswer: whatever bytes a member answers with, and then closes
// the connection, the Client neither panics nor hangs, and the member's
// bytes never reach the next request: it gets the answer of a new
// connection.
func FuzzMemberAnswer(f *testing.F) {
	for _, seed := range []string{
		okAnswer,
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + okAnswer,
		"HTTP/1.1 204 No Content\r\n\r\n",
		"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end",
		okAnswer + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstale",
		"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n",
		"HTTP/1.0 200 OK\r\n\r\nold",
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok",
		"garbage\r\n\r\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	// One member for every input (a listener each would run the machine
	// out of ports): /answer gets the input and the connection closed,
	// anything else "fresh".
	var answer atomic.Pointer[[]byte]
	m := newMember(f, func(_ int, c net.Conn, br *bufio.Reader) {
		for {
			req, err := http.ReadRequest(br)
			if err != nil {
				return
			}
			if req.URL.Path == "/answer" {
				c.Write(*answer.Load())
				return
			}
			if _, err := io.WriteString(c, freshAnswer); err != nil {
				return
			}
		}
	})
	// One Client too: the answer usually goes out on the connection the
	// last "fresh" came on, so one connection is opened per input.
	r := newRig(f, func(tr *http.Transport) { tr.ResponseHeaderTimeout = 5 * time.Second })
	f.Fuzz(func(t *testing.T, b []byte) {
		answer.Store(&b)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, m.URL()+"answer", nil)
		start := time.Now()
		if resp, err := r.RoundTrip(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Fatalf("an answer from a member that closed the connection took %v", d)
		}
		if got := r.get(t, m.URL()); got != "fresh" {
			t.Fatalf("the next GET: body %q, want %q: the member's answer %q reached it", got, "fresh", b)
		}
	})
}
