package admin_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy/member"
)

// TestButtonsInChromium opens the status page in headless Chromium the way
// an operator may, with the token in the URL (http://admin:TOKEN@host/),
// and clicks drain: the member must be drained (traffic on the standby,
// "admin: drain" in its why-timeline on the reloaded page), then enable
// brings it back. Before the buttons built their URLs on location.origin,
// every click threw in fetch ("Request cannot be constructed from a URL
// that includes credentials") and nothing happened.
//
// Chromium is driven through chromedriver's W3C WebDriver API over plain
// HTTP (the few calls below), not chromedp: no new dependency, and the
// same two Debian packages an operator's CI installs.
func TestButtonsInChromium(t *testing.T) {
	wd := startChromium(t)
	const token = "s3cret-token"
	l := newLab(t, token)
	page := strings.Replace(l.admin.URL, "http://", "http://admin:"+token+"@", 1) + "/"
	wd.navigate(page)
	if src := wd.source(); !strings.Contains(src, "Pool web") {
		t.Fatalf("status page with credentials in the URL: got %.300q, want the pool table", src)
	}
	svc := l.srv.Pools()["web"].Member("service")

	wd.click(`button[data-post="/pools/web/members/service/drain"]`)
	waitFor(t, wd, "drain", func() bool { return svc.AdminState() == member.Draining })
	if served := servedBy(t, l.front.URL); served != "failover" {
		t.Errorf("after drain: served by %q, want failover", served)
	}
	waitFor(t, wd, "the page showing the drain", func() bool { return strings.Contains(wd.source(), "admin: drain") })

	wd.click(`button[data-post="/pools/web/members/service/enable"]`)
	waitFor(t, wd, "enable", func() bool { return svc.AdminState() == member.Active })
	if served := servedBy(t, l.front.URL); served != "service" {
		t.Errorf("after enable: served by %q, want service", served)
	}
}

// waitFor polls ok under a deadline; on failure it reports what the page's
// scripts threw (errors the page recorded since the last click).
func waitFor(t *testing.T, wd *webDriver, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not seen within 15s; errors on the page: %v", what, wd.pageErrors())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func servedBy(t *testing.T, front string) string {
	t.Helper()
	resp, err := http.Get(front + "/")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.Header.Get("X-Served-By")
}

// webDriver is one chromedriver session.
type webDriver struct {
	t       *testing.T
	base    string // http://127.0.0.1:PORT/session/ID
	session string
	client  *http.Client
}

// startChromium runs chromedriver (its own process group, killed with the
// browser it starts at cleanup) and opens a headless session, or skips the
// test naming the packages to install.
func startChromium(t *testing.T) *webDriver {
	t.Helper()
	browser, err1 := exec.LookPath("chromium")
	driver, err2 := exec.LookPath("chromedriver")
	if err1 != nil || err2 != nil {
		t.Skip("headless Chromium not found: apt-get install chromium chromium-driver (Debian packages) to run this test")
	}
	cmd := exec.Command(driver, "--port=0")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start chromedriver: %v", err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // chromedriver and the Chromium it started
		cmd.Wait()
	})
	port := make(chan string, 1)
	go func() { // reads chromedriver's output to its end (its exit), so nothing blocks it
		re := regexp.MustCompile(`started successfully on port (\d+)`)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				port <- m[1]
			}
		}
		close(port)
	}()
	var p string
	select {
	case p = <-port:
	case <-time.After(30 * time.Second):
	}
	if p == "" {
		t.Fatal("chromedriver did not say which port it listens on within 30s")
	}
	wd := &webDriver{t: t, client: &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}}
	wd.base = "http://127.0.0.1:" + p
	var created struct {
		SessionID string `json:"sessionId"`
	}
	wd.call("POST", "/session", map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName": "chrome",
		"goog:chromeOptions": map[string]any{
			"binary": browser,
			"args":   []string{"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=" + t.TempDir()},
		},
	}}}, &created)
	if created.SessionID == "" {
		t.Fatal("chromedriver: no session id")
	}
	wd.session = created.SessionID
	t.Cleanup(func() { wd.call("DELETE", "", nil, nil) })
	return wd
}

// call sends one WebDriver command (path relative to the session, or to
// the driver before there is one) and decodes its "value" into v.
func (wd *webDriver) call(method, path string, body, v any) {
	wd.t.Helper()
	url := wd.base + path
	if wd.session != "" {
		url = wd.base + "/session/" + wd.session + path
	}
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Content-Type", "application/json")
	resp, err := wd.client.Do(req)
	if err != nil {
		wd.t.Fatalf("webdriver %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var env struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(raw, &env); err != nil || resp.StatusCode != 200 {
		wd.t.Fatalf("webdriver %s %s: %d %.500s", method, path, resp.StatusCode, raw)
	}
	if v != nil {
		if err := json.Unmarshal(env.Value, v); err != nil {
			wd.t.Fatalf("webdriver %s %s: %v in %.300s", method, path, err, raw)
		}
	}
}

func (wd *webDriver) navigate(url string) {
	wd.call("POST", "/url", map[string]string{"url": url}, nil)
}

func (wd *webDriver) source() string {
	var s string
	wd.call("GET", "/source", nil, &s)
	return s
}

// click finds the element by CSS selector and clicks it, after making the
// page record its scripts' errors (pageErrors reads them). The page
// refreshes itself every 2 s, so a find and its click are done together.
func (wd *webDriver) click(css string) {
	wd.t.Helper()
	wd.exec(`sessionStorage.errs = '';
const note = m => { sessionStorage.errs += m + '; ' };
addEventListener('error', e => note(e.message));
addEventListener('unhandledrejection', e => note(e.reason));`, nil)
	var el map[string]string
	wd.call("POST", "/element", map[string]string{"using": "css selector", "value": css}, &el)
	for _, id := range el { // the W3C element key is a fixed UUID-like name
		wd.call("POST", "/element/"+id+"/click", map[string]string{}, nil)
		return
	}
	wd.t.Fatalf("no element %s", css)
}

func (wd *webDriver) exec(script string, v any) {
	wd.call("POST", "/execute/sync", map[string]any{"script": script, "args": []any{}}, v)
}

// pageErrors are the errors the page's scripts threw after the last click
// (kept in sessionStorage: the page refreshes itself).
func (wd *webDriver) pageErrors() string {
	var errs string
	wd.exec(`return sessionStorage.errs || ''`, &errs)
	return fmt.Sprintf("%q", errs)
}
