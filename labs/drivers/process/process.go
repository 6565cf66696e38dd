package process

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/carrier"
	"github.com/failover-lab/failover-lab/labs/cleanup"
	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/products"
	"github.com/failover-lab/failover-lab/labs/toxi"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/failover-lab/failover-lab/fixtures/cli"
	"github.com/failover-lab/failover-lab/labs/ledger"
)

// Name is the driver's name and the value of LAB_DRIVER that selects it.
const Name = "process"

// Driver runs a topology as local processes on free 127.0.0.1
// ports, with an in-process Toxiproxy between the proxy and each node. It
// needs no Docker. Children run in their own process group and get SIGKILL
// when the run's spawning thread dies, so they die with the test binary
// even when it is killed with SIGKILL.
type Driver struct {
	// Carrier is the lab binary whose programs (`lab serve NAME`,
	// labs/multicall) the children run: the `lab` CLI sets its own
	// os.Executable(). Empty (go test, the Go API): built from the current
	// module's source with the Go toolchain (labs/carrier).
	Carrier string
	// NoSignalHandler leaves SIGINT/SIGTERM to the caller, who closes its
	// runs itself (the lab CLI); by default live runs are closed on those
	// signals, which are then raised again.
	NoSignalHandler bool
	// Direct points the proxy at the nodes' own ports instead of their
	// Toxiproxy links, for benchmarks that must not measure Toxiproxy's
	// copying too. Network faults and disconnect then do not reach the
	// proxy. Default false.
	Direct bool
	// AsUsersRun starts the proxy as its users run it in production
	// (products.AsUsersRun: nginx's workers, Apache's child processes),
	// for benchmarks. Those children are stopped with the process group,
	// but a lab killed with SIGKILL leaves them behind. Default false.
	AsUsersRun bool
	// ProxyBinary, when set, is a failover-proxy binary (proxy/cmd/
	// failover-proxy) run for the builtin kind instead of the carrier's
	// `lab serve failover-proxy`: the bench measures the file users
	// deploy, not the lab that also carries fixtures and Toxiproxy (about
	// 5.6 MiB more RSS). Default: the carrier's.
	ProxyBinary string
}

var _ labs.Driver = (*Driver)(nil)

// New returns the process driver with its defaults.
func New() *Driver { return &Driver{} }

func (d *Driver) Name() string { return Name }

// processRun is a started topology of local processes.
type processRun struct {
	*labs.Core
	dir   string
	sp    *spawner
	ts    *toxi.Server
	toxi  *toxi.Client
	proxy *proc
	nodes map[string]*proc

	mu       sync.Mutex        // ports, controls, links: a restarted node moves
	ports    map[string]int    // node traffic ports, as the nodes reported them
	controls map[string]int    // app control ports
	links    map[string]string // each node's Toxiproxy link, host:port

	proxyURL   string
	adminURL   string
	readyURL   string         // answers once the proxy serves
	readyOK    func(int) bool // the statuses readyURL answers then (nil = any)
	direct     bool           // the proxy reaches the nodes without Toxiproxy
	asUsersRun bool           // products.AsUsersRun instead of products.For
	tls        *labs.RunTLS   // the run's certificates; nil when nothing uses TLS
}

var _ labs.Run = (*processRun)(nil)

// Start runs the shared lifecycle (labs.Start): sweep dead runs' files,
// build the binaries, start the in-process Toxiproxy and the nodes, then
// the proxy, and wait until all answer.
func (d *Driver) Start(ctx context.Context, t vocab.Topology, l *ledger.Ledger) (labs.Run, error) {
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("start %s: %w", t.Name, err)
	}
	if err := products.CheckProcess(t); err != nil {
		return nil, fmt.Errorf("start %s: %w", t.Name, err)
	}
	bins, err := d.commands(ctx, t)
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", t.Name, err)
	}
	r := &processRun{
		nodes: map[string]*proc{}, ports: map[string]int{}, controls: map[string]int{}, links: map[string]string{},
		direct: d.Direct, asUsersRun: d.AsUsersRun,
	}
	r.Core = labs.NewCore(labs.NewRunID(t.Name), t, l, r)
	return labs.Start(ctx, t, r, !d.NoSignalHandler,
		func(context.Context) (err error) {
			cleanup.SweepRunDirs()
			r.sp = newSpawner()
			r.dir, err = os.MkdirTemp("", cleanup.RunDirPattern(r.ID()))
			return err
		},
		func(context.Context) (err error) {
			if !t.UsesTLS() {
				return nil
			}
			if r.tls, err = labs.NewRunTLS(r.dir); err != nil {
				return err
			}
			if t.Proxy.HTTPS {
				r.UseClientTLS(r.tls.ClientConfig())
			}
			return nil
		},
		func(context.Context) (err error) {
			if r.ts, err = toxi.StartServer(); err != nil {
				return err
			}
			r.toxi = toxi.New(r.ts.URL)
			return nil
		},
		func(ctx context.Context) error { return r.startNodes(ctx, t, bins) },
		r.waitNodes,
		func(context.Context) error { return r.startProxy(t, bins) },
		r.waitProxy,
	)
}

