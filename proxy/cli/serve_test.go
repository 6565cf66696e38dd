package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
)

func fileConfig(svc, stb string) string {
	return fmt.Sprintf(`listen: ["127.0.0.1:0"]
admin: {listen: "127.0.0.1:0"}
log: {format: json, access: true}
shutdown_timeout: 5s
pools:
  web:
    members:
      - {name: service,  url: %q}
      - {name: failover, url: %q, tier: standby}
`, svc, stb)
}

func namedBackend(t *testing.T, name string, status int) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Served-By", name)
		w.WriteHeader(status)
	}))
	t.Cleanup(s.Close)
	return s
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func servedBy(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("X-Served-By")
}

func TestSIGHUPReload(t *testing.T) {
	svc, stb := namedBackend(t, "service", 500), namedBackend(t, "failover", 200)
	path := writeFile(t, fileConfig(svc.URL, stb.URL))
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	traffic, adm, stop := started(t, cfg, func() (*config.Config, error) { return config.Load(path) }, &logs)
	if code, by := servedBy(t, "http://"+traffic+"/"); code != 200 || by != "failover" {
		t.Fatalf("before reload: got %d from %q, want 200 from failover", code, by)
	}

	// A broken file: the old config stays, traffic goes on, the page says why.
	os.WriteFile(path, []byte("pools:\n  web:\n    members: [{url: \"ftp://x\"}]\n"), 0o644)
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	waitFor(t, "failed reload logged", func() bool { return strings.Contains(logs.String(), "reload failed") })
	if code, by := servedBy(t, "http://"+traffic+"/"); code != 200 || by != "failover" {
		t.Errorf("after a broken reload: got %d from %q, want 200 from failover", code, by)
	}
	resp, _ := http.Get("http://" + adm + "/")
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "pools.web.members[0].url: scheme must be http or https") {
		t.Errorf("status page does not show the reload error")
	}

	// A good file: the service stays out with the same cause (members that
	// remain keep their health), the new weight applies.
	before := members(t, adm)
	os.WriteFile(path, []byte(strings.Replace(fileConfig(svc.URL, stb.URL), "tier: standby}", "tier: standby, weight: 5}", 1)), 0o644)
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	waitFor(t, "reload logged", func() bool { return strings.Contains(logs.String(), `"msg":"reloaded"`) })
	ms := members(t, adm)
	if ms[0].State == "up" || ms[0].Cause != before[0].Cause || ms[1].Weight != 5 {
		t.Errorf("after reload: got %+v, want service still out (%+v) and failover weight 5", ms, before[0])
	}
	stop()
	if !strings.Contains(logs.String(), `"msg":"transition","pool":"web","member":"service","from":"up"`) {
		t.Errorf("transition not logged:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), `"msg":"access"`) || !strings.Contains(logs.String(), `"served_by":"failover"`) {
		t.Errorf("JSON access log missing:\n%s", logs.String())
	}
}

type memberJSON struct {
	Name, State, Cause string
	Weight             int
}

func members(t *testing.T, adm string) []memberJSON {
	t.Helper()
	var st struct {
		Pools []struct{ Members []memberJSON }
	}
	resp, err := http.Get("http://" + adm + "/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil || len(st.Pools) == 0 {
		t.Fatalf("status: %v", err)
	}
	return st.Pools[0].Members
}

func TestGracefulShutdownFinishesInFlight(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") == "failover-proxy-health" {
			return
		}
		if r.URL.Path != "/in-flight" {
			return // a probe for the closed listener that the proxy still took
		}
		close(entered)
		<-release
		io.WriteString(w, "finished")
	}))
	defer slow.Close()
	cfg, err := config.Parse(strings.NewReader(fmt.Sprintf(
		"listen: [\"127.0.0.1:0\"]\nadmin: {listen: \"127.0.0.1:0\"}\npools: {web: {members: [{url: %q}]}}\n", slow.URL)), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	traffic, _, stop := started(t, cfg, nil, &syncBuffer{})
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + traffic + "/in-flight")
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- string(b)
	}()
	<-entered
	stopped := make(chan struct{})
	go func() { stop(); close(stopped) }()
	waitFor(t, "listener closed", func() bool {
		resp, err := http.Get("http://" + traffic + "/probe")
		if err != nil {
			return true
		}
		resp.Body.Close() // an open body would hold its connection past the tests
		return false
	})
	close(release)
	if body := <-got; body != "finished" {
		t.Errorf("in-flight request: got %q, want %q", body, "finished")
	}
	<-stopped
}
