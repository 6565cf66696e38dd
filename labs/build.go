package labs

import (
	"context"
	"errors"
)

// TODO(labs): replace with fixtures/images once it lands.
func defaultBuildImage(ctx context.Context, name string) (string, error) {
	return "", errors.New("fixtures/images not available yet")
}

func defaultBuildBinary(ctx context.Context, name string) (string, error) {
	return "", errors.New("fixtures/images not available yet")
}
