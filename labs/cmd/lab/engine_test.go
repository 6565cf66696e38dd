package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/labs/drivers/docker"
)

// -load-in-network: unset leaves the choice to the driver (on for an
// engine that is not this machine's), set says yes or no; asked of a
// driver other than docker, it is a usage error.
func TestLoadInNetworkFlag(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want docker.LoadPlace
	}{
		{nil, docker.LoadAuto},
		{[]string{"-load-in-network"}, docker.LoadInNetwork},
		{[]string{"-load-in-network=true"}, docker.LoadInNetwork},
		{[]string{"-load-in-network=false"}, docker.LoadHere},
	} {
		fs := newFlags("run", io.Discard)
		place := loadPlaceFlag(fs)
		if err := fs.parse(tt.args); err != nil {
			t.Fatal(err)
		}
		if got := place(); got != tt.want {
			t.Errorf("%v: got %v, want %v", tt.args, got, tt.want)
		}
	}
	t.Setenv("DOCKER_HOST", "")
	t.Setenv("DOCKER_CONTEXT", "")
	if _, err := cliDriver(context.Background(), "process", "", docker.LoadInNetwork); err == nil || !strings.Contains(err.Error(), "the docker driver only") {
		t.Errorf("process driver: got %v, want -load-in-network refused", err)
	}
	if d, err := cliDriver(context.Background(), "process", "", docker.LoadHere); err != nil || d.Name() != "process" {
		t.Errorf("process driver, -load-in-network=false: got %v, %v; want the process driver", d, err)
	}
}
