package labs

import (
	"crypto/rand"
	"encoding/hex"
)

// newRunID is the topology name plus 6 random hex digits: unique across
// concurrent test binaries, short enough for container names.
func newRunID(name string) string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return name + "-" + hex.EncodeToString(b)
}
