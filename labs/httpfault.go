package labs

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/failover-lab/failover-lab/fixtures/app"
)

// httpApply posts the fault to the node's control API and returns its id.
func (c *core) httpApply(ctx context.Context, n Node, f Fault) (string, error) {
	if n.Fixture != FixtureApp {
		return "", fmt.Errorf("%w: http: node %s runs %s, which has no control API", ErrInvalid, n.Name, n.Fixture)
	}
	out, err := app.Client{BaseURL: c.ops.controlURL(n.Name)}.Apply(ctx, *f.HTTP)
	if err != nil {
		return "", err
	}
	return out.ID, nil
}

func (c *core) httpClear(ctx context.Context, n Node, id string) error {
	return app.Client{BaseURL: c.ops.controlURL(n.Name)}.Clear(ctx, id)
}

// validateHTTP names the field under "http.": `http.status: must be 100-599 (got 42)`.
func validateHTTP(f app.Fault) error {
	err := f.Validate()
	if err == nil {
		return nil
	}
	msg := err.Error()
	if errors.Is(err, app.ErrInvalid) {
		msg = strings.TrimPrefix(msg, app.ErrInvalid.Error()+": ")
	}
	return fmt.Errorf("%w: http.%s", ErrInvalid, msg)
}
