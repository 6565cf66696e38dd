package scenario

import (
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/labs/vocab"
)

func TestWithKind(t *testing.T) {
	const src = `name: x
about: a reload under load
nodes: {service: {fixture: app}}
load: {rate: 5/s}
timeline:
  - {at: 1s, name: r, reload: true}
  - {at: 2s, end: true}
expect:
  - client_errors: 0
`
	s, err := Parse("scenarios/x.yaml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	same, err := s.WithKind(vocab.ProxyBuiltin)
	if err != nil || same.Proxy.Kind != vocab.ProxyBuiltin || s.Proxy.Kind != "" {
		t.Errorf("builtin: got %v, kind %q (original %q), want no error and builtin, original untouched", err, same.Proxy.Kind, s.Proxy.Kind)
	}
	_, err = s.WithKind(vocab.ProxyNginx)
	want := `scenarios/x.yaml:6:31: timeline[0].reload: only the builtin proxy has an admin /reload (proxy.kind is "nginx")`
	if err == nil || err.Error() != want {
		t.Errorf("nginx: got %v, want %s", err, want)
	}
}

// A scenario with its own proxy config runs in front of that config's kind
// only: nginx cannot read an Apache file.
func TestWithKindKeepsOwnConfigsKind(t *testing.T) {
	s, err := ParseFile("../../scenarios/nginx-own-config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.WithKind(vocab.ProxyNginx); err != nil {
		t.Errorf("nginx: got %v, want none", err)
	}
	_, err = s.WithKind(vocab.ProxyApache)
	if err == nil || !strings.Contains(err.Error(), "proxy.config: written for nginx, it cannot run in front of apache") {
		t.Errorf("apache: got %v, want the proxy.config refusal", err)
	}
}
