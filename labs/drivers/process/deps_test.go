package process

import (
	"os/exec"
	"strings"
	"testing"
)

// The process driver runs without Docker, so it links no Docker client:
// image building and the Docker sweep live in the docker driver.
func TestLinksNoDockerClient(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.Contains(pkg, "docker") || strings.Contains(pkg, "testcontainers") || strings.Contains(pkg, "go-containerregistry") {
			t.Errorf("the process driver links %s", pkg)
		}
	}
}
