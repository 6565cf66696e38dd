// Package multicall is the table of programs the lab binary carries, so
// one file runs every role of a run (STYLE rule 21, as k3s and busybox
// do): the fixtures, failover-proxy, the Toxiproxy server and the health
// check of scratch containers. `lab serve PROGRAM [ARGS]` runs one:
//
//	lab serve app -name service -listen :8080 -control :8081
//	lab serve failover-proxy -config /proxy.yaml
//	lab serve toxiproxy -host 0.0.0.0 -port 8474 -config /toxiproxy.json
//	lab serve healthcheck http://127.0.0.1:8080/health
//	lab serve load        (the lab's load, warm-up and probes, driven on stdin)
//
// The process driver runs `<lab> serve NAME ...` as children; the docker
// driver puts the same binary at /lab in one image and runs
// `/lab serve NAME ...` in each container. Nothing is compiled at run
// time: every program is linked into the binary.
package multicall

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	fixturecli "github.com/failover-lab/failover-lab/fixtures/cli"
	"github.com/failover-lab/failover-lab/fixtures/healthcheck"
	"github.com/failover-lab/failover-lab/labs/load/agent"
	proxycli "github.com/failover-lab/failover-lab/proxy/cli"
)

// Name names a carried program.
type Name string

// The programs.
const (
	App           Name = "app"
	ErrorPage     Name = "errorpage"
	FailoverProxy Name = "failover-proxy"
	Toxiproxy     Name = "toxiproxy"
	Healthcheck   Name = "healthcheck"
	Load          Name = "load"
)

// Program is one carried program: its name, what it is, and its main,
// which takes the arguments after the name and returns the exit code.
type Program struct {
	Name Name
	Doc  string
	Main func(args []string, stdout, stderr io.Writer) int
}

// Programs is every program the binary carries, in the order `lab serve
// -h` and `lab version` list them.
var Programs = []Program{
	{App, "the PHP-like service with a fault-control API (docs/fixtures.md)", func(args []string, stdout, stderr io.Writer) int {
		return fixturecli.Run(string(App), fixturecli.App, args, stdout, stderr)
	}},
	{ErrorPage, "serves error.html for every path: the hot standby", func(args []string, stdout, stderr io.Writer) int {
		return fixturecli.Run(string(ErrorPage), fixturecli.ErrorPage, args, stdout, stderr)
	}},
	{FailoverProxy, "the reverse proxy (docs/proxy.md)", proxycli.Main},
	{Toxiproxy, "Toxiproxy's server, from its Go library (" + toxiproxyModule + ")", toxiproxyMain},
	{Healthcheck, "GET URL with a 2 s deadline: exit 0 on 2xx/3xx, 1 otherwise (scratch images have no shell)", func(args []string, _, stderr io.Writer) int {
		return healthcheck.Main(args, stderr)
	}},
	{Load, "the lab's load, warm-up and probes beside the topology: requests on stdin, ledger rows on stdout (labs/load/agent)", func(args []string, stdout, stderr io.Writer) int {
		return agent.Main(args, os.Stdin, stdout, stderr)
	}},
}

// Lookup finds a program by name.
func Lookup(name string) (Program, bool) {
	i := slices.IndexFunc(Programs, func(p Program) bool { return string(p.Name) == name })
	if i < 0 {
		return Program{}, false
	}
	return Programs[i], true
}

// Serve runs args[0] with the rest of args and returns its exit code; an
// unknown or missing name is 2 with the list of programs.
func Serve(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintf(stderr, "usage: lab serve PROGRAM [ARGS]\n%s", Usage())
		return 2
	}
	p, ok := Lookup(args[0])
	if !ok {
		fmt.Fprintf(stderr, "lab serve: unknown program %q\n%s", args[0], Usage())
		return 2
	}
	return p.Main(args[1:], stdout, stderr)
}

// Usage lists the programs, one a line.
func Usage() string {
	var b strings.Builder
	b.WriteString("programs:\n")
	for _, p := range Programs {
		fmt.Fprintf(&b, "  %-15s %s\n", p.Name, p.Doc)
	}
	return b.String()
}

// Command is the command line that runs program name with args from the
// carrier binary at path: [path serve name args...].
func Command(path string, name Name, args ...string) []string {
	return append([]string{path, "serve", string(name)}, args...)
}
