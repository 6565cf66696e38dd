package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/failover-lab/failover-lab/fixtures/images"
	"github.com/failover-lab/failover-lab/labs/drivers/docker"
)

func init() {
	verbs["images"] = verb{run: runImages, usage: "images [-from-source] [-q] [-v] [-prune] [lab|products]...  build the Docker images runs use, before any run (default: both): failover-lab/lab:<digest> from this binary, failover-lab/products:local (needs mmdebstrap); -prune removes the lab images of other lab binaries"}
}

func runImages(ctx context.Context, args []string) error {
	fs := newFlags("images", os.Stderr)
	fromSource := fs.Bool("from-source", false, "put a lab built from the current module's source in the image (as go test does) instead of this binary")
	quiet := fs.Bool("q", false, "print only the tags")
	verbose := fs.Bool("v", false, "show the daemon's load messages")
	prune := fs.Bool("prune", false, "remove the lab images of other lab binaries (each build of lab makes its own), keeping this one's; run it when no other lab is running")
	if err := fs.parse(args); err != nil {
		return err
	}
	for _, name := range fs.Args() {
		if name != docker.ImageLab && name != docker.ImageProducts {
			return fmt.Errorf("%w: image %q: want %s or %s", errUsage, name, docker.ImageLab, docker.ImageProducts)
		}
	}
	e, err := cliEngine("")
	if err != nil {
		return err
	}
	d := docker.New()
	d.Engine = e
	if !*fromSource {
		self, err := os.Executable()
		if err != nil {
			return fmt.Errorf("find this binary: %w", err)
		}
		d.Carrier = self
	}
	if *verbose {
		images.Log = os.Stderr
	}
	start := time.Now()
	if *prune {
		if len(fs.Args()) > 0 {
			return fmt.Errorf("%w: -prune takes no image names", errUsage)
		}
		kept, pruned, err := d.PruneImages(ctx)
		printImages(os.Stdout, []images.Result{kept}, *quiet, time.Since(start))
		printPruned(os.Stdout, pruned, *quiet)
		return err
	}
	rs, err := d.BuildImages(ctx, fs.Args()...)
	printImages(os.Stdout, rs, *quiet, time.Since(start))
	return err
}

func printImages(w io.Writer, rs []images.Result, quiet bool, took time.Duration) {
	for _, r := range rs {
		switch {
		case quiet:
			fmt.Fprintln(w, r.Tag)
		case r.Cached:
			fmt.Fprintf(w, "%-36s cached   %.19s\n", r.Tag, r.ID)
		default:
			fmt.Fprintf(w, "%-36s loaded   %.19s\n", r.Tag, r.ID)
		}
	}
	if !quiet && len(rs) > 0 {
		fmt.Fprintf(w, "(%s)\n", took.Round(time.Millisecond))
	}
}

// printPruned lists what -prune removed and what the daemon kept, with
// the space freed (sizes as the daemon reports them; layers shared
// between images count once per image).
func printPruned(w io.Writer, ps []images.Pruned, quiet bool) {
	var freed, removed int64
	for _, p := range ps {
		switch {
		case p.Removed && quiet:
			fmt.Fprintln(w, p.Tag)
		case p.Removed:
			fmt.Fprintf(w, "%-36s removed  %.1f MB\n", p.Tag, float64(p.Size)/1e6)
			freed += p.Size
			removed++
		case !quiet:
			fmt.Fprintf(w, "%-36s kept     %v\n", p.Tag, p.Err)
		}
	}
	if !quiet {
		fmt.Fprintf(w, "removed %d older lab images, %.1f MB\n", removed, float64(freed)/1e6)
	}
}
