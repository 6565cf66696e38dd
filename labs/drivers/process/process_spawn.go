package process

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/failover-lab/failover-lab/fixtures/cli"
)

// spawner starts child processes from one goroutine locked to its OS
// thread for the whole run. Pdeathsig fires when the thread that forked a
// child exits, not the process: children started from an arbitrary
// goroutine could be killed whenever the runtime retires that thread. The
// locked thread exits only when the run closes, or when the process dies
// (even by SIGKILL), and then the kernel kills every child.
type spawner struct {
	reqs chan spawnReq
	done chan struct{}
}

type spawnReq struct {
	cmd *exec.Cmd
	err chan error
}

func newSpawner() *spawner {
	s := &spawner{reqs: make(chan spawnReq), done: make(chan struct{})}
	go func() {
		// Never unlocked: the thread ends with the goroutine.
		runtime.LockOSThread()
		defer close(s.done)
		for r := range s.reqs {
			r.err <- r.cmd.Start()
		}
	}()
	return s
}

func (s *spawner) start(cmd *exec.Cmd) error {
	var cred *syscall.Credential // a proxy kind that must not run as root
	if cmd.SysProcAttr != nil {
		cred = cmd.SysProcAttr.Credential
	}
	// The kernel sets Pdeathsig after the credentials, so a child started
	// as another user keeps it (one that switches user itself loses it).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL, Credential: cred}
	r := spawnReq{cmd: cmd, err: make(chan error, 1)}
	s.reqs <- r
	return <-r.err
}

// stop ends the goroutine and its thread; call it after every child is gone.
func (s *spawner) stop() {
	close(s.reqs)
	<-s.done
}

// proc is one node (or the proxy) as a child process. It can be started
// again after it exits.
type proc struct {
	name string
	path string
	argv func() []string // its arguments, read at each start
	log  *tail
	cred *syscall.Credential // run as this user; nil = as the lab
	env  []string            // added to the lab's environment ("K=V")
	// reports: the child is a fixture given -ready-fd 3, and start waits
	// for the addresses it reports there.
	reports bool

	mu       sync.Mutex
	cmd      *exec.Cmd
	exited   chan struct{} // closed once the current cmd has been reaped
	state    string        // how it exited: "exit status 3", "signal: killed"
	exitedAt time.Time     // when it was reaped
}

func newProc(name, path string, args ...string) *proc {
	exited := make(chan struct{})
	close(exited)
	return &proc{name: name, path: path, argv: func() []string { return args }, log: newTail(16 << 10), exited: exited}
}

// readyFD is the descriptor a reporting child writes its addresses to:
// the first of exec.Cmd.ExtraFiles.
const readyFD = 3

// start starts the child. A child that reports is waited for until it
// has (or has exited, or ctx ends): start returns the addresses it took.
func (p *proc) start(ctx context.Context, sp *spawner) (cli.Ready, error) {
	report, err := p.spawn(sp)
	if err != nil || report == nil {
		return cli.Ready{}, err
	}
	defer report.Close()
	got := make(chan error, 1)
	var ready cli.Ready
	go func() {
		var err error
		ready, err = cli.ReadReady(report)
		got <- err
	}()
	select {
	case err = <-got:
	case <-ctx.Done():
		report.Close() // ends the read
		<-got
		p.kill()
		return cli.Ready{}, fmt.Errorf("start %s: no ready report: %w", p.name, ctx.Err())
	}
	if errors.Is(err, io.EOF) { // it exited before it listened
		p.waitExit(ctx)
		if ferr := p.failed(ctx); ferr != nil {
			return cli.Ready{}, fmt.Errorf("start %s: %w", p.name, ferr)
		}
	}
	if err != nil {
		p.kill()
		return cli.Ready{}, fmt.Errorf("start %s: %w", p.name, err)
	}
	return ready, nil
}

// spawn starts the child and, when it reports, returns the read end of
// its ready pipe.
func (p *proc) spawn(sp *spawner) (*os.File, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.exited:
	default:
		return nil, fmt.Errorf("start %s: already running", p.name)
	}
	cmd := exec.Command(p.path, p.argv()...)
	cmd.Stdout, cmd.Stderr = p.log, p.log
	if p.env != nil {
		cmd.Env = append(cmd.Environ(), p.env...)
	}
	if p.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: p.cred}
	}
	var r, w *os.File
	if p.reports {
		var err error
		if r, w, err = os.Pipe(); err != nil {
			return nil, fmt.Errorf("start %s: %w", p.name, err)
		}
		cmd.ExtraFiles = []*os.File{w} // fd 3 (readyFD) in the child
	}
	err := sp.start(cmd)
	if w != nil {
		w.Close() // the child holds the only write end: its exit ends the pipe
	}
	if err != nil {
		if r != nil {
			r.Close()
		}
		return nil, fmt.Errorf("start %s: %w", p.name, err)
	}
	exited := make(chan struct{})
	p.cmd, p.exited = cmd, exited
	go func() {
		err := cmd.Wait()
		at := time.Now()
		state := "exit status 0"
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			state = ee.ProcessState.String()
		} else if err != nil {
			state = err.Error()
		}
		p.mu.Lock()
		p.state, p.exitedAt = state, at
		p.mu.Unlock()
		close(exited)
	}()
	return r, nil
}

// exitTime is when the child was last reaped (zero: never).
func (p *proc) exitTime() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.exitedAt
}

// waitExit waits until the current child has been reaped, or ctx ends.
func (p *proc) waitExit(ctx context.Context) {
	_, exited := p.current()
	select {
	case <-exited:
	case <-ctx.Done():
	}
}

func (p *proc) current() (*exec.Cmd, chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cmd, p.exited
}

func (p *proc) running() bool {
	_, exited := p.current()
	select {
	case <-exited:
		return false
	default:
		return true
	}
}

// signal sends sig to the child's process group.
func (p *proc) signal(sig syscall.Signal) error {
	cmd, exited := p.current()
	select {
	case <-exited:
		return fmt.Errorf("signal %s: not running", p.name)
	default:
	}
	if err := syscall.Kill(-cmd.Process.Pid, sig); err != nil {
		return fmt.Errorf("signal %s: %w", p.name, err)
	}
	return nil
}

// wait waits for the child to exit, up to d; it reports whether it did.
func (p *proc) wait(ctx context.Context, d time.Duration) bool {
	_, exited := p.current()
	select {
	case <-exited:
		return true
	case <-ctx.Done():
	case <-time.After(d):
	}
	return false
}

// stop sends SIGTERM (continuing a paused child), then SIGKILL after grace.
func (p *proc) stop(ctx context.Context, grace time.Duration) {
	if !p.running() {
		return
	}
	_ = p.signal(syscall.SIGTERM)
	_ = p.signal(syscall.SIGCONT)
	if p.wait(ctx, grace) {
		return
	}
	p.kill()
}

// kill sends SIGKILL and waits for the child to be reaped.
func (p *proc) kill() {
	if !p.running() {
		return
	}
	_ = p.signal(syscall.SIGKILL)
	_, exited := p.current()
	<-exited
}

// failed is waitHTTP's fail-fast check: the child has exited.
func (p *proc) failed(context.Context) error {
	if p.running() {
		return nil
	}
	p.mu.Lock()
	state := p.state
	p.mu.Unlock()
	return fmt.Errorf("%s exited (%s); last output:\n%s", p.name, state, p.log.lines(20))
}

func (p *proc) pid() int {
	cmd, _ := p.current()
	if cmd == nil || cmd.Process == nil {
		return 0
	}
	return cmd.Process.Pid
}
