package enginetest

import (
	"context"
	"net"
	"strings"
	"testing"
)

// The second engine answers at its namespace address, not on loopback,
// and leaves nothing behind (checked by Start's own cleanup).
func TestStart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a second Docker engine")
	}
	e := Start(t)
	if err := e.Available(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ip := net.ParseIP(e.ReachIP()); ip == nil || ip.IsLoopback() || !strings.HasPrefix(e.Addr, "10.") {
		t.Errorf("ports at %q, want the namespace's 10.x address", e.ReachIP())
	}
	if e.PublishIP() != e.Addr {
		t.Errorf("PublishIP: got %q, want %q", e.PublishIP(), e.Addr)
	}
}
