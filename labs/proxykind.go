package labs

import (
	"fmt"
	"slices"
	"strings"
)

// proxyKind is how the drivers run one kind of proxy under test. Only the
// builtin failover-proxy exists; Apache httpd, nginx and HAProxy become
// entries here: an image and a binary, a config generated from the
// topology, a command line, and an admin path that answers 2xx once the
// proxy serves.
type proxyKind struct {
	image  string // fixtures/images name
	binary string // fixtures/images binary name
	// config renders the proxy's configuration: traffic on listen, admin on
	// admin (with token when not on loopback), members at memberURL.
	config func(t Topology, listen, admin, token string, memberURL func(Node) string) ([]byte, error)
	// args is the command line after the binary, reading the config file.
	args  func(configFile string) []string
	ready string // admin path, 2xx once serving
}

var proxyKinds = map[string]proxyKind{
	ProxyBuiltin: {
		image:  ImageProxy,
		binary: BinaryProxy,
		config: proxyConfig,
		args:   func(file string) []string { return []string{"-config", file} },
		ready:  "/ready",
	},
}

// kindOf returns the topology's proxy kind; Validate has checked it exists.
func kindOf(t Topology) proxyKind {
	k := t.Proxy.Kind
	if k == "" {
		k = ProxyBuiltin
	}
	return proxyKinds[k]
}

func validateKind(kind string) error {
	if _, ok := proxyKinds[kind]; ok || kind == "" {
		return nil
	}
	kinds := make([]string, 0, len(proxyKinds))
	for k := range proxyKinds {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	return fmt.Errorf("%w: proxy.kind: must be one of %s (got %q)", ErrInvalid, strings.Join(kinds, ", "), kind)
}
