package process

import (
	"fmt"

	"github.com/failover-lab/failover-lab/labs/vocab"
)

// startCommandNode starts a node given by command (the user's own service)
// as a child listening on port, {{ port }} in its command, with its env
// added to the lab's, and links it through Toxiproxy like a fixture.
func (r *processRun) startCommandNode(n vocab.Node, port int) error {
	prog, args, err := n.CommandLine(port)
	if err != nil {
		return err
	}
	p := newProc(n.Name, prog, args...)
	for k, v := range n.Env {
		p.env = append(p.env, k+"="+v)
	}
	r.nodes[n.Name], r.ports[n.Name] = p, port
	if err := p.start(r.sp); err != nil {
		return fmt.Errorf("node %s: %w", n.Name, err)
	}
	_, err = r.toxi.Link(n.Name, "127.0.0.1:0", hostPort(port))
	return err
}
