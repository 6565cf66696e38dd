package config

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDurationPattern: the schema accepts what the parser accepts ("0"
// included) and rejects what it rejects.
func TestDurationPattern(t *testing.T) {
	re := regexp.MustCompile(DurationPattern)
	for _, s := range []string{"0", "0s", "5s", "1.5s", ".5s", "1h2m3s", "100ms", "1µs", "5", "-1s", "s", "", "1.s", "5 s", "1d"} {
		_, err := time.ParseDuration(s)
		parses := err == nil && !strings.HasPrefix(s, "-")
		if got := re.MatchString(s); got != parses {
			t.Errorf("%q: pattern matches %v, want %v (time.ParseDuration: %v)", s, got, parses, err)
		}
	}
}
