package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// FuzzParse: any file gives a config that validates or a located error;
// never a panic, never a config that fails its own validation.
func FuzzParse(f *testing.F) {
	f.Add(example)
	f.Add("pools: {web: {members: [{url: 'http://a'}]}}")
	f.Add("pools: {web: {members: [{url: 'http://a', tier: 4294967296}], health: {jitter: .nan, path: '/h?x=1'}, retry: {body_limit: 17179869185GiB}}}")
	f.Add("limits: {max_header_bytes: 1MiB, body_min_rate: 0}\npools: {web: {members: [{url: 'http://a'}]}}")
	f.Add(bomb(3))
	f.Add(wide(3, 3))
	f.Add("a: &a [*a]")
	f.Add("pools: {web: {members: [{url: 'http://u:p@a/base/'}], health: {method: G(T}}}")
	if files, _ := filepath.Glob("../../compose/*.yaml"); len(files) > 0 {
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(string(b))
			}
		}
	}
	f.Fuzz(func(t *testing.T, doc string) {
		cfg, err := config.Parse(strings.NewReader(doc), "f.yaml")
		if err != nil {
			var fe *config.FieldError
			if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), "f.yaml") {
				t.Fatalf("error not located: %v", err)
			}
			return
		}
		if err := cfg.Validate(); err != nil {
			t.Fatalf("parsed config fails Validate: %v", err)
		}
	})
}
