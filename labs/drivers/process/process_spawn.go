package process

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"sync"
	"syscall"
	"time"
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
// again after it exits, on the same ports.
type proc struct {
	name string
	path string
	args []string
	log  *tail
	cred *syscall.Credential // run as this user; nil = as the lab
	env  []string            // added to the lab's environment ("K=V")

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{} // closed once the current cmd has been reaped
	state  string        // how it exited: "exit status 3", "signal: killed"
}

func newProc(name, path string, args ...string) *proc {
	exited := make(chan struct{})
	close(exited)
	return &proc{name: name, path: path, args: args, log: newTail(16 << 10), exited: exited}
}

func (p *proc) start(sp *spawner) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.exited:
	default:
		return fmt.Errorf("start %s: already running", p.name)
	}
	cmd := exec.Command(p.path, p.args...)
	cmd.Stdout, cmd.Stderr = p.log, p.log
	if p.env != nil {
		cmd.Env = append(cmd.Environ(), p.env...)
	}
	if p.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: p.cred}
	}
	if err := sp.start(cmd); err != nil {
		return fmt.Errorf("start %s: %w", p.name, err)
	}
	exited := make(chan struct{})
	p.cmd, p.exited = cmd, exited
	go func() {
		err := cmd.Wait()
		state := "exit status 0"
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			state = ee.ProcessState.String()
		} else if err != nil {
			state = err.Error()
		}
		p.mu.Lock()
		p.state = state
		p.mu.Unlock()
		close(exited)
	}()
	return nil
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
