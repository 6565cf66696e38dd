// Package leakcheck fails a test binary that leaves goroutines behind
// (go.uber.org/goleak), for the proxy's packages' TestMain.
package leakcheck

import (
	"fmt"
	"net/http"
	"os"
	"testing"

	"go.uber.org/goleak"
)

// Main runs the tests, then requires every goroutine they started to have
// ended. Idle keep-alive connections of http.DefaultTransport (the tests'
// clients) are closed first: they are the client's cache, not a leak.
func Main(m *testing.M) {
	code := m.Run()
	if code == 0 {
		http.DefaultTransport.(*http.Transport).CloseIdleConnections()
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: goroutines left after the tests: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}
