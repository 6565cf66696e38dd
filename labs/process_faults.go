package labs

import (
	"context"
	"fmt"
	"syscall"
	"time"
)

// Container faults on processes: stop = SIGTERM (SIGKILL after a grace),
// kill = a signal, pause = SIGSTOP, restart = stop then start, disconnect =
// the node's Toxiproxy link goes down (a process has no network of its
// own to leave; NodeURL keeps answering).
func (r *processRun) containerApply(ctx context.Context, n Node, c ContainerFault) error {
	p := r.nodes[n.Name]
	switch c.Action {
	case ActionStop:
		p.stop(ctx, procStopGrace)
	case ActionKill:
		_, sig := c.signal()
		if err := p.signal(sig); err != nil {
			return err
		}
		// A lethal signal has taken effect once the child is reaped.
		p.wait(ctx, time.Second)
	case ActionPause:
		return p.signal(syscall.SIGSTOP)
	case ActionRestart:
		p.stop(ctx, procStopGrace)
		return p.start(r.sp)
	case ActionDisconnect:
		return r.toxi.setEnabled(n.Name, false)
	default:
		return fmt.Errorf("%w: container.action %q", ErrInvalid, c.Action)
	}
	return nil
}

func (r *processRun) containerClear(ctx context.Context, n Node, c ContainerFault) error {
	p := r.nodes[n.Name]
	switch c.Action {
	case ActionStop, ActionKill:
		if p.running() { // a kill with a signal the node survived
			return nil
		}
		if err := p.start(r.sp); err != nil {
			return err
		}
		ctx, cancel := withReadyTimeout(ctx)
		defer cancel()
		return r.waitNode(ctx, n.Name)
	case ActionPause:
		return p.signal(syscall.SIGCONT)
	case ActionRestart:
		return nil
	case ActionDisconnect:
		return r.toxi.setEnabled(n.Name, true)
	}
	return fmt.Errorf("%w: container.action %q", ErrInvalid, c.Action)
}
