package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A proxy file puts any proxy in front of a scenario of the library; what
// the proxy cannot do there comes back as the scenario's errors.
func TestWithProxy(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("Caddyfile", `:{{ port }} { reverse_proxy {{ range nodes "" }}{{ member . }} {{ end }} }`)
	pf, err := ParseProxyFile(write("caddy.yaml", "proxy:\n  image: caddy:2\n  command: [caddy, run, --config, \"{{ config }}\", --adapter, caddyfile]\n  config: Caddyfile\n"))
	if err != nil {
		t.Fatal(err)
	}
	if pf.Name != "caddy" || !strings.Contains(string(pf.Proxy.ConfigData), "reverse_proxy") {
		t.Fatalf("got name %q, config %q; want caddy and the Caddyfile read relative to the proxy file", pf.Name, pf.Proxy.ConfigData)
	}
	s, err := ParseFile("../../scenarios/network-cut.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.WithProxy(pf)
	if err != nil || c.Proxy.Image != "caddy:2" || s.Proxy.Image != "" {
		t.Fatalf("got %v, image %q (original %q); want no error, caddy:2, the original untouched", err, c.Proxy.Image, s.Proxy.Image)
	}

	// A config naming a node the scenario does not have.
	write("Caddyfile", `:{{ port }} { reverse_proxy {{ member "web" }} }`)
	pf, err = ParseProxyFile(filepath.Join(dir, "caddy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.WithProxy(pf)
	if err == nil || !strings.Contains(err.Error(), `proxy.config: Caddyfile:1:31: {{ member "web" }}: no node named "web"`) {
		t.Errorf("got %v, want the template's unknown node at its place", err)
	}

	// A scenario with its own proxy keeps it.
	own, err := ParseFile("../../scenarios/caddy-own-config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := own.WithProxy(pf); err == nil || !strings.Contains(err.Error(), "the scenario brings its own proxy (image failover-lab/products:local)") {
		t.Errorf("got %v, want a refusal: the scenario brings its own proxy", err)
	}
}

func TestParseProxyFileBroken(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"unknown key", "proxy: {imag: caddy:2}\n", `p.yaml:1:9: proxy.imag: unknown field (did you mean "image"?)`},
		{"kind alone", "proxy: {kind: nginx}\n", "p.yaml:1:1: proxy: a kind alone is a column of -kinds"},
		{"bad name", "name: Caddy 2\nproxy: {image: caddy:2}\n", `p.yaml:1:7: name: must be lowercase letters, digits and '-', at most 32 (got "Caddy 2")`},
		{"missing config", "proxy: {image: caddy:2, config: nope.conf}\n", "p.yaml:1:33: proxy.config: cannot read it"},
		{"empty", "\n", "p.yaml: empty file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseProxyFile(t.TempDir(), "p.yaml", strings.NewReader(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// A proxy's program with a / is the scenario file's neighbour, as a
// node's is; a bare name stays for PATH.
func TestProxyProgramRelativeToFile(t *testing.T) {
	const src = `name: x
about: a local proxy
proxy:
  command: [%s, -listen, "{{ listen }}", -to, "{{ member \"service\" }}"]
nodes: {service: {fixture: app}}
load: {rate: 5/s}
timeline: [{at: 2s, end: true}]
expect: [{client_errors: 0}]
`
	for prog, want := range map[string]string{"../bin/myproxy": filepath.Join("work", "bin", "myproxy"), "myproxy": ""} {
		s, err := ParseIn(filepath.Join("work", "scenarios"), "x.yaml", strings.NewReader(strings.Replace(src, "%s", prog, 1)))
		if err != nil {
			t.Fatal(err)
		}
		if want != "" {
			want, _ = filepath.Abs(want)
		}
		if s.Proxy.Program != want {
			t.Errorf("%s: got program %q, want %q", prog, s.Proxy.Program, want)
		}
	}
}
