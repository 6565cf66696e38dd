package labs

import (
	"crypto/rand"
	"encoding/hex"
)

// NewRunID is the topology name plus 6 random hex digits: unique across
// concurrent test binaries, short enough for container names.
func NewRunID(name string) string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return name + "-" + hex.EncodeToString(b)
}
