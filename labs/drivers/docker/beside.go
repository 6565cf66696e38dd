package docker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/load"
	"github.com/failover-lab/failover-lab/labs/load/agent"
	"github.com/failover-lab/failover-lab/labs/multicall"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// LoadPlace is where a run's load, warm-up and probes are sent from.
type LoadPlace int

// The places. A run on an engine that is not this machine's sends from
// its own network by default, so that its timings hold the proxy and not
// the way to the engine.
//
//	LoadHere       this machine ──(published port, at Engine.ReachIP)──▶ proxy
//	LoadInNetwork  container on the run's network ──(proxy:8080)──▶ proxy
const (
	LoadAuto      LoadPlace = iota // LoadInNetwork unless Engine.Local, then LoadHere
	LoadHere                       // from the lab's own process
	LoadInNetwork                  // from `/lab serve load` beside the topology (labs/load/agent)
)

// inNetwork says whether the runs of d send from their own network.
func (d *Driver) inNetwork() bool {
	return d.Load == LoadInNetwork || (d.Load == LoadAuto && !d.Engine.Local())
}

// Local says whether the engine runs on this machine: a unix socket (or
// Windows pipe), or tcp:// and ssh:// to a loopback address.
func (e Engine) Local() bool {
	scheme, _, _ := strings.Cut(e.host(), "://")
	if scheme == "unix" || scheme == "npipe" {
		return true
	}
	u, err := url.Parse(e.host())
	if err != nil {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback())
}

// agentName is the agent's key among the run's containers and its
// container name's suffix: not a node name (vocab.NameRE has no "_").
const agentName = "_load"

// beside is a run's agent: `/lab serve load` in a container of the lab
// image on the run's network, attached through the engine's API (its
// stdin and stdout are the agent's requests and events), aimed at the
// proxy's network alias.
type beside struct {
	client   *agent.Client
	attach   types.HijackedResponse
	network  string // the run's network
	proxyURL string // http://proxy:8080, as the run's network names it
	reach    load.Reach
	stderr   *tail
	copied   chan struct{} // closed when the output copy ends
}

var _ labs.Sender = (*beside)(nil)

// startBeside creates the agent's container, attaches to it, starts it
// and places its clock; the run's Close removes it with the rest (it
// carries the run's labels, so a sweep of a dead owner's run does too).
func (r *dockerRun) startBeside(ctx context.Context, t vocab.Topology, image string) error {
	req := containerRequest{Image: image, Cmd: serve(multicall.Load), Labels: r.labels(), Stdin: true}
	req.Labels["failover-lab.load"] = "agent"
	id, err := createContainer(ctx, r.cli, r.engine, r.netName, "failover-lab-"+r.ID()+agentName, req)
	if id != "" {
		r.mu.Lock()
		r.containers[agentName] = id
		r.mu.Unlock()
	}
	if err != nil {
		return fmt.Errorf("create the load's container: %w", err)
	}
	// Not ctx: the attachment outlives Start (the docker client uses
	// ctx only to dial, but an ssh helper may tie its process to it).
	hj, err := r.cli.ContainerAttach(context.WithoutCancel(ctx), id, container.AttachOptions{Stream: true, Stdin: true, Stdout: true, Stderr: true})
	if err != nil {
		return fmt.Errorf("attach to the load's container: %w", err)
	}
	b := &beside{attach: hj, network: r.netName, stderr: &tail{max: 8 << 10}, copied: make(chan struct{}),
		proxyURL: "http://" + NameProxy + ":" + strings.TrimSuffix(r.proxyPort, "/tcp"),
		reach:    load.Reach{Network: aliases(t)}}
	r.mu.Lock()
	r.beside = b
	r.mu.Unlock()
	out, outW := io.Pipe()
	go func() {
		defer close(b.copied)
		_, err := stdcopy.StdCopy(outW, b.stderr, hj.Reader)
		outW.CloseWithError(cmpErr(err, io.EOF))
	}()
	if err := r.cli.ContainerStart(ctx, id, containerStartOptions); err != nil {
		return fmt.Errorf("start the load's container: %w", err)
	}
	c, err := agent.Dial(ctx, stdinOf{hj}, out)
	if err != nil {
		return fmt.Errorf("the load's container: %w%s", err, b.logs())
	}
	r.mu.Lock()
	b.client = c
	r.mu.Unlock()
	return nil
}

// aliases are the names of the run's containers on its network.
func aliases(t vocab.Topology) []string {
	names := []string{NameProxy, nameToxiproxy}
	for _, n := range t.Nodes {
		names = append(names, n.Name)
	}
	return names
}

// Beside is the run's sender when it sends from its own network; nil
// when it sends from this machine.
func (r *dockerRun) Beside() labs.Sender {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.beside == nil || r.beside.client == nil {
		return nil
	}
	return r.beside
}

func (b *beside) Load(ctx context.Context, spec load.Spec, rec load.Recorder) error {
	spec.Target, spec.Reach, spec.TLS = b.proxyURL, b.reach, nil
	err := b.client.Load(ctx, spec, rec)
	if errors.Is(err, agent.ErrGone) {
		err = fmt.Errorf("%w%s", err, b.logs())
	}
	return err
}

func (b *beside) Get(ctx context.Context, path string) (time.Time, ledger.ProbeAnswer) {
	return b.client.Get(ctx, b.proxyURL+path, b.reach)
}

// Where: "a container on the run's network failover-lab-…, to
// http://proxy:8080 (its clock on the lab's within 0.2ms)".
func (b *beside) Where() string {
	return fmt.Sprintf("a container on the run's network %s, to %s (its clock on the lab's within %s)",
		b.network, b.proxyURL, b.client.ClockBound().Round(10*time.Microsecond))
}

// close ends the agent's input, gives it up to 5 s to stop its loads and
// exit, then drops the attachment; the container goes with the run's.
func (b *beside) close(ctx context.Context, c *agent.Client) {
	if c != nil {
		_ = c.Close()
	} else {
		_ = b.attach.CloseWrite()
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	select {
	case <-b.copied:
	case <-ctx.Done():
	}
	b.attach.Close()
	<-b.copied
}

// logs are the agent's last stderr lines, for an error.
func (b *beside) logs() string {
	if s := strings.TrimSpace(b.stderr.String()); s != "" {
		return "; its stderr:\n" + labs.LastLines(s, 20)
	}
	return ""
}

// stdinOf is the write side of an attachment: Close half-closes it, so
// the agent's stdin ends and its last events still come back.
type stdinOf struct{ hj types.HijackedResponse }

func (s stdinOf) Write(p []byte) (int, error) { return s.hj.Conn.Write(p) }
func (s stdinOf) Close() error                { return s.hj.CloseWrite() }

// tail keeps the last max bytes written to it.
type tail struct {
	max int
	mu  sync.Mutex
	b   bytes.Buffer
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b.Write(p)
	if over := t.b.Len() - t.max; over > 0 {
		t.b.Next(over)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.b.String()
}

func cmpErr(err, def error) error {
	if err == nil {
		return def
	}
	return err
}
