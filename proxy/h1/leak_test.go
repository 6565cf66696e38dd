package h1_test

import (
	"testing"

	"github.com/failover-lab/failover-lab/proxy/internal/leakcheck"
)

// TestMain fails the package when its tests leave a goroutine behind.
func TestMain(m *testing.M) { leakcheck.Main(m) }
