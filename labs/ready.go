package labs

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// ReadyClient polls from the host: fresh connections, short deadlines.
var ReadyClient = &http.Client{
	Timeout:   time.Second,
	Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil},
}

// ReadyTimeout bounds how long Start and Clear wait for a node.
const ReadyTimeout = 30 * time.Second

// WaitHTTP polls url until ok accepts its status, ctx ends, or failed
// reports that the thing behind url is gone (a container or process that
// exited): then it returns at once with failed's error instead of waiting
// out the deadline. ok nil accepts any answer: an errorpage node answers
// 503 by design and is ready all the same.
func WaitHTTP(ctx context.Context, url string, ok func(int) bool, failed func(context.Context) error) error {
	return WaitHTTPWith(ctx, ReadyClient, url, ok, failed)
}

// ReadyClientTLS is ReadyClient for https:// URLs signed by cfg's roots.
func ReadyClientTLS(cfg *tls.Config) *http.Client {
	return &http.Client{
		Timeout:   ReadyClient.Timeout,
		Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil, TLSClientConfig: cfg},
	}
}

// WaitHTTPWith is WaitHTTP polling with client.
func WaitHTTPWith(ctx context.Context, client *http.Client, url string, ok func(int) bool, failed func(context.Context) error) error {
	backoff := 10 * time.Millisecond
	var last error
	for {
		status, err := get(ctx, client, url)
		switch {
		case err == nil && (ok == nil || ok(status)):
			return nil
		case err == nil:
			last = fmt.Errorf("status %d", status)
		default:
			last = err
		}
		if failed != nil {
			if ferr := failed(ctx); ferr != nil {
				return ferr
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s not ready: %w (last: %v)", url, ctx.Err(), last)
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 100*time.Millisecond)
	}
}

func get(ctx context.Context, client *http.Client, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return resp.StatusCode, nil
}

func Is2xx(status int) bool { return status >= 200 && status < 300 }

// WithReadyTimeout bounds ctx by ReadyTimeout unless it already
// ends sooner.
func WithReadyTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, ReadyTimeout)
}

// LastLines returns the last n lines of s, for error messages that show why
// a node did not come up.
func LastLines(s string, n int) string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(ls) > n {
		ls = ls[len(ls)-n:]
	}
	return strings.Join(ls, "\n")
}
