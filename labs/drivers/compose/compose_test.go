package compose

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/cleanup"
	"github.com/failover-lab/failover-lab/labs/drivers/docker"
	"github.com/failover-lab/failover-lab/labs/drivers/drivertest"
	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/products"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"
	"github.com/docker/go-connections/nat"

	"github.com/failover-lab/failover-lab/fixtures/app"
	"github.com/failover-lab/failover-lab/labs/ledger"
)

func TestFlagValue(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"separate", []string{"-config", "/c.yaml"}, "/c.yaml"},
		{"double dash equals", []string{"--config=/c.yaml"}, "/c.yaml"},
		{"positional is not a flag", []string{"config", "/c.yaml"}, ""},
		{"absent", []string{"-listen", ":8080"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := flagValue(tc.args, "config"); got != tc.want {
				t.Errorf("flagValue(%q): got %q, want %q", tc.args, got, tc.want)
			}
		})
	}
}

// TestComposeDriver attaches to a project that looks to Docker like the
// demo (compose labels, a <project>_default network, the proxy's config
// file inside its container, ports published on random 127.0.0.1 ports),
// created here without the compose tool: the driver must find everything
// by labels and read every port and the admin token from the containers.
func TestComposeDriver(t *testing.T) {
	drivertest.RequireDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	project := "flcompose-" + labs.NewRunID("t")
	token := fakeCompose(t, ctx, project, drivertest.Topology("fake"))

	t.Run("missing service", func(t *testing.T) {
		top := drivertest.Topology("missing")
		top.Nodes[1].Name = "standby2"
		_, err := (&Driver{Project: project}).Start(ctx, top, nil)
		want := fmt.Sprintf(`node standby2: no service "standby2" in compose project %s (services: failover, proxy, service)`, project)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want an error containing %q", err, want)
		}
	})
	t.Run("other proxy kind", func(t *testing.T) {
		top := drivertest.Topology("kind")
		top.Proxy.Kind = vocab.ProxyNginx
		if _, err := (&Driver{Project: project}).Start(ctx, top, nil); !errors.Is(err, labs.ErrUnsupported) || !strings.Contains(err.Error(), "proxy.kind") {
			t.Errorf("got %v, want labs.ErrUnsupported naming proxy.kind", err)
		}
	})
	t.Run("no such project", func(t *testing.T) {
		_, err := (&Driver{Project: project + "-none"}).Start(ctx, drivertest.Topology("none"), nil)
		if err == nil || !strings.Contains(err.Error(), "no containers of compose project") {
			t.Errorf("got %v, want an error saying the project has no containers", err)
		}
	})

	led := ledger.New(time.Now())
	r, err := (&Driver{Project: project}).Start(ctx, drivertest.Topology("attached"), led)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)
	if got := r.AdminToken(); got != token {
		t.Errorf("AdminToken: got %q, want %q (from the proxy's config file)", got, token)
	}
	if got := r.NodeURL("failover"); got != "" {
		t.Errorf("NodeURL(failover): got %q, want \"\" (the service publishes no port)", got)
	}
	drivertest.CheckServedBy(t, r.ProxyURL(), "service")
	_, err = r.Apply(ctx, vocab.Fault{Name: "down", Node: "service", Settings: faults.Down{}})
	if !errors.Is(err, labs.ErrUnsupported) || !strings.Contains(err.Error(), "no Toxiproxy") {
		t.Errorf("network fault: got %v, want labs.ErrUnsupported saying there is no Toxiproxy", err)
	}

	defer drivertest.StartLoad(t, ctx, r.ProxyURL(), led)()
	drivertest.WaitRows(t, led, time.Now(), "traffic through the proxy, served by the primary", drivertest.Recovered)
	for _, tc := range drivertest.FaultCases() {
		if tc.Fault.Family() == faults.FamilyNetwork {
			continue
		}
		t.Run(tc.Fault.Name, func(t *testing.T) {
			a, err := r.Apply(ctx, tc.Fault)
			if err != nil {
				t.Fatal(err)
			}
			drivertest.WaitRows(t, led, a.At, "the drivertest.Effect of "+tc.Fault.Name, tc.Effect)
			if err := r.Clear(ctx, a); err != nil {
				t.Fatal(err)
			}
			clear, _ := led.FindMark(tc.Fault.Name, ledger.MarkClear)
			drivertest.WaitRows(t, led, clear.At, "recovery after "+tc.Fault.Name, drivertest.Recovered)
		})
	}
	t.Run("restart", func(t *testing.T) { drivertest.CheckRestart(t, ctx, r) })

	t.Run("close undoes faults and keeps the project", func(t *testing.T) {
		for _, f := range []vocab.Fault{
			{Name: "left-paused", Node: "failover", Settings: faults.Pause{}},
			{Name: "left-500", Node: "service", Settings: faults.HTTPStatus{Status: 500}},
		} {
			if _, err := r.Apply(ctx, f); err != nil {
				t.Fatal(err)
			}
		}
		if err := r.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if active, err := (app.Client{BaseURL: r.(*composeRun).ControlURL("service")}).List(ctx); err != nil || len(active) != 0 {
			t.Errorf("service's faults after Close: got %v (err %v), want none", active, err)
		}
		cli := dockerAPI(t)
		svcs, err := services(ctx, cli, project)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"proxy", "service", "failover"} {
			info, err := cli.ContainerInspect(ctx, svcs[name].ID)
			if err != nil {
				t.Fatalf("%s after Close: %v (the project must stay)", name, err)
			}
			if s := info.State; !s.Running || s.Paused {
				t.Errorf("%s after Close: got %s (paused %t), want running: Close undoes its faults", name, s.Status, s.Paused)
			}
		}
	})
}

