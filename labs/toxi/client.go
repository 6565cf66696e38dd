// Package toxi is the lab's Toxiproxy link: a Client for the Toxiproxy
// between the proxy and every node, and an in-process Server for the
// process driver.
//
//	proxy ──▶ link "service" (Toxiproxy) ──▶ node service
//	      └─▶ link "failover"            ──▶ node failover
package toxi

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2/client"

	"github.com/failover-lab/failover-lab/labs/faults"
)

// Client drives the Toxiproxy that sits between the proxy and every node: one
// Toxiproxy proxy per node, named after the node. Under both drivers the
// proxy's members point at these links, never at the nodes themselves, so
// a network fault can be applied at any time.
type Client struct {
	c *toxiproxy.Client

	mu sync.Mutex
	n  int // toxic names are unique within a run

	// links serialises changes of a link's settings: Toxiproxy's update
	// writes every field it was read with, so a concurrent change (an
	// upstream moved by a restart during a disconnect) would be undone.
	links sync.Mutex
}

// New is a client of the Toxiproxy API at apiURL.
func New(apiURL string) *Client {
	c := toxiproxy.NewClient(apiURL)
	c.UserAgent = "failover-lab"
	return &Client{c: c}
}

// Link creates the Toxiproxy proxy for a node and returns the address it
// listens on (listen may use port 0).
func (t *Client) Link(node, listen, upstream string) (string, error) {
	p, err := t.c.CreateProxy(node, listen, upstream)
	if err != nil {
		return "", fmt.Errorf("toxiproxy link %s: %w", node, err)
	}
	return p.Listen, nil
}

// NodeLink is the link of one node, as faults.Link.
func (t *Client) NodeLink(node string) faults.Link { return toxiLink{t: t, node: node} }

type toxiLink struct {
	t    *Client
	node string
}

var _ faults.Link = toxiLink{}

func (l toxiLink) AddToxic(ctx context.Context, toxic, stream string, attrs map[string]any) (string, error) {
	l.t.mu.Lock()
	l.t.n++
	name := fmt.Sprintf("%s-%d", toxic, l.t.n)
	l.t.mu.Unlock()
	_, err := l.t.c.AddToxic(&toxiproxy.ToxicOptions{
		ProxyName:  l.node,
		ToxicName:  name,
		ToxicType:  toxic,
		Stream:     stream,
		Toxicity:   1,
		Attributes: attrs,
	})
	if err != nil {
		return "", fmt.Errorf("toxiproxy add %s to %s: %w", toxic, l.node, err)
	}
	l.t.seeToxic(ctx, l.node, name)
	return name, nil
}

// seeToxic reports the toxic in force once the link lists it
// (faults.TookHold): from then on every byte through the link meets it.
func (t *Client) seeToxic(ctx context.Context, node, name string) {
	p, err := t.c.Proxy(node)
	if err != nil {
		return // not seen: the apply mark stays where it was
	}
	if slices.ContainsFunc(p.ActiveToxics, func(x toxiproxy.Toxic) bool { return x.Name == name }) {
		faults.TookHold(ctx, time.Now())
	}
}

func (l toxiLink) RemoveToxic(_ context.Context, name string) error {
	if err := l.t.c.RemoveToxic(&toxiproxy.ToxicOptions{ProxyName: l.node, ToxicName: name}); err != nil {
		return fmt.Errorf("toxiproxy remove %s from %s: %w", name, l.node, err)
	}
	return nil
}

func (l toxiLink) SetEnabled(ctx context.Context, on bool) error {
	return l.t.setEnabled(ctx, l.node, on)
}

// setEnabled disables a link (it stops listening: connections are refused
// and open ones dropped) or enables it again on the same address. A link
// Toxiproxy answers as disabled is reported down (faults.TookHold): its
// listener is closed before the answer.
func (t *Client) setEnabled(ctx context.Context, node string, on bool) error {
	t.links.Lock()
	defer t.links.Unlock()
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
	if !on && !p.Enabled {
		faults.TookHold(ctx, time.Now())
	}
	return nil
}

// SetUpstream points a node's link at a new address (a node that came back
// on another port). Toxiproxy closes the link's connections and listens
// again on the same address; a disabled link stays disabled.
func (t *Client) SetUpstream(node, upstream string) error {
	t.links.Lock()
	defer t.links.Unlock()
	p, err := t.c.Proxy(node)
	if err != nil {
		return fmt.Errorf("toxiproxy link %s: %w", node, err)
	}
	if p.Upstream == upstream {
		return nil
	}
	p.Upstream = upstream
	if err := p.Save(); err != nil {
		return fmt.Errorf("toxiproxy link %s upstream %s: %w", node, upstream, err)
	}
	return nil
}
