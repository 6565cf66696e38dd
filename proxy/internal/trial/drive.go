package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

type row struct {
	sent   time.Time
	status int
	by     string
	err    error
}

// sender makes one request.
type sender func() row

// getter GETs url with a client timeout.
func getter(url string, timeout time.Duration) sender {
	client := &http.Client{Timeout: timeout, Transport: &http.Transport{MaxIdleConnsPerHost: 200}}
	return func() row {
		var r row
		resp, err := client.Get(url)
		if r.err = err; err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			r.status, r.by = resp.StatusCode, resp.Header.Get("X-Served-By")
		}
		return r
	}
}

// malformed POSTs a body that breaks: bad chunking and a body shorter than
// its Content-Length, in turn, on raw connections to addr.
func malformed(addr string) sender {
	var mu sync.Mutex
	n := 0
	bodies := []string{
		"POST /order HTTP/1.1\r\nHost: shop\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nitem=\r\nzz\r\n",
		"POST /order HTTP/1.1\r\nHost: shop\r\nContent-Length: 100\r\n\r\nitem=42",
	}
	return func() row {
		mu.Lock()
		raw := bodies[n%len(bodies)]
		n++
		mu.Unlock()
		var r row
		conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if r.err = err; err != nil {
			return r
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		conn.Write([]byte(raw))
		conn.(*net.TCPConn).CloseWrite()
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if r.err = err; err == nil {
			resp.Body.Close()
			r.status, r.by = resp.StatusCode, resp.Header.Get("X-Served-By")
		}
		return r
	}
}

// event is something done at a time from the start.
type event struct {
	at time.Duration
	do func() error
}

// drive sends each stream at its rate for d, doing the events on time.
func drive(d time.Duration, events []event, streams ...struct {
	rate int
	send sender
}) ([][]row, error) {
	out := make([][]row, len(streams))
	var mu sync.Mutex
	var wg sync.WaitGroup
	begin := time.Now()
	for i, s := range streams {
		wg.Go(func() {
			every := time.Second / time.Duration(s.rate)
			for k := 0; ; k++ {
				at := begin.Add(time.Duration(k) * every)
				if at.Sub(begin) >= d {
					return
				}
				time.Sleep(time.Until(at))
				wg.Go(func() {
					r := s.send()
					r.sent = at
					mu.Lock()
					out[i] = append(out[i], r)
					mu.Unlock()
				})
			}
		})
	}
	var err error
	for _, e := range events {
		time.Sleep(time.Until(begin.Add(e.at)))
		if err = e.do(); err != nil {
			break
		}
	}
	wg.Wait()
	return out, err
}

// summary prints a stream's counts and who served it.
func summary(name string, rows []row) {
	var n5xx, nerr int
	by := map[string]int{}
	for _, r := range rows {
		switch {
		case r.err != nil:
			nerr++
		case r.status >= 500:
			n5xx++
		}
		if r.err == nil {
			by[r.by]++
		}
	}
	fmt.Printf("%s: %d requests, client 5xx %d, transport errors %d, served by %v", name, len(rows), n5xx, nerr, by)
	if len(rows) > 0 {
		fmt.Printf(" (service %.1f%%)", 100*float64(by["service"])/float64(len(rows)))
	}
	fmt.Println()
}
