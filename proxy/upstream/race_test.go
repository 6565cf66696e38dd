//go:build race

package upstream_test

// raceEnabled: the race detector allocates, so allocation counts differ.
const raceEnabled = true
