package process

import (
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// newCommandNode prepares a node given by command (the user's own
// service): its command names its port ({{ port }}), so the lab picks one
// (bind-checked, below the ephemeral range: freePort) and keeps it across
// restarts; its env is added to the lab's. It is linked through Toxiproxy
// like a fixture once started (startNode).
func (r *processRun) newCommandNode(n vocab.Node) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	prog, args, err := n.CommandLine(port)
	if err != nil {
		return err
	}
	p := newProc(n.Name, prog, args...)
	for k, v := range n.Env {
		p.env = append(p.env, k+"="+v)
	}
	r.nodes[n.Name] = p
	r.mu.Lock()
	r.ports[n.Name] = port
	r.mu.Unlock()
	return nil
}