func dockerAPI(t testing.TB) *client.Client {
	t.Helper()
	cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

// fakeCompose creates what `compose up` would for the topology's proxy and
// nodes, as project, and returns the proxy's admin token. The resources
// also carry the lab's run and owner labels, so a killed test's leftovers
// are swept by the next Docker run.
func fakeCompose(t *testing.T, ctx context.Context, project string, top vocab.Topology) string {
	t.Helper()
	cli := dockerAPI(t)
	labels := func(service string) map[string]string {
		l := map[string]string{labelComposeProject: project, cleanup.LabelRun: project, cleanup.LabelOwner: cleanup.Self().String()}
		if service != "" {
			l[labelComposeService] = service
		}
		return l
	}
	t.Cleanup(func() {
		if err := docker.RemoveByLabel(context.Background(), cli, labelComposeProject+"="+project); err != nil {
			t.Errorf("remove the fake project: %v", err)
		}
	})
	netName := project + "_default"
	if _, err := cli.NetworkCreate(ctx, netName, network.CreateOptions{Driver: "bridge", Labels: labels("")}); err != nil {
		t.Fatal(err)
	}
	token := "fake-" + project
	cfg, err := products.For(vocab.ProxyBuiltin).Config(top, ":8080", "0.0.0.0:9901", token, func(n vocab.Node) string { return "http://" + n.Name + ":8080" }, products.TLSFiles{})
	if err != nil {
		t.Fatal(err)
	}
	type svc struct {
		name  string
		cmd   []string
		ports []string
	}
	svcs := []svc{
		{"service", []string{"serve", "app", "-name", "service"}, []string{docker.PortControl}},
		{"failover", []string{"serve", "errorpage", "-name", "failover", "-status", "200"}, nil},
		{"proxy", []string{"serve", "failover-proxy", "-config", "/etc/failover-proxy/config.yaml"}, []string{docker.PortTraffic, docker.PortAdmin}},
	}
	built, err := docker.New().BuildImages(ctx, docker.ImageLab)
	if err != nil {
		t.Fatal(err)
	}
	tag := built[0].Tag
	var ids []string
	for _, s := range svcs {
		exposed, bindings := nat.PortSet{}, nat.PortMap{}
		for _, p := range s.ports {
			exposed[nat.Port(p)] = struct{}{}
			bindings[nat.Port(p)] = []nat.PortBinding{{HostIP: "127.0.0.1"}} // a random host port
		}
		healthURL := "http://127.0.0.1:8080/health"
		if s.name == "proxy" {
			healthURL = "http://127.0.0.1:9901/ready"
		}
		c, err := cli.ContainerCreate(ctx,
			&container.Config{Image: tag, Cmd: s.cmd, Labels: labels(s.name), ExposedPorts: exposed,
				Healthcheck: &container.HealthConfig{Test: []string{"CMD", "/lab", "serve", "healthcheck", healthURL}, Interval: 200 * time.Millisecond, Retries: 50}},
			&container.HostConfig{PortBindings: bindings},
			&network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{netName: {Aliases: []string{s.name}}}},
			nil, project+"-"+s.name+"-1")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
		if s.name == "proxy" {
			if err := cli.CopyToContainer(ctx, c.ID, "/", tarOf("etc/failover-proxy/config.yaml", cfg), container.CopyToContainerOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		if err := cli.ContainerStart(ctx, c.ID, container.StartOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	waitHealthy(t, ctx, cli, ids)
	return token
}

func tarOf(name string, content []byte) *bytes.Buffer {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	_ = tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(content)), Typeflag: tar.TypeReg})
	_, _ = tw.Write(content)
	_ = tw.Close()
	return &buf
}

// waitHealthy polls until Docker reports every container healthy, as
// `compose up` with depends_on conditions would.
func waitHealthy(t *testing.T, ctx context.Context, cli *client.Client, ids []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		healthy, last := 0, ""
		for _, id := range ids {
			info, err := cli.ContainerInspect(ctx, id)
			if err == nil && usable(info) == nil {
				healthy++
			} else if err == nil {
				last = fmt.Sprintf("%s: %v", info.Name, usable(info))
			}
		}
		if healthy == len(ids) {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("fake compose project not healthy within 30s: %s", last)
		case <-time.After(100 * time.Millisecond): // polling Docker under a deadline
		}
	}
}
