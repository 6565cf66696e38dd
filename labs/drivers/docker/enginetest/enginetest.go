// Package enginetest starts a second Docker engine for a test, as a
// stand-in for a remote one (GitLab's docker:dind service): in a network
// namespace of its own, joined to this machine by a veth pair, reached at
// a non-loopback address of that pair.
//
//	this machine (test, lab)                 namespace flab-…
//	  veth H  10.a.b.1/30  ◀──────────────▶  veth R  10.a.b.2/30
//	                                          dockerd -H tcp://10.a.b.2:2375
//	                                          (own iptables, bridges, vfs storage)
//
// Its published ports answer at 10.a.b.2 only, never on 127.0.0.1: a test
// against it fails wherever the lab still assumes loopback. Cleanup (set
// before anything is created) removes its containers and networks, stops
// it, and deletes the namespace and the veth pair, even when the test
// fails; what a killed test left (its engine dies with it) is swept by
// the next Start. It needs root, dockerd, nsenter and ip; without them, or when the
// engine does not come up, the test is skipped with the reason.
package enginetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"

	"github.com/failover-lab/failover-lab/labs/drivers/docker"
)

// Engine is a started second engine.
type Engine struct {
	docker.Engine        // Host tcp://ADDR:2375, its ports at ADDR
	Addr          string // the engine's address in its namespace, 10.a.b.2
	HostAddr      string // this machine's end of the veth pair, 10.a.b.1
	Namespace     string // the network namespace (ip netns)
	Veth          string // the host end of the veth pair
	Dir           string // data root, exec root, pid file, log
}

// startTimeout bounds the engine's start (a few seconds when the machine
// is idle).
const startTimeout = 90 * time.Second

