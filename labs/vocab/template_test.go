package vocab_test

import (
	"errors"
	"github.com/failover-lab/failover-lab/labs/faults"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/labs/vocab"
)

// caddyTopology is the seed topology in front of a proxy given by image,
// with a config template.
func caddyTopology(config string) vocab.Topology {
	t := seedTopology()
	t.Proxy = vocab.ProxySpec{Image: "failover-lab/products:local", Command: []string{"caddy", "run", "--config", "{{ config }}", "--adapter", "caddyfile"},
		Config: "caddy/Caddyfile", ConfigData: []byte(config)}
	return t
}

func TestRender(t *testing.T) {
	top := caddyTopology("")
	env := vocab.TemplateEnv{
		Member: func(n string) string {
			return map[string]string{"service": "toxiproxy:20000", "failover": "toxiproxy:20001"}[n]
		},
		Listen: "0.0.0.0:8080", Port: 8080, Config: "/lab/Caddyfile",
	}
	text := `:{{ port }} {
	reverse_proxy {{ range nodes "primary" }}{{ member . }} {{ end }}{{ member "failover" }}
}
# {{ listen }} {{ config }}`
	var use vocab.TemplateUse
	got, err := vocab.Render(top, "Caddyfile", text, env, &use)
	if err != nil {
		t.Fatal(err)
	}
	want := ":8080 {\n\treverse_proxy toxiproxy:20000 toxiproxy:20001\n}\n# 0.0.0.0:8080 /lab/Caddyfile"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if strings.Join(use.Members, ",") != "service,failover" || !use.Listen || !use.Config {
		t.Errorf("use: got %+v, want members service,failover, listen and config called", use)
	}
}

// Template problems are the file's, with their place in it, before
// anything runs.
func TestOwnProxyCheck(t *testing.T) {
	tests := []struct {
		name   string
		change func(*vocab.Topology)
		want   string
	}{
		{"valid", func(*vocab.Topology) {}, ""},
		{"unknown node", func(t *vocab.Topology) { t.Proxy.ConfigData = []byte("a\n  reverse_proxy {{ member \"servce\" }}\n") },
			`proxy.config: caddy/Caddyfile:2:19: {{ member "servce" }}: no node named "servce" (did you mean "service"?)`},
		{"unknown function", func(t *vocab.Topology) { t.Proxy.ConfigData = []byte("\n\n{{ membr \"service\" }}") },
			`proxy.config: caddy/Caddyfile:3: function "membr" not defined`},
		{"unclosed action", func(t *vocab.Topology) { t.Proxy.ConfigData = []byte("{{ member \"service\" ") },
			`proxy.config: caddy/Caddyfile:1: unclosed action`},
		{"bad role", func(t *vocab.Topology) { t.Proxy.ConfigData = []byte(`{{ range nodes "backup" }}{{ end }}`) },
			`proxy.config: caddy/Caddyfile:1:9: {{ nodes "backup" }}: must be one of primary, standby (got "backup")`},
		{"bad command word", func(t *vocab.Topology) { t.Proxy.Command[3] = "{{ cnfig }}" }, `proxy.command[3]: function "cnfig" not defined`},
		{"empty command", func(t *vocab.Topology) { t.Proxy.Command = []string{} }, `proxy.command: must name the program first`},
		{"image and kind", func(t *vocab.Topology) { t.Proxy.Kind = vocab.ProxyNginx }, `proxy.image: a proxy given by image has no kind (got kind nginx)`},
		{"command on a kind", func(t *vocab.Topology) { t.Proxy.Image, t.Proxy.Kind = "", vocab.ProxyNginx },
			`proxy.command: only for a proxy given by image or command: proxy kind nginx has its own command line`},
		{"port on builtin", func(t *vocab.Topology) { t.Proxy = vocab.ProxySpec{Port: 80} },
			`proxy.port: only for your own config (config) or a proxy given by image or command; the lab renders proxy kind builtin's`},
		{"bad ready", func(t *vocab.Topology) { t.Proxy.Ready = "ready" }, `proxy.ready: must be a path starting with / (got "ready")`},
		{"bad signal", func(t *vocab.Topology) { t.Proxy.Reload = "SIGWHAT" }, `proxy.reload_signal: unknown signal "SIGWHAT"`},
		{"kill to reload", func(t *vocab.Topology) { t.Proxy.Reload = "kill" }, `proxy.reload_signal: SIGKILL ends the proxy`},
		{"relative config path", func(t *vocab.Topology) { t.Proxy.ConfigPath = "Caddyfile" }, `proxy.config_path: must be an absolute path in the container (got "Caddyfile")`},
		{"https", func(t *vocab.Topology) { t.Proxy.HTTPS = true }, `proxy.https: only with proxy kind builtin (got image failover-lab/products:local)`},
		{"env on a kind's config", func(t *vocab.Topology) {
			t.Proxy = vocab.ProxySpec{Kind: vocab.ProxyNginx, Config: "nginx.conf", Env: map[string]string{"A": "b"}}
		}, `proxy.env: only for a proxy given by image or command (this one is proxy kind nginx)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top := caddyTopology(`{{ member "service" }} {{ member "failover" }}`)
			tt.change(&top)
			err := top.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, vocab.ErrInvalid) {
				t.Fatalf("got %v, want a vocab.ErrInvalid containing %q", err, tt.want)
			}
		})
	}
}

// A network fault needs the proxy to reach the node through its link: a
// config that names it with member, not one that names it directly.
func TestNetworkFaultNeedsMember(t *testing.T) {
	down := vocab.Fault{Node: "service", Settings: faults.Down{}}
	tests := []struct {
		name   string
		top    vocab.Topology
		config string
		want   string
	}{
		{"rendered", seedTopology(), "", ""},
		{"member", caddyTopology(""), `{{ member "service" }}`, ""},
		{"member by range", caddyTopology(""), `{{ range nodes "" }}{{ member . }}{{ end }}`, ""},
		{"direct", caddyTopology(""), "service:8080", "network faults act on the lab's Toxiproxy link, which a proxy with its own config (proxy.config) bypasses: it reaches service:8080 directly"},
		{"another member", caddyTopology(""), `{{ member "failover" }} service:8080`, `your config (proxy.config) never calls {{ member "service" }}`},
		{"kind with direct config", vocab.Topology{Name: "seed", Proxy: vocab.ProxySpec{Kind: vocab.ProxyNginx, Config: "nginx.conf"}, Nodes: seedTopology().Nodes},
			"server service:8080;", "bypasses: it reaches service:8080 directly"},
		{"kind with member", vocab.Topology{Name: "seed", Proxy: vocab.ProxySpec{Kind: vocab.ProxyNginx, Config: "nginx.conf"}, Nodes: seedTopology().Nodes},
			`server {{ member "service" }};`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top := tt.top
			if tt.config != "" {
				top.Proxy.ConfigData = []byte(tt.config)
			}
			err := top.ValidateFault(down)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// A template that would render without end stops at MaxRendered.
func TestRenderBounded(t *testing.T) {
	text := `{{ define "a" }}` + strings.Repeat("x", 1000) + `{{ template "a" }}{{ template "a" }}{{ end }}{{ template "a" }}`
	env := vocab.TemplateEnv{Member: func(n string) string { return n }}
	_, err := vocab.Render(caddyTopology(""), "Caddyfile", text, env, nil)
	if err == nil || !strings.Contains(err.Error(), "Caddyfile: renders to more than") {
		t.Fatalf("got %v, want an error saying the config renders too large", err)
	}
}
