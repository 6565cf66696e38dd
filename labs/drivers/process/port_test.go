package process

import (
	"net"
	"testing"
)

// A port handed to a child comes from below the kernel's ephemeral range,
// which outgoing connections draw from, and is free to bind.
func TestFreePortIsBelowTheEphemeralRange(t *testing.T) {
	lo, _, err := ephemeralRange()
	if err != nil {
		t.Skipf("no ephemeral range to compare with: %v", err)
	}
	for range 50 {
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		if port >= lo || port < 10000 {
			t.Fatalf("got port %d, want one in [10000, %d)", port, lo)
		}
		ln, err := net.Listen("tcp", hostPort(port))
		if err != nil {
			t.Fatalf("port %d is not free: %v", port, err)
		}
		ln.Close()
	}
}

// A port something listens on is never handed out.
func TestFreePortSkipsTakenPorts(t *testing.T) {
	var held []net.Listener
	t.Cleanup(func() {
		for _, ln := range held {
			ln.Close()
		}
	})
	taken := map[int]bool{}
	for range 20 {
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		if taken[port] {
			t.Fatalf("port %d handed out while it is listened on", port)
		}
		ln, err := net.Listen("tcp", hostPort(port))
		if err != nil {
			t.Fatalf("port %d: %v", port, err)
		}
		held = append(held, ln)
		taken[port] = true
	}
}
