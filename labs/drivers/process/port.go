package process

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
)

// freePort is a port on 127.0.0.1 that nothing listens on, for what must
// be told its port in advance: the proxy (a packaged proxy binds the port
// its config names), a node given by command ({{ port }}), and the
// Toxiproxy links. The fixtures need none: they listen on port 0 and
// report what they took (-ready-fd). The number is handed over, not the
// socket, so another process may take it in between. A port the kernel
// picks for ":0" is from its ephemeral range, which every outgoing
// connection on the machine draws from too (the load's clients,
// Toxiproxy's upstreams, docker-proxy's published ports): under parallel
// runs one of them took a child's port about once in a hundred starts
// ("bind: address already in use"). So the port is drawn at random from
// below that range, where only programs that name their port bind, and
// checked free by binding it.
func freePort() (int, error) {
	hi := ephemeralLow()
	const lo = 10000
	if hi-lo < 1000 {
		return kernelPort()
	}
	for range 64 {
		port := lo + rand.IntN(hi-lo)
		ln, err := net.Listen("tcp", hostPort(port))
		if err != nil {
			continue // taken: draw again
		}
		if err := ln.Close(); err != nil {
			return 0, fmt.Errorf("free port: %w", err)
		}
		return port, nil
	}
	return kernelPort()
}

// kernelPort is the kernel's choice, when no port below its ephemeral range
// could be had.
func kernelPort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// ephemeralLow is the first port of the kernel's ephemeral range (Linux's
// net.ipv4.ip_local_port_range; 32768, its default, where it cannot be read).
func ephemeralLow() int {
	lo, _, err := ephemeralRange()
	if err != nil {
		return 32768
	}
	return lo
}

func ephemeralRange() (lo, hi int, err error) {
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 0, 0, err
	}
	f := strings.Fields(string(data))
	if len(f) != 2 {
		return 0, 0, errors.New("ip_local_port_range: want two numbers")
	}
	if lo, err = strconv.Atoi(f[0]); err != nil {
		return 0, 0, err
	}
	if hi, err = strconv.Atoi(f[1]); err != nil {
		return 0, 0, err
	}
	return lo, hi, nil
}
