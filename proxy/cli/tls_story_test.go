package cli

import (
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/fixtures/app"
	"github.com/failover-lab/failover-lab/fixtures/certs"
	"github.com/failover-lab/failover-lab/proxy/config"
)

// The seed's story with TLS and HTTP/2 in front: the app answers 500, the
// request that met it is retried on the standby, and after the fix traffic
// comes back; an HTTP/2 client sending every 20 ms sees no error at all.
func TestSeedStoryOverTLS(t *testing.T) {
	c := newTestCerts(t)
	crt, key, _ := c.write(t, "site", certs.Leaf{Names: []string{"localhost"}})
	svc := app.New("service")
	service := httptest.NewServer(svc)
	t.Cleanup(service.Close)
	failover := namedBackend(t, "failover", 200) // the seed's error.html, served with 200
	cfg, err := config.Parse(strings.NewReader(fmt.Sprintf(`listeners: [{addr: "127.0.0.1:0", tls: {certificates: [{cert: %q, key: %q}]}}]
admin: {listen: "off"}
pools:
  web:
    members:
      - {name: service,  url: %q}
      - {name: failover, url: %q, tier: standby}
    health: {path: /health, interval: 5s, down_interval: 100ms}
    passive: {hold_down: 500ms}
`, crt, key, service.URL, failover.URL)), "story.yaml")
	if err != nil {
		t.Fatal(err)
	}
	addrs, _, stop := startedAll(t, cfg, nil, &syncBuffer{})
	defer stop()
	client := client(c.roots, "localhost", protos("http2"), nil)
	var problems []string
	served := map[string]int{}
	send := func(phase string) string {
		resp, err := client.Get("https://" + addrs[0] + "/")
		if err != nil {
			problems = append(problems, phase+": "+err.Error())
			return ""
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		by := resp.Header.Get("X-Served-By")
		served[phase+" "+by]++
		if resp.StatusCode != 200 || resp.ProtoMajor != 2 {
			problems = append(problems, fmt.Sprintf("%s: HTTP/%d %d from %s", phase, resp.ProtoMajor, resp.StatusCode, by))
		}
		return by
	}
	for range 10 {
		send("healthy")
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := svc.Faults.Apply(app.Fault{ID: "broken", Kind: app.KindStatus, Status: 500}); err != nil {
		t.Fatal(err)
	}
	for range 25 {
		send("broken")
		time.Sleep(20 * time.Millisecond)
	}
	svc.Faults.Clear("broken")
	deadline := time.Now().Add(10 * time.Second)
	for send("fixed") != "service" {
		if time.Now().After(deadline) {
			t.Fatal("no failback within 10s of the fix")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(problems) > 0 {
		t.Errorf("client saw %d errors, want 0: %v", len(problems), problems)
	}
	if served["healthy service"] != 10 || served["broken failover"] != 25 {
		t.Errorf("served: got %v, want all 10 healthy from service and all 25 broken from failover", served)
	}
}