// command is how a child runs: a program of the carrier, or a system
// binary (a packaged proxy kind).
type command struct {
	path string
	args []string // before the program's own
}

// commands finds the carrier (building it when it must) and the proxy
// kind's binary: fixtures and failover-proxy are programs of the carrier.
func (d *Driver) commands(ctx context.Context, t vocab.Topology) (map[string]command, error) {
	lab, err := carrier.Find(ctx, d.Carrier, carrier.Host())
	if err != nil {
		return nil, err
	}
	kind := products.For(t.Proxy.Kind)
	cmds := map[string]command{}
	switch {
	case t.Proxy.Given(): // a proxy given by command is found on PATH (CheckProcess)
	case kind.Pkg != "":
		path, err := products.SystemBinary(kind.Binary, kind.Pkg)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", kind.Binary, err)
		}
		cmds[kind.Binary] = command{path: path}
	case d.ProxyBinary != "" && t.Proxy.Kind == vocab.ProxyBuiltin:
		cmds[kind.Binary] = command{path: d.ProxyBinary}
	default:
		cmds[kind.Binary] = command{lab, []string{"serve", kind.Binary}}
	}
	for _, n := range t.Nodes {
		if n.Fixture != "" {
			cmds[string(n.Fixture)] = command{lab, []string{"serve", string(n.Fixture)}} // fixture names are program names
		}
	}
	return cmds, nil
}

