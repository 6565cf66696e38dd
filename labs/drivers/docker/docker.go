package docker

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/cleanup"
	"github.com/failover-lab/failover-lab/labs/products"
	"github.com/failover-lab/failover-lab/labs/toxi"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"log/slog"
	"slices"
	"sync"

	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"

	"github.com/failover-lab/failover-lab/fixtures/images"
	"github.com/failover-lab/failover-lab/labs/ledger"
)

// Name is the driver's name and the value of LAB_DRIVER that selects it.
const Name = "docker"

// Image names the Docker driver asks Images for (fixtures/images): the
// lab's one image, whose containers run `/lab serve NAME ...` (the proxy,
// Toxiproxy, the fixtures), and Debian's products.
const (
	ImageLab      = images.ImageLab
	ImageProducts = products.ImageProducts
)

// Ports inside the containers (docs/contracts.md).
const (
	PortTraffic   = "8080/tcp"
	PortControl   = "8081/tcp"
	PortAdmin     = "9901/tcp"
	portToxiAPI   = "8474/tcp"
	toxiLinkFirst = 20000 // the Toxiproxy link of node i listens on toxiLinkFirst+i
)

// Driver runs a topology as containers on one private network per
// run: the proxy, a Toxiproxy, and one container per node (its name is its
// network alias). Ports are published on, and reached at, the Engine's
// address (127.0.0.1 for a local engine).
type Driver struct {
	// Engine is the Docker engine the run uses; the zero value is the
	// local engine (DefaultHost), its ports on 127.0.0.1. cmd/lab and
	// tests set it with ResolveEngine.
	Engine Engine
	// Carrier is the lab binary copied into the lab image (labs/multicall:
	// `/lab serve NAME ...`): the `lab` CLI sets its own os.Executable().
	// Empty (go test, the Go API), or not built for the engine's OS and
	// architecture: built from the current module with the Go toolchain
	// for the engine (labs/carrier).
	Carrier string
	// Images builds (or finds cached) an image and returns its tag
	// (ImageLab, ImageProducts). Default: the driver's own (BuildImages).
	Images func(ctx context.Context, name string) (string, error)
	// Logger receives sweeps of dead runs' leftovers. Default: discard.
	Logger *slog.Logger
	// NoSignalHandler leaves SIGINT/SIGTERM to the caller, who closes its
	// runs itself (the lab CLI); by default live runs are closed on those
	// signals, which are then raised again.
	NoSignalHandler bool
	// Load is where a run's load, warm-up and probes are sent from
	// (beside.go). Default LoadAuto: from a container on the run's network
	// when the engine is not this machine's, else from this process.
	Load LoadPlace
}

var _ labs.Driver = (*Driver)(nil)

// New returns the Docker driver with its defaults: the local engine.
func New() *Driver {
	return &Driver{}
}

func (d *Driver) Name() string { return Name }

// Available reports whether the local engine (DefaultHost) answers
// within 2 s; Engine.Available asks another.
func Available(ctx context.Context) error { return Engine{}.Available(ctx) }

// dockerRun is a started topology of containers.
type dockerRun struct {
	*labs.Core
	engine  Engine
	cli     *client.Client
	netID   string
	netName string
	token   string // the proxy's admin token (its admin listens beyond loopback)
	// proxyPort is the proxy's traffic port in its container, as Docker
	// names it ("8080/tcp"): the user's own config may choose it.
	proxyPort string
	toxi      *toxi.Client
	beside    *beside // the load's agent; nil: the load runs in the lab's process

	mu         sync.Mutex
	containers map[string]string // container ids by node name, "proxy", "toxiproxy"
	urls       map[string]string // "<name> <port>" → http://ENGINE-ADDRESS:PORT
}

var (
	_ labs.Run      = (*dockerRun)(nil)
	_ labs.OnEngine = (*dockerRun)(nil)
)

