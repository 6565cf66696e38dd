package labs

import (
	"fmt"
	"sync"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2/client"
)

// toxi drives the Toxiproxy that sits between the proxy and every node: one
// Toxiproxy proxy per node, named after the node. Under both drivers the
// proxy's members point at these links, never at the nodes themselves, so
// a network fault can be applied at any time.
type toxi struct {
	c *toxiproxy.Client

	mu sync.Mutex
	n  int // toxic names are unique within a run
}

func newToxi(apiURL string) *toxi {
	c := toxiproxy.NewClient(apiURL)
	c.UserAgent = "failover-lab"
	return &toxi{c: c}
}

// link creates the Toxiproxy proxy for a node and returns the address it
// listens on (listen may use port 0).
func (t *toxi) link(node, listen, upstream string) (string, error) {
	p, err := t.c.CreateProxy(node, listen, upstream)
	if err != nil {
		return "", fmt.Errorf("toxiproxy link %s: %w", node, err)
	}
	return p.Listen, nil
}

// apply adds the toxic, or disables the link for ToxicDown, and returns the
// toxic's name.
func (t *toxi) apply(node string, nf NetworkFault) (string, error) {
	if nf.Toxic == ToxicDown {
		return "", t.setEnabled(node, false)
	}
	t.mu.Lock()
	t.n++
	name := fmt.Sprintf("%s-%d", nf.Toxic, t.n)
	t.mu.Unlock()
	_, err := t.c.AddToxic(&toxiproxy.ToxicOptions{
		ProxyName:  node,
		ToxicName:  name,
		ToxicType:  nf.Toxic,
		Stream:     toxicStream(nf.Toxic),
		Toxicity:   1,
		Attributes: toxicAttributes(nf),
	})
	if err != nil {
		return "", fmt.Errorf("toxiproxy add %s to %s: %w", nf.Toxic, node, err)
	}
	return name, nil
}

func (t *toxi) clear(node, toxic string, nf NetworkFault) error {
	if nf.Toxic == ToxicDown {
		return t.setEnabled(node, true)
	}
	err := t.c.RemoveToxic(&toxiproxy.ToxicOptions{ProxyName: node, ToxicName: toxic})
	if err != nil {
		return fmt.Errorf("toxiproxy remove %s from %s: %w", toxic, node, err)
	}
	return nil
}

// setEnabled disables a link (it stops listening: connections are refused
// and open ones dropped) or enables it again on the same address.
func (t *toxi) setEnabled(node string, on bool) error {
	p, err := t.c.Proxy(node)
	if err != nil {
		return fmt.Errorf("toxiproxy link %s: %w", node, err)
	}
	if on {
		err = p.Enable()
	} else {
		err = p.Disable()
	}
	if err != nil {
		return fmt.Errorf("toxiproxy link %s enabled=%t: %w", node, on, err)
	}
	return nil
}

// toxicStream is the direction a toxic acts on. Answers (downstream) for
// all but timeout: a timeout on answers drops them, but the member closing
// its side (Connection: close) still ends the exchange at once; on requests
// (upstream) the member never sees the request and the link hangs, which is
// what a timeout fault is meant to show.
func toxicStream(toxic string) string {
	if toxic == ToxicTimeout {
		return "upstream"
	}
	return "downstream"
}

// toxicAttributes maps a NetworkFault to Toxiproxy's attributes
// (milliseconds and KB/s).
func toxicAttributes(nf NetworkFault) toxiproxy.Attributes {
	ms := func(d time.Duration) int64 { return d.Milliseconds() }
	switch nf.Toxic {
	case ToxicLatency:
		return toxiproxy.Attributes{"latency": ms(nf.Latency), "jitter": ms(nf.Jitter)}
	case ToxicBandwidth:
		return toxiproxy.Attributes{"rate": nf.Rate}
	case ToxicResetPeer, ToxicTimeout:
		return toxiproxy.Attributes{"timeout": ms(nf.Timeout)}
	}
	return toxiproxy.Attributes{}
}