// Start starts a second engine for t, or skips t saying why it cannot.
func Start(t testing.TB) *Engine {
	t.Helper()
	if err := Missing(); err != nil {
		t.Skipf("no second Docker engine: %v", err)
	}
	sweep(t)
	suffix := randomHex(3)
	e := &Engine{Namespace: fmt.Sprintf("flab-%d-%s", os.Getpid(), suffix), Veth: "flabh" + suffix}
	peer := "flabr" + suffix
	// Not t.TempDir: a killed test leaves this behind for sweep to find.
	e.Dir = filepath.Join(os.TempDir(), e.Namespace)
	if err := os.MkdirAll(e.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	net30, err := freeSubnet()
	if err != nil {
		t.Skipf("no second Docker engine: %v", err)
	}
	e.HostAddr, e.Addr = addr(net30, 1), addr(net30, 2)
	e.Engine = docker.Engine{Host: "tcp://" + e.Addr + ":2375", Source: "enginetest"}

	var daemon *exec.Cmd
	// Registered before anything can fail: nothing is left behind.
	t.Cleanup(func() { e.stop(t, daemon) })
	netnsPath := "/var/run/netns/" + e.Namespace
	steps := [][]string{
		{"ip", "netns", "add", e.Namespace},
		{"ip", "link", "add", e.Veth, "type", "veth", "peer", "name", peer},
		{"ip", "link", "set", peer, "netns", e.Namespace},
		{"ip", "addr", "add", e.HostAddr + "/30", "dev", e.Veth},
		{"ip", "link", "set", e.Veth, "up"},
		{"nsenter", "--net=" + netnsPath, "ip", "addr", "add", e.Addr + "/30", "dev", peer},
		{"nsenter", "--net=" + netnsPath, "ip", "link", "set", peer, "up"},
		{"nsenter", "--net=" + netnsPath, "ip", "link", "set", "lo", "up"},
	}
	for _, s := range steps {
		if out, err := exec.Command(s[0], s[1:]...).CombinedOutput(); err != nil {
			t.Skipf("no second Docker engine: %s: %v: %s", strings.Join(s, " "), err, out)
		}
	}
	// An explicit empty config: the machine's /etc/docker/daemon.json may
	// clash with --data-root. nsenter --net, not ip netns exec, which
	// remounts /sys (dockerd then stops: "Devices cgroup isn't mounted").
	cfg := filepath.Join(e.Dir, "daemon.json")
	if err := os.WriteFile(cfg, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	logFile, err := os.Create(filepath.Join(e.Dir, "dockerd.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	daemon = exec.Command("nsenter", "--net="+netnsPath, "dockerd", "--config-file", cfg,
		"--data-root", filepath.Join(e.Dir, "data"), "--exec-root", filepath.Join(e.Dir, "exec"),
		"-p", filepath.Join(e.Dir, "docker.pid"), "-H", "tcp://"+e.Addr+":2375", "--storage-driver", "vfs")
	daemon.Stdout, daemon.Stderr = logFile, logFile
	daemon.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM} // a killed test takes its engine along
	if err := daemon.Start(); err != nil {
		daemon = nil
		t.Skipf("no second Docker engine: start dockerd: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- daemon.Wait() }()
	if err := e.awaitReady(exited); err != nil {
		t.Skipf("no second Docker engine: %v; its log:\n%s", err, e.logTail())
	}
	return e
}

// Missing says what this machine lacks to start a second engine.
func Missing() error {
	if os.Geteuid() != 0 {
		return errors.New("needs root (a network namespace and a veth pair)")
	}
	for _, prog := range []string{"dockerd", "nsenter", "ip"} {
		if _, err := exec.LookPath(prog); err != nil {
			return fmt.Errorf("needs %s: %w", prog, err)
		}
	}
	return nil
}

func (e *Engine) awaitReady(exited <-chan error) error {
	deadline := time.Now().Add(startTimeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err := e.Engine.Available(ctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case werr := <-exited:
			return fmt.Errorf("dockerd exited: %v", werr)
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("dockerd did not answer at %s within %s: %w", e.Host, startTimeout, err)
		}
	}
}

// stop removes the engine's containers and networks (a killed engine
// leaves its bridges behind), stops it, deletes the namespace (which takes
// the veth pair along) and checks that nothing is left.
func (e *Engine) stop(t testing.TB, daemon *exec.Cmd) {
	if daemon != nil && daemon.Process != nil {
		if err := e.empty(); err != nil {
			t.Errorf("second engine: %v", err)
		}
		_ = daemon.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() {
			// Wait may already be running in awaitReady's goroutine; poll the pid instead.
			for daemon.Process.Signal(syscall.Signal(0)) == nil {
				time.Sleep(100 * time.Millisecond)
			}
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = daemon.Process.Kill()
			<-done
		}
	}
	_ = exec.Command("ip", "netns", "del", e.Namespace).Run()
	_ = exec.Command("ip", "link", "del", e.Veth).Run() // gone with the namespace, unless the peer never moved
	if err := e.Leftovers(); err != nil {
		t.Errorf("second engine: %v", err)
	}
	if err := os.RemoveAll(e.Dir); err != nil {
		t.Errorf("second engine: %v", err)
	}
}

// sweep removes what a killed test left: its engine died with it
// (Pdeathsig), but not its namespace (which takes the veth pair along)
// nor its directory. Both are named flab-<pid>-<suffix>; only those of a
// process that is gone are removed.
func sweep(t testing.TB) {
	out, _ := exec.Command("ip", "netns", "list").Output()
	var names []string
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			names = append(names, f[0])
		}
	}
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "flab-*"))
	for _, d := range dirs {
		names = append(names, filepath.Base(d))
	}
	slices.Sort(names)
	for _, name := range slices.Compact(names) {
		rest, ok := strings.CutPrefix(name, "flab-")
		pidText, _, found := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || !found || err != nil || pid <= 0 || processAlive(pid) {
			continue
		}
		_ = exec.Command("ip", "netns", "del", name).Run()
		_ = os.RemoveAll(filepath.Join(os.TempDir(), name))
		t.Logf("swept %s, left by process %d", name, pid)
	}
}

