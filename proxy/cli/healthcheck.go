package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// healthcheck is the container HEALTHCHECK (scratch images have no shell):
// GET URL with a 2 s deadline, exit 0 on 2xx/3xx, 1 otherwise.
func healthcheck(args []string, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: failover-proxy healthcheck URL")
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, args[0], nil)
	if err != nil {
		fmt.Fprintf(stderr, "healthcheck: %v\n", err)
		return 1
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "healthcheck: %v\n", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 399 {
		fmt.Fprintf(stderr, "healthcheck: %s: status %d\n", args[0], resp.StatusCode)
		return 1
	}
	return 0
}
