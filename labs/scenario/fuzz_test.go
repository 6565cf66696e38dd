package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse: any file gives a scenario or errors; never a panic.
func FuzzParse(f *testing.F) {
	f.Add(good)
	f.Add("name: x\nnodes: {a: &a {fixture: app, role: primary}, b: *a}\n")
	f.Add("timeline: [{at: 9999999999h}, {at: -1s}, {at: .nan}]\n")
	files, _ := filepath.Glob("../../scenarios/*.yaml")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, doc string) {
		s, err := Parse("", strings.NewReader(doc))
		if err == nil && s == nil {
			t.Fatal("no scenario and no error")
		}
	})
}
