package load

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// MalformedKinds are the broken bodies Spec.Malformed can send: a client
// fault the proxy must answer itself without blaming a member.
//
//	chunked  Transfer-Encoding: chunked, one good chunk, then a chunk-size
//	         line that is not hex
//	short    Content-Length: 100, seven bytes, then the client closes its
//	         side of the connection
var MalformedKinds = []string{"chunked", "short"}

// runMalformed sends s.Rate broken requests per second for s.Duration on
// raw connections (net/http will not write a broken body), open loop: a
// request is due every 1/Rate whatever the earlier ones do.
func runMalformed(ctx context.Context, s Spec, l Recorder) error {
	u, err := s.url()
	if err != nil {
		return err
	}
	raw := malformedRequest(s, u.RequestURI(), u.Host)
	every := time.Second / time.Duration(s.Rate)
	begin := time.Now()
	var wg sync.WaitGroup
	defer wg.Wait()
	for seq := 0; ; seq++ {
		due := begin.Add(time.Duration(seq+1) * every)
		if s.Duration > 0 && due.Sub(begin) > s.Duration {
			return nil
		}
		t := time.NewTimer(time.Until(due))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		wg.Go(func() {
			row := sendRaw(ctx, s.Reach, u.Host, raw, s.Malformed == "short", s.Timeout)
			row.Seq, row.Scheduled, row.Stream = seq, due, s.Stream
			row.Latency += row.Sent.Sub(due)
			if ctx.Err() == nil {
				l.Record(row)
			}
		})
	}
}

func malformedRequest(s Spec, uri, host string) []byte {
	head := s.Method + " " + uri + " HTTP/1.1\r\nHost: " + host + "\r\n"
	for k, vs := range s.Header {
		for _, v := range vs {
			head += k + ": " + v + "\r\n"
		}
	}
	if s.Malformed == "short" {
		return []byte(head + "Content-Length: 100\r\n\r\nitem=42")
	}
	return []byte(head + "Transfer-Encoding: chunked\r\n\r\n5\r\nitem=\r\nzz\r\n")
}

// sendRaw writes raw on a new connection to addr (where reach allows)
// and reads one response; latency runs from the send.
func sendRaw(ctx context.Context, reach Reach, addr string, raw []byte, closeWrite bool, timeout time.Duration) ledger.Row {
	row := ledger.Row{Sent: time.Now()}
	finish := func(err error) ledger.Row {
		row.Latency = time.Since(row.Sent)
		if err != nil {
			row.Err = ErrKind(err)
			if row.Err == "" {
				row.Err = ledger.ErrOther
			}
		}
		return row
	}
	conn, err := reach.Dial(&net.Dialer{Timeout: timeout})(ctx, "tcp", addr)
	if err != nil {
		return finish(err)
	}
	defer conn.Close()
	conn.SetDeadline(row.Sent.Add(timeout))
	if _, err := conn.Write(raw); err != nil {
		return finish(err)
	}
	if closeWrite {
		conn.(*net.TCPConn).CloseWrite()
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return finish(err)
	}
	resp.Body.Close()
	row.Status = resp.StatusCode
	if row.ServedBy = resp.Header.Get("X-Served-By"); row.ServedBy == "" {
		row.ServedBy = ledger.ServedByProxy
	}
	return finish(nil)
}
