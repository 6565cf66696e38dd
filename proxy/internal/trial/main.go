// Command trial tries failover-proxy as a new user would, with the lab's
// fixtures as separate processes: app as the primary, errorpage (status 200,
// as in the seed) as the standby, the proxy from its quick-start flags.
// It drives 50 GET/s, switches the primary to 500 at 3 s, fixes it after
// -broken, and reports client 5xx and the failback time.
//
//	go build -o bin/ ./proxy/cmd/... ./fixtures/cmd/...
//	go run ./proxy/internal/trial -bin bin -broken 10.3s
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

type row struct {
	sent   time.Time
	status int
	by     string
	err    error
}

func main() {
	bin := flag.String("bin", "bin", "directory holding failover-proxy, app and errorpage")
	broken := flag.Duration("broken", 10*time.Second, "how long the primary answers 500")
	flag.Parse()
	if err := trial(*bin, *broken); err != nil {
		fmt.Fprintln(os.Stderr, "trial:", err)
		os.Exit(1)
	}
}

func trial(bin string, broken time.Duration) error {
	app, ctl, ep, px, adm := freePort(), freePort(), freePort(), freePort(), freePort()
	var procs []*exec.Cmd
	defer func() {
		for _, p := range procs {
			p.Process.Signal(os.Interrupt)
			p.Wait()
		}
	}()
	for _, args := range [][]string{
		{"app", "-listen", app, "-control", ctl, "-name", "service"},
		{"errorpage", "-listen", ep, "-name", "failover", "-status", "200"},
		{"failover-proxy", "-listen", px, "-primary", "http://" + app, "-standby", "http://" + ep, "-admin", adm},
	} {
		c := exec.Command(bin+"/"+args[0], args[1:]...)
		if err := c.Start(); err != nil {
			return err
		}
		procs = append(procs, c)
	}
	if err := waitReady("http://"+adm+"/ready", 10*time.Second); err != nil {
		return err
	}
	rows, flipAt, fixAt, err := drive("http://"+px+"/cart", "http://"+ctl+"/faults", broken)
	if err != nil {
		return err
	}
	report(rows, flipAt, fixAt)
	return nil
}

// drive sends 50 GET/s, breaks the primary at 3 s and fixes it after broken.
func drive(url, faults string, broken time.Duration) (rows []row, flipAt, fixAt time.Time, err error) {
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 100}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	defer wg.Wait()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	begin := time.Now()
	for now := range tick.C {
		el := now.Sub(begin)
		switch {
		case flipAt.IsZero() && el >= 3*time.Second:
			if err := control("POST", faults, `{"kind":"status","status":500}`); err != nil {
				return nil, flipAt, fixAt, err
			}
			flipAt = time.Now()
		case !flipAt.IsZero() && fixAt.IsZero() && el >= 3*time.Second+broken:
			if err := control("DELETE", faults, ""); err != nil {
				return nil, flipAt, fixAt, err
			}
			fixAt = time.Now()
		case el >= 3*time.Second+broken+5*time.Second:
			wg.Wait()
			return rows, flipAt, fixAt, nil
		}
		wg.Go(func() {
			r := row{sent: now}
			resp, err := client.Get(url)
			if r.err = err; err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				r.status, r.by = resp.StatusCode, resp.Header.Get("X-Served-By")
			}
			mu.Lock()
			rows = append(rows, r)
			mu.Unlock()
		})
	}
	return rows, flipAt, fixAt, nil
}

func report(rows []row, flipAt, fixAt time.Time) {
	var n5xx, nerr, primaryWhileBroken int
	var first row
	var back time.Time
	for _, r := range rows {
		if r.err != nil {
			nerr++
		}
		if r.status >= 500 {
			n5xx++
		}
		if r.sent.After(flipAt) && (first.sent.IsZero() || r.sent.Before(first.sent)) {
			first = r
		}
		if r.sent.After(flipAt) && r.sent.Before(fixAt) && r.by == "service" {
			primaryWhileBroken++
		}
		if r.sent.After(fixAt) && r.by == "service" && (back.IsZero() || r.sent.Before(back)) {
			back = r.sent
		}
	}
	fmt.Printf("requests %d, client 5xx %d, transport errors %d\n", len(rows), n5xx, nerr)
	fmt.Printf("first request after the flip served by %q (status %d)\n", first.by, first.status)
	fmt.Printf("requests served by service while broken: %d\n", primaryWhileBroken)
	fmt.Printf("failback: first request served by service %s after the fix\n", back.Sub(fixAt).Round(time.Millisecond))
}

func control(method, url, body string) error {
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("fault control: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("fault control: %s %s: status %d", method, url, resp.StatusCode)
	}
	return nil
}

func waitReady(url string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		if r, err := http.Get(url); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready within %s", url, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func freePort() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
