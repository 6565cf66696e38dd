//go:build !linux

package upstream

// peekIdle has no check to offer here: quiet reports every idle
// connection quiet, and a closed one is met by the resend in RoundTrip.
func peekIdle(*conn) func(fd uintptr) { return nil }
