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