// startNodes starts every node at once. A fixture listens on port 0 and
// reports the ports it took (-ready-fd), so no port is picked for it in
// advance; its Toxiproxy link points at what it reported.
func (r *processRun) startNodes(ctx context.Context, t vocab.Topology, bins map[string]command) error {
	for _, n := range t.Nodes {
		if n.Fixture == "" {
			if err := r.newCommandNode(n); err != nil {
				return err
			}
			continue
		}
		args := []string{"-name", n.Name, "-ready-fd", strconv.Itoa(readyFD)}
		if n.HTTPS {
			cert, key, err := r.tls.Issue(n.Name)
			if err != nil {
				return err
			}
			args = append(args, "-tls-cert", cert, "-tls-key", key)
		}
		c := bins[string(n.Fixture)]
		p := newProc(n.Name, c.path)
		p.reports = true
		p.argv = func() []string { return slices.Concat(c.args, args, r.listenArgs(n), n.Args) }
		r.nodes[n.Name] = p
	}
	ctx, cancel := labs.WithReadyTimeout(ctx)
	defer cancel()
	errs := make([]error, len(t.Nodes))
	var wg sync.WaitGroup
	for i, n := range t.Nodes {
		wg.Go(func() { errs[i] = r.startNode(ctx, n.Name) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// listenArgs are where a fixture node listens: port 0, so that it takes
// a free one itself. Direct (the proxy's config names the nodes' own
// ports) keeps the ports a node took first across its restarts.
func (r *processRun) listenArgs(n vocab.Node) []string {
	listen, control := "127.0.0.1:0", "127.0.0.1:0"
	if r.direct {
		r.mu.Lock()
		if port, ok := r.ports[n.Name]; ok {
			listen = hostPort(port)
		}
		if port, ok := r.controls[n.Name]; ok {
			control = hostPort(port)
		}
		r.mu.Unlock()
	}
	if n.Fixture == vocab.FixtureApp {
		return []string{"-listen", listen, "-control", control}
	}
	return []string{"-listen", listen}
}

// startNode starts a node (first or again) and points everything at the
// ports it took: NodeURL, ControlURL and its Toxiproxy link, created on
// the first start and moved when the node came back on another port.
func (r *processRun) startNode(ctx context.Context, name string) error {
	p := r.nodes[name]
	ready, err := p.start(ctx, r.sp)
	if err != nil {
		return err
	}
	r.mu.Lock()
	if p.reports {
		r.ports[name], _ = cli.ReadyPort(ready.Listen) // checked by ReadReady
		if ready.Control != "" {
			r.controls[name], _ = cli.ReadyPort(ready.Control)
		}
	}
	upstream := hostPort(r.ports[name])
	_, linked := r.links[name]
	r.mu.Unlock()
	if !linked {
		return r.link(name, upstream)
	}
	return r.toxi.SetUpstream(name, upstream)
}

// link creates a node's Toxiproxy link on a port below the kernel's
// ephemeral range: Toxiproxy listens on it again after a down fault or a
// moved upstream, and a port of that range could be an outgoing
// connection's by then. A port taken between the check and Toxiproxy's
// bind is drawn again.
func (r *processRun) link(name, upstream string) error {
	var err error
	for range 3 {
		var port int
		if port, err = freePort(); err != nil {
			return err
		}
		var addr string
		if addr, err = r.toxi.Link(name, hostPort(port), upstream); err == nil {
			r.mu.Lock()
			r.links[name] = addr
			r.mu.Unlock()
			return nil
		}
	}
	return err
}

func (r *processRun) startProxy(t vocab.Topology, bins map[string]command) error {
	if t.Proxy.Given() {
		return r.startOwnProxy(t)
	}
	kind := products.For(t.Proxy.Kind)
	if r.asUsersRun {
		kind = products.AsUsersRun(t.Proxy.Kind)
	}
	listen, err := freePort()
	if err != nil {
		return err
	}
	admin, err := freePort()
	if err != nil {
		return err
	}
	links := r.linkAddrs()
	var files products.TLSFiles
	if r.tls != nil {
		files.CA = r.tls.CAFile
		if t.Proxy.HTTPS {
			if files.Cert, files.Key, err = r.tls.Issue(vocab.ServedByProxy); err != nil {
				return err
			}
		}
	}
	cfg, err := kind.Config(t, hostPort(listen), hostPort(admin), "", func(n vocab.Node) string {
		if r.direct {
			return r.NodeURL(n.Name)
		}
		return scheme(n.HTTPS) + links[n.Name]
	}, files)
	if err != nil {
		return err
	}
	file := filepath.Join(r.dir, cmp.Or(kind.File, "proxy.yaml"))
	if err := os.WriteFile(file, cfg, 0o644); err != nil {
		return fmt.Errorf("write proxy config: %w", err)
	}
	r.proxyURL, r.adminURL = scheme(t.Proxy.HTTPS)+hostPort(listen), "http://"+hostPort(admin)
	c := bins[kind.Binary]
	r.proxy = newProc("proxy", c.path, slices.Concat(c.args, kind.Args(file))...)
	if r.proxy.cred, err = kind.Credential(r.dir); err != nil {
		return err
	}
	r.readyURL, r.readyOK = r.adminURL+kind.Ready, labs.Is2xx
	_, err = r.proxy.start(context.Background(), r.sp) // reports nothing: returns once started
	return err
}

// linkAddrs are the nodes' Toxiproxy links, by node.
func (r *processRun) linkAddrs() map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.links)
}

// startOwnProxy starts the proxy given by command: its program from PATH,
// its config rendered into the run directory with the members at their
// Toxiproxy links, listening on a free port. HOME and the XDG directories
// are the run directory, so what the program keeps there goes with it.
func (r *processRun) startOwnProxy(t vocab.Topology) error {
	listen, err := freePort()
	if err != nil {
		return err
	}
	links := r.linkAddrs()
	o, err := products.OwnAsProcess(t, r.dir, listen, func(node string) string { return links[node] })
	if err != nil {
		return err
	}
	if o.Config != nil {
		if err := os.WriteFile(o.ConfigFile, o.Config, 0o644); err != nil {
			return fmt.Errorf("write proxy config: %w", err)
		}
	}
	path, err := exec.LookPath(cmp.Or(t.Proxy.Program, o.Command[0]))
	if err != nil {
		return fmt.Errorf("proxy: %w", err)
	}
	r.proxyURL = "http://" + hostPort(listen)
	r.readyURL, r.readyOK = r.proxyURL+o.ReadyPath(), nil
	if o.Ready != "" {
		r.readyOK = labs.Is2xx
	}
	r.proxy = newProc("proxy", path, o.Command[1:]...)
	r.proxy.env = []string{"HOME=" + r.dir, "XDG_CONFIG_HOME=" + r.dir, "XDG_DATA_HOME=" + r.dir}
	for k, v := range t.Proxy.Env {
		r.proxy.env = append(r.proxy.env, k+"="+v)
	}
	_, err = r.proxy.start(context.Background(), r.sp)
	return err
}

// SignalProxy sends sig ("SIGHUP") to the proxy's process group: a reload
// event of a proxy that reloads on a signal.
func (r *processRun) SignalProxy(_ context.Context, sig string) error {
	_, s, err := faults.ParseSignal(sig)
	if err != nil {
		return err
	}
	return r.proxy.signal(s)
}

// waitNodes waits for every node to answer HTTP. The proxy starts after
// them: its first check runs at once, and a member not yet listening would
// be put down for a check interval, so the run's first requests would not
// find the primary.
func (r *processRun) waitNodes(ctx context.Context) error {
	ctx, cancel := labs.WithReadyTimeout(ctx)
	defer cancel()
	errs := make(chan error, len(r.nodes))
	for name := range r.nodes {
		go func() { errs <- r.waitNode(ctx, name) }()
	}
	var all []error
	for range len(r.nodes) {
		all = append(all, <-errs)
	}
	return errors.Join(all...)
}

// waitProxy waits for the proxy's readiness path: its kind's on the admin
// listener, or the one of a proxy given by command on its traffic port.
func (r *processRun) waitProxy(ctx context.Context) error {
	ctx, cancel := labs.WithReadyTimeout(ctx)
	defer cancel()
	return labs.WaitHTTP(ctx, r.readyURL, r.readyOK, r.proxy.failed)
}

// waitNode waits until a node answers on its traffic port and, for an app,
// on its control API.
func (r *processRun) waitNode(ctx context.Context, name string) error {
	p := r.nodes[name]
	client := labs.ReadyClient
	if n, _ := r.Topology().Node(name); n.HTTPS {
		client = labs.ReadyClientTLS(r.tls.ClientConfig())
	}
	n, _ := r.Topology().Node(name)
	var ok func(int) bool // any answer from a fixture: an errorpage's /health may answer 503
	if n.Fixture == "" {
		ok = labs.Is2xx // the user's service says it is ready
	}
	if err := labs.WaitHTTPWith(ctx, client, r.NodeURL(name)+n.HealthPath(), ok, p.failed); err != nil {
		return err
	}
	if ctl := r.ControlURL(name); ctl != "" {
		return labs.WaitHTTP(ctx, ctl+"/faults", labs.Is2xx, p.failed)
	}
	return nil
}

func (r *processRun) ProxyURL() string { return r.proxyURL }
func (r *processRun) AdminURL() string { return r.adminURL }

// AdminToken is empty: the admin listens on loopback, which needs none.
func (r *processRun) AdminToken() string { return "" }

// NodeURL is where the node listens now: a node started again may have
// taken another port.
func (r *processRun) NodeURL(name string) string {
	r.mu.Lock()
	port, ok := r.ports[name]
	r.mu.Unlock()
	if !ok {
		return ""
	}
	n, _ := r.Topology().Node(name)
	return scheme(n.HTTPS) + hostPort(port)
}

// scheme is the URL scheme of a listener with or without TLS.
func scheme(https bool) string {
	if https {
		return "https://"
	}
	return "http://"
}

// ControlURL is the app node's fault-control API now ("" for a node
// without one).
func (r *processRun) ControlURL(name string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	port, ok := r.controls[name]
	if !ok {
		return ""
	}
	return "http://" + hostPort(port)
}

// PIDs returns the process ids of the run's children (proxy and nodes)
// that are running, for tests that check nothing outlives the run.
func (r *processRun) PIDs() []int {
	var pids []int
	for _, p := range append([]*proc{r.proxy}, r.procs()...) {
		if p != nil && p.running() {
			pids = append(pids, p.pid())
		}
	}
	return pids
}

// ProxyPID is the process id of the proxy (for a proxy with worker
// processes, its master: the leader of its process group), or 0.
func (r *processRun) ProxyPID() int {
	if r.proxy == nil || !r.proxy.running() {
		return 0
	}
	return r.proxy.pid()
}

// NodePID is the process id of the node called name, or 0.
func (r *processRun) NodePID(name string) int {
	if p := r.nodes[name]; p != nil && p.running() {
		return p.pid()
	}
	return 0
}

// Dir is the run's directory (the proxy's config), removed by Close.
func (r *processRun) Dir() string { return r.dir }

func (r *processRun) procs() []*proc {
	ps := make([]*proc, 0, len(r.nodes))
	for _, p := range r.nodes {
		ps = append(ps, p)
	}
	return ps
}

// Close kills every child, stops Toxiproxy and removes the run's files.
func (r *processRun) Close(ctx context.Context) error {
	return r.CloseOnce(ctx, 10*time.Second, func(ctx context.Context) error {
		defer cleanup.Untrack(r)
		var errs []error
		if r.proxy != nil {
			r.proxy.kill()
		}
		for _, p := range r.procs() {
			p.kill()
		}
		if r.ts != nil {
			errs = append(errs, r.ts.Close(ctx))
		}
		if r.sp != nil {
			r.sp.stop()
		}
		if r.dir != "" {
			errs = append(errs, os.RemoveAll(r.dir))
		}
		return errors.Join(errs...)
	})
}

func hostPort(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

// procStopGrace is how long a stop waits after SIGTERM before SIGKILL.
const procStopGrace = 5 * time.Second