// Start runs the shared lifecycle (labs.Start): sweep dead runs'
// leftovers, build the images, create the network and the containers,
// start Toxiproxy and the nodes, then the proxy once they answer.
func (d *Driver) Start(ctx context.Context, t vocab.Topology, l *ledger.Ledger) (labs.Run, error) {
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("start %s: %w", t.Name, err)
	}
	if err := products.CheckDocker(t); err != nil {
		return nil, fmt.Errorf("start %s: %w", t.Name, err)
	}
	if err := d.Engine.Available(ctx); err != nil {
		return nil, fmt.Errorf("start %s: %w", t.Name, err)
	}
	cli, err := d.Engine.Client()
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", t.Name, err)
	}
	r := &dockerRun{engine: d.Engine, cli: cli, containers: map[string]string{}, urls: map[string]string{}}
	r.Core = labs.NewCore(labs.NewRunID(t.Name), t, l, r)
	r.netName = "failover-lab-" + r.ID()
	var images map[string]string
	return labs.Start(ctx, t, r, !d.NoSignalHandler,
		func(ctx context.Context) error { return Sweep(ctx, cli, cmp.Or(d.Logger, discard)) },
		func(ctx context.Context) (err error) { images, err = d.images(ctx, cli, t); return err },
		func(context.Context) (err error) { r.token, err = randomToken(); return err },
		func(ctx context.Context) error {
			resp, err := cli.NetworkCreate(ctx, r.netName, network.CreateOptions{Driver: "bridge", Labels: r.labels()})
			if err != nil {
				return fmt.Errorf("create network: %w", err)
			}
			r.netID = resp.ID
			return nil
		},
		func(ctx context.Context) error { return r.create(ctx, t, images) },
		func(ctx context.Context) error { return r.startAll(ctx, t) },
		func(ctx context.Context) error {
			if !d.inNetwork() {
				return nil
			}
			return r.startBeside(ctx, t, images[ImageLab])
		},
	)
}

// images builds every image the topology needs, in parallel: the lab's
// (the proxy, Toxiproxy and the fixtures) and the products image when the
// proxy kind, the php fixture or an image node needs it. Other images of
// image nodes are the user's: Docker finds them (or pulls them, where a
// registry is reachable).
func (d *Driver) images(ctx context.Context, cli *client.Client, t vocab.Topology) (map[string]string, error) {
	build := d.Images
	if build == nil {
		build = func(ctx context.Context, name string) (string, error) {
			r, err := d.buildImage(ctx, cli, name)
			return r.Tag, err
		}
	}
	names := ImageNames(t)
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

// ImageNames are the names (ImageLab, ImageProducts) of the images a run
// of t builds: a caller may build them ahead (BuildImages) outside a
// run's deadline, as a cold products image takes minutes.
func ImageNames(t vocab.Topology) []string {
	names := []string{ImageLab}
	if name := proxyBuildName(t.Proxy); name != "" && !slices.Contains(names, name) {
		names = append(names, name)
	}
	for _, n := range t.Nodes {
		if buildName(n) == ImageProducts && !slices.Contains(names, ImageProducts) {
			names = append(names, ImageProducts)
		}
	}
	return names
}

// buildName is the name of the lab's image node n runs, "" for a user's
// image the lab does not build.
func buildName(n vocab.Node) string {
	switch {
	case n.Fixture == vocab.FixturePHP || n.Image == images.ProductsTag:
		return ImageProducts
	case n.Image != "":
		return ""
	}
	return ImageLab
}

// proxyBuildName is the name of the proxy's image: the kind's, or, for a
// proxy given by image, "" unless the image is one of the lab's
// (failover-lab/products:local).
func proxyBuildName(p vocab.ProxySpec) string {
	if p.Given() {
		return buildName(vocab.Node{Image: p.Image})
	}
	return products.For(p.Kind).Image
}

// proxyImage is the image tag the proxy runs.
func proxyImage(p vocab.ProxySpec, tags map[string]string) string {
	if name := proxyBuildName(p); name != "" {
		return tags[name]
	}
	return p.Image
}

// nodeImage is the image tag node n runs.
func nodeImage(n vocab.Node, tags map[string]string) string {
	if name := buildName(n); name != "" {
		return tags[name]
	}
	return n.Image
}

func (r *dockerRun) labels() map[string]string {
	return map[string]string{cleanup.LabelRun: r.ID(), cleanup.LabelOwner: cleanup.Self().String()}
}

// request is the container request of one member of the run.
func (r *dockerRun) request(name, image string, cmd []string, ports ...string) containerRequest {
	labels := r.labels()
	labels["failover-lab.node"] = name
	return containerRequest{Name: name, Image: image, Cmd: cmd, Labels: labels, Ports: ports}
}

var discard = slog.New(slog.DiscardHandler)
