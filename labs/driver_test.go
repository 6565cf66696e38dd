package labs

import (
	"context"
	"strings"
	"testing"
)

func TestDriverFor(t *testing.T) {
	for _, name := range []string{DriverDocker, DriverProcess} {
		d, err := driverFor(context.Background(), name)
		if err != nil || d.Name() != name {
			t.Errorf("driverFor(%q) = %v, %v; want the %s driver", name, d, err, name)
		}
	}
	if _, err := driverFor(context.Background(), "podman"); err == nil || !strings.Contains(err.Error(), `LAB_DRIVER: must be one of docker, process, auto, compose:<project> (got "podman")`) {
		t.Errorf("driverFor(podman): got %v, want an error naming LAB_DRIVER", err)
	}
	// auto: Docker exactly when a daemon answers.
	want := DriverProcess
	if DockerAvailable(context.Background()) == nil {
		want = DriverDocker
	}
	t.Setenv("LAB_DRIVER", "")
	d, err := DriverFromEnv()
	if err != nil || d.Name() != want {
		t.Errorf("DriverFromEnv with LAB_DRIVER unset: got %v, %v; want %s", d, err, want)
	}
}