func processAlive(pid int) bool {
	return syscall.Kill(pid, 0) == nil
}

// empty removes every container and network of the engine.
func (e *Engine) empty() error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cli, err := e.Client()
	if err != nil {
		return err
	}
	defer cli.Close()
	cs, err := cli.ContainerList(ctx, container.ListOptions{All: true})
	if err != nil {
		return fmt.Errorf("list containers: %w", err)
	}
	var errs []error
	for _, c := range cs {
		errs = append(errs, cli.ContainerRemove(ctx, c.ID, container.RemoveOptions{Force: true, RemoveVolumes: true}))
	}
	ns, err := cli.NetworkList(ctx, network.ListOptions{})
	if err != nil {
		return fmt.Errorf("list networks: %w", err)
	}
	for _, n := range ns {
		if n.Name != "bridge" && n.Name != "host" && n.Name != "none" {
			errs = append(errs, cli.NetworkRemove(ctx, n.ID))
		}
	}
	return errors.Join(errs...)
}

// Leftovers says what of the engine is still on this machine: its
// namespace, its veth pair.
func (e *Engine) Leftovers() error {
	var left []string
	if out, _ := exec.Command("ip", "netns", "list").Output(); bytes.Contains(out, []byte(e.Namespace)) {
		left = append(left, "namespace "+e.Namespace)
	}
	if exec.Command("ip", "link", "show", e.Veth).Run() == nil {
		left = append(left, "veth "+e.Veth)
	}
	if len(left) > 0 {
		return fmt.Errorf("left behind: %s", strings.Join(left, ", "))
	}
	return nil
}

func (e *Engine) logTail() string {
	b, _ := os.ReadFile(filepath.Join(e.Dir, "dockerd.log"))
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-20):], "\n")
}

// freeSubnet picks a 10.a.b.c/30 that no address or route of this machine
// is in, at random (parallel test binaries pick different ones).
func freeSubnet() (*net.IPNet, error) {
	var used []*net.IPNet
	if ifaces, err := net.InterfaceAddrs(); err == nil {
		for _, a := range ifaces {
			if n, ok := a.(*net.IPNet); ok {
				used = append(used, n)
			}
		}
	}
	if out, err := exec.Command("ip", "-4", "route", "show", "table", "all").Output(); err == nil {
		for _, line := range strings.Split(string(out), "\n") {
			f := strings.Fields(line)
			if len(f) == 0 {
				continue
			}
			dst := f[0]
			if dst == "local" || dst == "broadcast" || dst == "unreachable" {
				if len(f) < 2 {
					continue
				}
				dst = f[1]
			}
			if !strings.Contains(dst, "/") {
				dst += "/32"
			}
			if _, n, err := net.ParseCIDR(dst); err == nil {
				used = append(used, n)
			}
		}
	}
	for range 100 {
		a, _ := rand.Int(rand.Reader, big.NewInt(256))
		b, _ := rand.Int(rand.Reader, big.NewInt(256))
		c, _ := rand.Int(rand.Reader, big.NewInt(64))
		n := &net.IPNet{IP: net.IPv4(10, byte(a.Int64()), byte(b.Int64()), byte(c.Int64()*4)).To4(), Mask: net.CIDRMask(30, 32)}
		if !overlaps(n, used) {
			return n, nil
		}
	}
	return nil, errors.New("no free 10.x.y.z/30")
}

func overlaps(n *net.IPNet, used []*net.IPNet) bool {
	for _, u := range used {
		if u.Contains(n.IP) || n.Contains(u.IP) {
			return true
		}
	}
	return false
}

// addr is host i of a /30.
func addr(n *net.IPNet, i byte) string {
	ip := n.IP.To4()
	return net.IPv4(ip[0], ip[1], ip[2], ip[3]+i).String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
