package labs

import (
	"context"
	"sync"

	"github.com/failover-lab/failover-lab/fixtures/images"
)

// built memoizes successful builds for the life of the process: the source
// does not change under a running test binary, and fixtures/images checks
// the cache by building the binary and hashing it, which costs about a
// second per image — too much to pay on every Start.
var built sync.Map // "image app" / "binary app" → tag or path

func memo(kind string, build func(context.Context, string) (string, error)) func(context.Context, string) (string, error) {
	return func(ctx context.Context, name string) (string, error) {
		if v, ok := built.Load(kind + " " + name); ok {
			return v.(string), nil
		}
		v, err := build(ctx, name)
		if err != nil {
			return "", err
		}
		built.Store(kind+" "+name, v)
		return v, nil
	}
}

// BuildImage and BuildBinary are fixtures/images' Build and BuildBinary,
// memoized for the life of the process: the drivers' defaults.
var (
	BuildImage  = memo("image", images.Build)
	BuildBinary = memo("binary", images.BuildBinary)
)
