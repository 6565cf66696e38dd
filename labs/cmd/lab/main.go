// Command lab drives the failover lab from a terminal: run scenarios, check
// scenario files, watch a URL second by second, bring the demo up without
// Docker.
//
// Each verb lives in its own file and registers itself in verbs from an
// init function:
//
//	func init() { verbs["watch"] = verb{run: runWatch, usage: "watch URL  live view of who answers"} }
//	func runWatch(ctx context.Context, args []string) error { ... }
//
// ctx is cancelled on Ctrl-C (SIGINT) or SIGTERM; args are the words after
// the verb (parse them with newFlags(NAME, stderr).parse). The error a
// verb returns sets the exit code, the same for every verb:
//
//	0  done; every expectation held        nil, or flag.ErrHelp (-h prints the usage and the flags)
//	1  an expectation failed               errFailed (wrapped)
//	2  bad usage or an invalid file        errUsage (also prints the usage line), invalidError
//	3  the lab could not run               anything else: Docker down, image build failed, a node did not start
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

// Exit codes; see the package comment.
const (
	exitOK        = 0
	exitFailed    = 1
	exitUsage     = 2
	exitCannotRun = 3
)

// errUsage asks dispatch to print the verb's usage line and exit 2.
var errUsage = errors.New("bad usage")

// errFailed is returned when a run completed but expectations failed.
var errFailed = errors.New("expectations failed")

// invalidError marks an input's fault, such as a scenario file that does
// not parse: exit 2, the message alone.
type invalidError struct{ err error }

func (e invalidError) Error() string { return e.err.Error() }
func (e invalidError) Unwrap() error { return e.err }

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
			return exitUsage
		}
		return exitOK
	}
	v, ok := verbs[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "lab: unknown verb %q\n", args[0])
		printUsage(stderr)
		return exitUsage
	}
	err := v.run(ctx, args[1:])
	var invalid invalidError
	var code exitCode
	switch {
	case errors.As(err, &code):
		return int(code)
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "lab %s: %v\nusage: lab %s\n", args[0], err, v.usage)
		return exitUsage
	case errors.As(err, &invalid):
		fmt.Fprintf(stderr, "lab %s: %v\n", args[0], err)
		return exitUsage
	case errors.Is(err, errFailed):
		fmt.Fprintf(stderr, "lab %s: %v\n", args[0], err)
		return exitFailed
	default:
		fmt.Fprintf(stderr, "lab %s: %v\n", args[0], err)
		return exitCannotRun
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

// flags is a verb's flag set. Its parse prints, on -h, "usage: lab USAGE"
// and every flag with its default to stderr (dispatch then exits 0); a bad
// flag is errUsage, printed once by dispatch.
type flags struct {
	*flag.FlagSet
	stderr io.Writer
}

func newFlags(name string, stderr io.Writer) flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return flags{fs, stderr}
}

func (f flags) parse(args []string) error {
	err := f.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(f.stderr, "usage: lab %s\n", verbs[f.Name()].usage)
		f.SetOutput(f.stderr)
		f.PrintDefaults()
		f.SetOutput(io.Discard)
		return err
	case err != nil:
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	return nil
}
