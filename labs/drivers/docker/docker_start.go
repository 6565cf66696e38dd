package docker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/products"
	"github.com/failover-lab/failover-lab/labs/toxi"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"path"
	"strconv"
	"sync"

	fixproducts "github.com/failover-lab/failover-lab/fixtures/products"
)

const (
	NameProxy     = "proxy"
	nameToxiproxy = "toxiproxy"
)

// create creates every container, in parallel, without starting them.
func (r *dockerRun) create(ctx context.Context, t vocab.Topology, images map[string]string) error {
	toxiCfg, err := toxiproxyConfig(t)
	if err != nil {
		return err
	}
	proxy, err := r.proxyRequest(t, images)
	if err != nil {
		return err
	}
	reqs := map[string]containerRequest{}
	toxi := r.request(nameToxiproxy, images[ImageToxiproxy], []string{"-host", "0.0.0.0", "-port", "8474", "-config", "/toxiproxy.json"}, portToxiAPI)
	toxi.Files = []containerFile{file(toxiCfg, "/toxiproxy.json")}
	reqs[nameToxiproxy] = toxi
	reqs[NameProxy] = proxy
	for _, n := range t.Nodes {
		reqs[n.Name] = r.nodeRequest(n, nodeImage(n, images))
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for name, req := range reqs {
		wg.Go(func() {
			id, err := createContainer(ctx, r.cli, r.engine, r.netName, "failover-lab-"+r.ID()+"-"+name, req)
			mu.Lock()
			defer mu.Unlock()
			// Registered before the error check: a half-created container
			// is removed by Close like the others (by label, too).
			if id != "" {
				r.containers[name] = id
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("create %s: %w", name, err))
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// proxyRequest is the proxy's container: a known kind with the config the
// lab renders, or the user's own config (their template rendered with the
// members at their Toxiproxy links) in the kind's image or the user's.
func (r *dockerRun) proxyRequest(t vocab.Topology, images map[string]string) (containerRequest, error) {
	if t.Proxy.Own() {
		o, err := products.OwnInContainer(t, func(node string) string { return linkAddr(t, node) })
		if err != nil {
			return containerRequest{}, err
		}
		r.proxyPort = strconv.Itoa(o.Port) + "/tcp"
		req := r.request(NameProxy, proxyImage(t.Proxy, images), o.Command, r.proxyPort)
		req.Env = t.Proxy.Env
		if o.Config != nil {
			req.Files = []containerFile{file(o.Config, o.ConfigFile)}
		}
		return req, nil
	}
	kind := products.For(t.Proxy.Kind)
	cfg, err := r.proxyConfig(t, kind)
	if err != nil {
		return containerRequest{}, err
	}
	r.proxyPort = PortTraffic
	req := r.request(NameProxy, images[kind.Image], kind.Command(proxyFile(kind), false), PortTraffic, PortAdmin)
	req.Files = []containerFile{file(cfg, proxyFile(kind))}
	return req, nil
}

// linkAddr is where the proxy reaches node on the run's network: its
// Toxiproxy link.
func linkAddr(t vocab.Topology, node string) string {
	return fmt.Sprintf("%s:%d", nameToxiproxy, toxiLinkFirst+nodeIndex(t, node))
}

// proxyConfig is the config the lab renders for a known kind, with the
// members behind their Toxiproxy links.
func (r *dockerRun) proxyConfig(t vocab.Topology, kind products.Product) ([]byte, error) {
	listen, admin := ":8080", ":9901"
	if kind.Pkg != "" {
		// Apache's Listen and VirtualHost want an address.
		listen, admin = "0.0.0.0:8080", "0.0.0.0:9901"
	}
	return kind.Config(t, listen, admin, r.token, func(n vocab.Node) string {
		return "http://" + linkAddr(t, n.Name)
	}, products.TLSFiles{}) // CheckDocker refused TLS
}

// proxyFile is where the proxy's config goes in its container: the
// products image's run directory (writable by the user Apache becomes,
// which also keeps its pid and runtime files there), or the root.
func proxyFile(kind products.Product) string {
	if kind.Pkg != "" {
		return path.Join(fixproducts.RunDir, kind.File)
	}
	return "/proxy.yaml"
}

// nodeRequest is the container request of node n: a fixture's binary
// with its flags, the php fixture's Apache site, or the user's image.
func (r *dockerRun) nodeRequest(n vocab.Node, image string) containerRequest {
	ports := nodePorts(n)
	switch {
	case n.Image != "":
		req := r.request(n.Name, image, n.ContainerCommand(), ports...)
		req.Env = n.Env
		return req
	case n.Fixture == vocab.FixturePHP:
		req := r.request(n.Name, image, fixproducts.ServiceCommand, ports...)
		req.Env = map[string]string{"NODE_NAME": n.Name}
		return req
	}
	args := []string{"-name", n.Name, "-listen", ":8080"}
	if n.Fixture == vocab.FixtureApp {
		args = append(args, "-control", ":8081")
	}
	return r.request(n.Name, image, append(args, n.Args...), ports...)
}

func file(content []byte, path string) containerFile {
	return containerFile{Path: path, Content: content, Mode: 0o644}
}

// toxiproxyConfig is Toxiproxy's -config file: one link per node, node i
// on port toxiLinkFirst+i, to the node's alias. Toxiproxy resolves the
// upstream on every connection, so nodes may come up later.
func toxiproxyConfig(t vocab.Topology) ([]byte, error) {
	type link struct {
		Name     string `json:"name"`
		Listen   string `json:"listen"`
		Upstream string `json:"upstream"`
		Enabled  bool   `json:"enabled"`
	}
	links := make([]link, 0, len(t.Nodes))
	for i, n := range t.Nodes {
		links = append(links, link{n.Name, "0.0.0.0:" + strconv.Itoa(toxiLinkFirst+i), n.Name + ":" + strconv.Itoa(n.TrafficPort()), true})
	}
	b, err := json.Marshal(links)
	if err != nil {
		return nil, fmt.Errorf("toxiproxy config: %w", err)
	}
	return b, nil
}

func nodeIndex(t vocab.Topology, name string) int {
	for i, n := range t.Nodes {
		if n.Name == name {
			return i
		}
	}
	return -1
}

// startAll starts Toxiproxy and the nodes in parallel, waits for them to
// answer, then starts the proxy, so its first health checks find every
// member up.
func (r *dockerRun) startAll(ctx context.Context, t vocab.Topology) error {
	ctx, cancel := labs.WithReadyTimeout(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, len(t.Nodes)+1)
	wg.Go(func() { errs[0] = r.startToxiproxy(ctx) })
	for i, n := range t.Nodes {
		wg.Go(func() { errs[i+1] = r.startNode(ctx, n) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return r.startProxy(ctx, t)
}

func (r *dockerRun) startToxiproxy(ctx context.Context) error {
	if err := r.startContainer(ctx, nameToxiproxy, portToxiAPI); err != nil {
		return err
	}
	api := r.url(nameToxiproxy, portToxiAPI)
	if err := labs.WaitHTTP(ctx, api+"/version", labs.Is2xx, r.failed(nameToxiproxy)); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			// Running but silent: the first port the lab reaches, so the
			// likeliest cause is where the lab looks for ports.
			return r.engine.unreachable(nameToxiproxy, api, err)
		}
		return err
	}
	r.toxi = toxi.New(api)
	return nil
}

func (r *dockerRun) startNode(ctx context.Context, n vocab.Node) error {
	if err := r.startContainer(ctx, n.Name, nodePorts(n)...); err != nil {
		return err
	}
	return r.waitNode(ctx, n)
}

// waitNode waits until a node answers on its traffic port (a fixture with
// any status: an errorpage answers 503 by design; an image node with 2xx
// on its health path) and, when it has one, on its control API.
func (r *dockerRun) waitNode(ctx context.Context, n vocab.Node) error {
	var ok func(int) bool
	if n.Image != "" {
		ok = labs.Is2xx
	}
	if err := labs.WaitHTTP(ctx, r.url(n.Name, trafficPort(n))+n.HealthPath(), ok, r.failed(n.Name)); err != nil {
		return err
	}
	if n.HasControl() {
		return labs.WaitHTTP(ctx, r.url(n.Name, PortControl)+"/faults", labs.Is2xx, r.failed(n.Name))
	}
	return nil
}

func (r *dockerRun) startProxy(ctx context.Context, t vocab.Topology) error {
	if t.Proxy.Own() {
		if err := r.startContainer(ctx, NameProxy, r.proxyPort); err != nil {
			return err
		}
		// The user's config need not have an admin listener: its ready
		// path answering 2xx, or any answer on the traffic port, says the
		// proxy serves.
		o := products.OwnProxy{Ready: t.Proxy.Ready}
		var ok func(int) bool
		if o.Ready != "" {
			ok = labs.Is2xx
		}
		return labs.WaitHTTP(ctx, r.url(NameProxy, r.proxyPort)+o.ReadyPath(), ok, r.failed(NameProxy))
	}
	if err := r.startContainer(ctx, NameProxy, PortTraffic, PortAdmin); err != nil {
		return err
	}
	return labs.WaitHTTP(ctx, r.url(NameProxy, PortAdmin)+products.For(t.Proxy.Kind).Ready, labs.Is2xx, r.failed(NameProxy))
}

// startContainer starts a created (or stopped) container and reads the
// host ports Docker published it on.
func (r *dockerRun) startContainer(ctx context.Context, name string, ports ...string) error {
	if err := r.cli.ContainerStart(ctx, r.container(name), containerStartOptions); err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	if err := r.readPorts(ctx, name, ports...); err != nil {
		// A container that exited at once has no ports: say why it exited.
		if ferr := r.failed(name)(ctx); ferr != nil {
			return ferr
		}
		return err
	}
	return nil
}

// readPorts records the published host ports, at the engine's address;
// they change on every start.
func (r *dockerRun) readPorts(ctx context.Context, name string, ports ...string) error {
	id := r.container(name)
	for _, p := range ports {
		hp, err := publishedPort(ctx, r.cli, id, p)
		if err != nil {
			return fmt.Errorf("%s port %s: %w", name, p, err)
		}
		r.mu.Lock()
		r.urls[name+" "+p] = r.engine.URL(hp)
		r.mu.Unlock()
	}
	return nil
}

// container is the id of the container of name ("" if none was created).
func (r *dockerRun) container(name string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.containers[name]
}

func (r *dockerRun) url(name, port string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.urls[name+" "+port]
}

// failed is waitHTTP's fail-fast check: the container is no longer
// running; the error carries its exit code and last log lines.
func (r *dockerRun) failed(name string) func(context.Context) error {
	return func(ctx context.Context) error {
		id := r.container(name)
		info, err := r.cli.ContainerInspect(ctx, id)
		if err != nil || info.State == nil || info.State.Running {
			return nil
		}
		logs := labs.LastLines(lastLogLines(ctx, r.cli, id, 200), 20)
		return fmt.Errorf("container %s %s (exit code %d); last log lines:\n%s", name, info.State.Status, info.State.ExitCode, logs)
	}
}

func (r *dockerRun) ProxyURL() string { return r.url(NameProxy, r.proxyPort) }

// SignalProxy sends the proxy's container sig ("SIGHUP"): a reload event
// of a proxy that reloads on a signal.
func (r *dockerRun) SignalProxy(ctx context.Context, sig string) error {
	return r.cli.ContainerKill(ctx, r.container(NameProxy), sig)
}
func (r *dockerRun) AdminURL() string { return r.url(NameProxy, PortAdmin) }

// AdminToken is the bearer token of the proxy's admin POSTs: inside its
// container the admin listens beyond loopback, which requires one.
func (r *dockerRun) AdminToken() string { return r.token }

func (r *dockerRun) NodeURL(name string) string {
	n, _ := r.Topology().Node(name)
	return r.url(name, trafficPort(n))
}

func (r *dockerRun) ControlURL(name string) string { return r.url(name, PortControl) }

// EngineAddress is where the engine's published ports are reached.
func (r *dockerRun) EngineAddress() string { return r.engine.ReachIP() }
