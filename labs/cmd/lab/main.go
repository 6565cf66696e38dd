// Command lab drives the failover lab from a terminal: run a scenario, watch
// a URL second by second, bring the demo up without Docker.
//
// Each verb lives in its own file and registers itself in verbs from an
// init function:
//
//	func init() { verbs["watch"] = verb{run: runWatch, usage: "watch URL  live view of who answers"} }
//	func runWatch(ctx context.Context, args []string) error { ... }
//
// ctx is cancelled on Ctrl-C (SIGINT) or SIGTERM; args are the words after
// the verb (parse them with a flag.FlagSet of your own). Returning
// errUsage (wrapped with the detail) prints the error and the verb's usage
// line and exits 2; flag.ErrHelp (from -h) exits 0; any other error is
// printed as "lab VERB: ERR" and exits 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// verb is one subcommand of lab.
type verb struct {
	run   func(ctx context.Context, args []string) error
	usage string // one line: "NAME ARGS  what it does"
}

// verbs is filled by the init functions of the verb files.
var verbs = map[string]verb{}

// errUsage asks main to print the verb's usage and exit 2.
var errUsage = errors.New("bad usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := dispatch(ctx, os.Args[1:], os.Stderr)
	stop()
	os.Exit(code)
}

// dispatch runs the verb named by args[0] and returns the exit code.
func dispatch(ctx context.Context, args []string, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "help" {
		printUsage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	v, ok := verbs[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "lab: unknown verb %q\n", args[0])
		printUsage(stderr)
		return 2
	}
	err := v.run(ctx, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "lab %s: %v\nusage: lab %s\n", args[0], err, v.usage)
		return 2
	default:
		fmt.Fprintf(stderr, "lab %s: %v\n", args[0], err)
		return 1
	}
}

func printUsage(w io.Writer) {
	names := make([]string, 0, len(verbs))
	for name := range verbs {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "usage: lab VERB [ARGS]")
	for _, name := range names {
		fmt.Fprintf(w, "  lab %s\n", verbs[name].usage)
	}
}
