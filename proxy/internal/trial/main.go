// Command trial tries failover-proxy as a new user would, with the lab's
// fixtures as separate processes and the proxy from its quick-start flags
// only (-primary, -standby). Each mode is one story of issue 11:
//
//	seed       50 GET/s; the primary answers 500 on every path from 3 s for
//	           -broken, then is fixed: client 5xx and the failback time
//	poison     50 GET/s of normal traffic plus 2/s GET /poison, which both
//	           members (two apps) answer with 500
//	malformed  50 GET/s plus 2/s POST whose body breaks (bad chunking, or
//	           shorter than its Content-Length)
//	hang       20 GET/s, 5 s client timeout; the primary hangs from 3 s for
//	           -hang, then is fixed
//
//	go build -o bin/ ./proxy/cmd/... ./fixtures/cmd/...
//	go run ./proxy/internal/trial -bin bin -mode seed -broken 10.3s
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"
)

func main() {
	bin := flag.String("bin", "bin", "directory holding failover-proxy, app and errorpage")
	mode := flag.String("mode", "seed", "seed, poison, malformed or hang")
	broken := flag.Duration("broken", 10*time.Second, "seed: how long the primary answers 500")
	hang := flag.Duration("hang", 15*time.Second, "hang: how long the primary hangs")
	flag.Parse()
	if err := trial(*bin, *mode, *broken, *hang); err != nil {
		fmt.Fprintln(os.Stderr, "trial:", err)
		os.Exit(1)
	}
}

// setup is the processes' addresses.
type setup struct {
	px, ctl string // proxy, the primary's fault control
}

func trial(bin, mode string, broken, hang time.Duration) error {
	app, ctl, stb, ctl2, px, adm := freePort(), freePort(), freePort(), freePort(), freePort(), freePort()
	standby := []string{"errorpage", "-listen", stb, "-name", "failover", "-status", "200"}
	primary := []string{"app", "-listen", app, "-control", ctl, "-name", "service"}
	if mode == "poison" { // the application cannot handle /poison, on every member
		poison := `{"kind":"status","status":500,"path":"/poison"}`
		primary = append(primary, "-fault", poison)
		standby = []string{"app", "-listen", stb, "-control", ctl2, "-name", "failover", "-fault", poison}
	}
	var procs []*exec.Cmd
	defer func() {
		for _, p := range procs {
			p.Process.Signal(os.Interrupt)
			p.Wait()
		}
	}()
	for _, args := range [][]string{primary, standby,
		{"failover-proxy", "-listen", px, "-primary", "http://" + app, "-standby", "http://" + stb, "-admin", adm},
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
	s := setup{px: "http://" + px, ctl: "http://" + ctl + "/faults"}
	switch mode {
	case "seed":
		return seed(s, broken)
	case "poison":
		return abuse(s, "GET /poison", getter(s.px+"/poison", 5*time.Second))
	case "malformed":
		return abuse(s, "POST with a broken body", malformed(px))
	case "hang":
		return hung(s, hang)
	}
	return fmt.Errorf("unknown -mode %q", mode)
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
