package labs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"github.com/failover-lab/failover-lab/labs/cleanup"
	"github.com/failover-lab/failover-lab/labs/products"
	"github.com/failover-lab/failover-lab/labs/toxi"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"log/slog"
	"sync"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"
	"github.com/docker/go-connections/nat"
	"github.com/testcontainers/testcontainers-go"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// Image names the Docker driver asks Images for (fixtures/images).
const (
	ImageProxy     = "proxy"
	ImageApp       = "app"
	ImageErrorPage = "errorpage"
	ImageToxiproxy = "toxiproxy"
)

// Ports inside the containers (docs/contracts.md).
const (
	portTraffic   = "8080/tcp"
	portControl   = "8081/tcp"
	portAdmin     = "9901/tcp"
	portToxiAPI   = "8474/tcp"
	toxiLinkFirst = 20000 // the Toxiproxy link of node i listens on toxiLinkFirst+i
)

// DockerDriver runs a topology as containers on one private network per
// run: the proxy, a Toxiproxy, and one container per node (its name is its
// network alias). Ports are published on 127.0.0.1 only.
type DockerDriver struct {
	// Images builds (or finds cached) an image and returns its tag
	// (ImageProxy, ImageApp, ImageErrorPage, ImageToxiproxy).
	// Default: fixtures/images.Build.
	Images func(ctx context.Context, name string) (string, error)
	// Logger receives sweeps of dead runs' leftovers. Default: discard.
	Logger *slog.Logger
	// NoSignalHandler leaves SIGINT/SIGTERM to the caller, who closes its
	// runs itself (the lab CLI); by default live runs are closed on those
	// signals, which are then raised again.
	NoSignalHandler bool
}

var _ Driver = (*DockerDriver)(nil)

// NewDockerDriver returns the Docker driver with its defaults.
func NewDockerDriver() *DockerDriver { return &DockerDriver{} }

func (d *DockerDriver) Name() string { return DriverDocker }

// DockerAvailable reports whether a Docker daemon answers (within 2 s) at
// DOCKER_HOST or the default socket, as fixtures/images finds it. It
// does not ask testcontainers, which panics when it finds no daemon.
func DockerAvailable(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return fmt.Errorf("docker: %w", err)
	}
	defer cli.Close()
	if _, err := cli.Ping(ctx); err != nil {
		return fmt.Errorf("docker: %w", err)
	}
	return nil
}

// dockerRun is a started topology of containers.
type dockerRun struct {
	*core
	cli     *testcontainers.DockerClient
	netID   string
	netName string
	token   string // the proxy's admin token (its admin listens beyond loopback)
	toxi    *toxi.Client

	mu         sync.Mutex
	containers map[string]*testcontainers.DockerContainer // by node name, "proxy", "toxiproxy"
	urls       map[string]string                          // "<name> <port>" → http://127.0.0.1:PORT

	closeOnce sync.Once
	closeErr  error
}

var _ Run = (*dockerRun)(nil)

func (d *DockerDriver) Start(ctx context.Context, t vocab.Topology, l *ledger.Ledger) (_ Run, err error) {
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("start %s: %w", t.Name, err)
	}
	if err := products.CheckDocker(t); err != nil {
		return nil, fmt.Errorf("start %s: %w", t.Name, err)
	}
	if err := DockerAvailable(ctx); err != nil {
		return nil, fmt.Errorf("start %s: %w", t.Name, err)
	}
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return nil, fmt.Errorf("start %s: docker: %w", t.Name, err)
	}
	r := &dockerRun{cli: cli, containers: map[string]*testcontainers.DockerContainer{}, urls: map[string]string{}}
	r.core = &core{id: newRunID(t.Name), topo: t, led: l, ops: r}
	r.netName = "failover-lab-" + r.id
	// Cleanup is armed before anything can fail, panics included.
	cleanup.Track(r, !d.NoSignalHandler)
	defer func() {
		if p := recover(); p != nil {
			_ = r.Close(context.WithoutCancel(ctx))
			panic(p)
		}
		if err != nil {
			_ = r.Close(context.WithoutCancel(ctx))
			err = fmt.Errorf("start %s: %w", t.Name, err)
		}
	}()
	if err := cleanup.Sweep(ctx, cli.Client, cmp.Or(d.Logger, discard)); err != nil {
		return nil, err
	}
	images, err := d.images(ctx, t)
	if err != nil {
		return nil, err
	}
	if r.token, err = randomToken(); err != nil {
		return nil, err
	}
	resp, err := cli.NetworkCreate(ctx, r.netName, network.CreateOptions{Driver: "bridge", Labels: r.labels()})
	if err != nil {
		return nil, fmt.Errorf("create network: %w", err)
	}
	r.netID = resp.ID
	if err := r.create(ctx, t, images); err != nil {
		return nil, err
	}
	if err := r.startAll(ctx, t); err != nil {
		return nil, err
	}
	return r, nil
}

// images builds every image the topology needs, in parallel.
func (d *DockerDriver) images(ctx context.Context, t vocab.Topology) (map[string]string, error) {
	build := d.Images
	if build == nil {
		build = defaultBuildImage
	}
	names := []string{products.For(t.Proxy.Kind).Image, ImageToxiproxy}
	seen := map[string]bool{}
	for _, n := range t.Nodes {
		if !seen[string(n.Fixture)] {
			seen[string(n.Fixture)] = true
			names = append(names, string(n.Fixture)) // fixture names are image names
		}
	}
	var (
		mu   sync.Mutex
		tags = map[string]string{}
		errs []error
		wg   sync.WaitGroup
	)
	for _, name := range names {
		wg.Go(func() {
			tag, err := build(ctx, name)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("image %s: %w", name, err))
			}
			tags[name] = tag
		})
	}
	wg.Wait()
	return tags, errors.Join(errs...)
}

func (r *dockerRun) labels() map[string]string {
	return map[string]string{cleanup.LabelRun: r.id, cleanup.LabelOwner: cleanup.Self().String()}
}

// request is the container request of one member of the run.
func (r *dockerRun) request(name, image string, cmd []string, ports ...string) testcontainers.GenericContainerRequest {
	labels := r.labels()
	labels["failover-lab.node"] = name
	return testcontainers.GenericContainerRequest{
		Logger: quietLogger{},
		ContainerRequest: testcontainers.ContainerRequest{
			Image:          image,
			Name:           "failover-lab-" + r.id + "-" + name,
			Cmd:            cmd,
			Labels:         labels,
			Networks:       []string{r.netName},
			NetworkAliases: map[string][]string{r.netName: {name}},
			ExposedPorts:   ports,
			HostConfigModifier: func(hc *container.HostConfig) {
				hc.PortBindings = nat.PortMap{}
				for _, p := range ports {
					hc.PortBindings[nat.Port(p)] = []nat.PortBinding{{HostIP: "127.0.0.1"}}
				}
			},
		},
	}
}

var discard = slog.New(slog.DiscardHandler)

// quietLogger keeps testcontainers' per-container chatter out of test output.
type quietLogger struct{}

func (quietLogger) Printf(string, ...any) {}
