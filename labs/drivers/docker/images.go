package docker

import (
	"context"
	"fmt"
	"sync"

	"github.com/docker/docker/client"

	"github.com/failover-lab/failover-lab/fixtures/images"
	"github.com/failover-lab/failover-lab/labs/carrier"
)

// BuildImages makes sure d's Engine has the images named (ImageLab,
// ImageProducts; every one when none is named), for `lab images` and
// `make images`, which build them before any run's deadline.
func (d *Driver) BuildImages(ctx context.Context, names ...string) ([]images.Result, error) {
	if err := d.Engine.Available(ctx); err != nil {
		return nil, err
	}
	cli, err := d.Engine.Client()
	if err != nil {
		return nil, err
	}
	defer cli.Close()
	if len(names) == 0 {
		names = []string{ImageLab, ImageProducts}
	}
	var out []images.Result
	for _, name := range names {
		r, err := d.buildImage(ctx, cli, name)
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

// labImages memoizes the lab image for the life of the process: hashing
// the carrier (tens of MB) costs more than a run should pay on every
// Start, and the carrier does not change under a running process.
var labImages sync.Map // "carrier path engine" → images.Result

// buildImage builds image name in the engine cli talks to. The lab image
// holds the carrier for the engine's platform: d.Carrier when it is one,
// else one built for it (labs/carrier).
func (d *Driver) buildImage(ctx context.Context, cli *client.Client, name string) (images.Result, error) {
	switch name {
	case ImageProducts:
		return images.Products(ctx, cli)
	case ImageLab:
	default:
		return images.Result{}, fmt.Errorf("image %q: unknown (want %s or %s)", name, ImageLab, ImageProducts)
	}
	goos, goarch, err := images.Platform(ctx, cli)
	if err != nil {
		return images.Result{}, err
	}
	path, err := carrier.Find(ctx, d.Carrier, carrier.Platform{OS: goos, Arch: goarch})
	if err != nil {
		return images.Result{}, fmt.Errorf("the engine runs %s/%s: %w", goos, goarch, err)
	}
	key := path + " " + cli.DaemonHost() + " " + goarch
	if r, ok := labImages.Load(key); ok {
		return r.(images.Result), nil
	}
	r, err := images.Lab(ctx, cli, path, goarch)
	if err != nil {
		return r, err
	}
	labImages.Store(key, r)
	return r, nil
}

// PruneImages makes sure the engine has this carrier's lab image, then
// removes every other lab image (images.Prune), for `lab images -prune`.
// A run that starts meanwhile with another lab binary may lose its image:
// prune when no other lab is running.
func (d *Driver) PruneImages(ctx context.Context) (images.Result, []images.Pruned, error) {
	rs, err := d.BuildImages(ctx, ImageLab)
	if err != nil {
		return images.Result{}, nil, err
	}
	cli, err := d.Engine.Client()
	if err != nil {
		return rs[0], nil, err
	}
	defer cli.Close()
	pruned, err := images.Prune(ctx, cli, rs[0].Tag)
	return rs[0], pruned, err
}
