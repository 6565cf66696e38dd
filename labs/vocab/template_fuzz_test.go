package vocab_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/failover-lab/failover-lab/labs/vocab"
)

// FuzzRender: any config text renders or errors, never panics nor hangs
// (a template that calls itself stops at text/template's depth limit).
func FuzzRender(f *testing.F) {
	for _, glob := range []string{"../../scenarios/*/*", "../../scenarios/proxies/*/*"} {
		files, _ := filepath.Glob(glob)
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(string(b))
			}
		}
	}
	f.Add(`{{ define "a" }}{{ template "a" }}{{ end }}{{ template "a" }}`)
	f.Add(`{{ range nodes "" }}{{ range nodes "" }}{{ member . }}{{ end }}{{ end }}`)
	f.Add(`{{ define "a" }}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{{ template "a" }}{{ template "a" }}{{ end }}{{ template "a" }}`)
	top := caddyTopology("")
	env := vocab.TemplateEnv{Member: func(n string) string { return n + ":1" }, Listen: "0.0.0.0:8080", Port: 8080, Config: "/lab/c"}
	f.Fuzz(func(t *testing.T, text string) {
		var use vocab.TemplateUse
		out, err := vocab.Render(top, "c", text, env, &use)
		if err != nil && out != nil {
			t.Errorf("got output %q with error %v", out, err)
		}
	})
}
