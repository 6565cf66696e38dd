package load

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"slices"
)

// Reach is the rule of where the lab's load, warm-up and probes may go,
// and nowhere else:
//
//	127.0.0.1                 always: a run on this machine
//	Engine  (10.1.2.2, docker) the Docker engine's published ports, when the
//	                           engine is not this machine's (a dind service)
//	Network (proxy, service)   the names of the run's own containers on its
//	                           own network, for a load that runs there
//	                           (labs/load/agent)
//
// The zero Reach is loopback only. Both Spec.url and the dialer check it,
// so a redirect or a name that resolves elsewhere cannot widen it.
type Reach struct {
	// Engine is the address (IP or name) where the Docker engine that runs
	// the topology publishes its ports. Default "": none.
	Engine string
	// Network are the network aliases of the run's own containers, which
	// a load on the run's network reaches by name. Default none.
	Network []string
}

// Allows says whether host (an IP or a name, no port) is one Reach
// permits.
func (r Reach) Allows(host string) bool {
	switch {
	case host == "":
		return false
	case host == "127.0.0.1":
		return true
	case r.Engine != "" && host == r.Engine:
		return true
	}
	return slices.Contains(r.Network, host)
}

// Check refuses any URL but http://HOST:PORT/... with a HOST that Allows
// permits, and no user info.
func (r Reach) Check(u *url.URL) error {
	if u.Scheme != "http" || !r.Allows(u.Hostname()) || u.Port() == "" || u.User != nil {
		return fmt.Errorf("target %q: %w", u.Redacted(), ErrNotLoopback)
	}
	return nil
}

// Dial is a DialContext that refuses any address whose host Allows does
// not permit, before resolving it.
func (r Reach) Dial(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if host, _, err := net.SplitHostPort(addr); err != nil || !r.Allows(host) {
			return nil, fmt.Errorf("dial %s: %w", addr, ErrNotLoopback)
		}
		return d.DialContext(ctx, network, addr)
	}
}

// CheckLoopback refuses any URL that is not http://127.0.0.1:PORT/...
func CheckLoopback(u *url.URL) error { return Reach{}.Check(u) }
