package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/failover-lab/failover-lab/labs/multicall"
	"github.com/failover-lab/failover-lab/proxy/buildinfo"
)

func init() {
	verbs["version"] = verb{run: runVersion, usage: "version  module version, commit and Go version of this binary, and the programs it carries (lab serve)"}
}

func runVersion(_ context.Context, args []string) error {
	fs := newFlags("version", os.Stderr)
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: no arguments expected (got %q)", errUsage, fs.Args())
	}
	printVersion(os.Stdout)
	return nil
}

// printVersion is the three lines every binary prints (proxy/buildinfo),
// then one line per carried program:
//
//	lab v0.3.0
//	commit  70680c7f3a1b...
//	go      go1.26.0 linux/amd64
//	carries app             this build
//	...
//	carries toxiproxy       v2.12.0 (github.com/Shopify/toxiproxy/v2, its server run from the library)
func printVersion(w io.Writer) {
	info := buildinfo.Read()
	info.Print(w, "lab")
	for _, p := range multicall.Programs {
		version := "this build"
		if p.Name == multicall.Toxiproxy {
			version = multicall.ToxiproxyVersion() + " (github.com/Shopify/toxiproxy/v2, its server run from the library)"
		}
		fmt.Fprintf(w, "carries %-15s %s\n", p.Name, version)
	}
}
