package drivers

import (
	"context"
	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/drivers/compose"
	"github.com/failover-lab/failover-lab/labs/drivers/docker"
	"github.com/failover-lab/failover-lab/labs/drivers/process"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"strings"
	"testing"
)

func TestDriverFor(t *testing.T) {
	for _, name := range []string{docker.Name, process.Name} {
		d, err := For(context.Background(), name, Options{})
		if err != nil || d.Name() != name {
			t.Errorf("driverFor(%q) = %v, %v; want the %s driver", name, d, err, name)
		}
	}
	if _, err := For(context.Background(), "podman", Options{}); err == nil || !strings.Contains(err.Error(), `LAB_DRIVER: must be one of docker, process, auto, compose:<project> (got "podman")`) {
		t.Errorf("driverFor(podman): got %v, want an error naming LAB_DRIVER", err)
	}
	// auto: Docker exactly when a daemon answers.
	want := process.Name
	if docker.Available(context.Background()) == nil {
		want = docker.Name
	}
	t.Setenv("LAB_DRIVER", "")
	d, err := FromEnv(Options{})
	if err != nil || d.Name() != want {
		t.Errorf("FromEnv with LAB_DRIVER unset: got %v, %v; want %s", d, err, want)
	}
}

func TestComposeDriverFromEnv(t *testing.T) {
	t.Setenv("LAB_DRIVER", "compose:failover-lab")
	d, err := FromEnv(Options{})
	if err != nil || d.Name() != "compose:failover-lab" {
		t.Errorf("LAB_DRIVER=compose:failover-lab: got %v, %v; want the compose driver of project failover-lab", d, err)
	}
	t.Setenv("LAB_DRIVER", "compose:")
	if _, err := FromEnv(Options{}); err == nil || !strings.Contains(err.Error(), "compose needs a project") {
		t.Errorf("LAB_DRIVER=compose: got %v, want an error asking for a project", err)
	}
}

// TLS runs only on the process driver: the others refuse it up front,
// naming the field, so a scenario test can skip it.
func TestSupportsTLS(t *testing.T) {
	top := vocab.Topology{Name: "x", Proxy: vocab.ProxySpec{HTTPS: true}, Nodes: []vocab.Node{{Name: "service", Fixture: vocab.FixtureApp}}}
	tests := []struct {
		driver labs.Driver
		want   string // "" = supported
	}{
		{&process.Driver{}, ""},
		{docker.New(), "proxy.https: runs only with the process driver"},
		{&compose.Driver{Project: "p"}, "https: the compose demo serves plain HTTP"},
	}
	for _, tt := range tests {
		err := Supports(tt.driver, top)
		if (tt.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.driver.Name(), err, tt.want)
		}
	}
}

// The packaged kinds run on both drivers (processes, or the products
// image); image nodes, the php fixture and the user's own proxy config only
// on Docker: the process driver refuses them up front, naming the node.
func TestSupportsProductsAndImages(t *testing.T) {
	base := func() vocab.Topology {
		return vocab.Topology{Name: "x", Nodes: []vocab.Node{{Name: "service", Fixture: vocab.FixtureApp}}}
	}
	tests := []struct {
		name          string
		change        func(*vocab.Topology)
		docker, local string // "" = supported
	}{
		{"apache", func(t *vocab.Topology) { t.Proxy.Kind = vocab.ProxyApache }, "", ""},
		{"haproxy", func(t *vocab.Topology) { t.Proxy.Kind = vocab.ProxyHAProxy }, "", ""},
		{"php", func(t *vocab.Topology) { t.Nodes[0].Fixture = vocab.FixturePHP }, "", "nodes.service: fixture php runs only with the docker driver"},
		{"image", func(t *vocab.Topology) { t.Nodes[0].Fixture, t.Nodes[0].Image = "", "httpd:2.4" }, "", "nodes.service: image httpd:2.4 runs only with the docker driver"},
		{"own config", func(t *vocab.Topology) { t.Proxy.Kind, t.Proxy.Config = vocab.ProxyNginx, "nginx.conf" }, "", "proxy.config: runs only with the docker driver"},
	}
	for _, tt := range tests {
		top := base()
		tt.change(&top)
		for _, c := range []struct {
			driver labs.Driver
			want   string
		}{{docker.New(), tt.docker}, {&process.Driver{}, tt.local}} {
			err := Supports(c.driver, top)
			if (c.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s on %s: got %v, want %q", tt.name, c.driver.Name(), err, c.want)
			}
		}
	}
}
