package labtest

import (
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/labs/drivers/docker"
)

// LoadInNetwork reaches the docker driver's Load; asked of another driver
// it is an error, and the default leaves the driver's own choice.
func TestLoadInNetworkOption(t *testing.T) {
	for _, tt := range []struct {
		opts []Option
		want docker.LoadPlace
	}{
		{[]Option{Driver("docker")}, docker.LoadAuto},
		{[]Option{Driver("docker"), LoadInNetwork(true)}, docker.LoadInNetwork},
		{[]Option{Driver("docker"), LoadInNetwork(false)}, docker.LoadHere},
	} {
		d, err := newSettings(tt.opts).resolveDriver()
		if err != nil {
			t.Fatal(err)
		}
		if dd, ok := d.(*docker.Driver); !ok || dd.Load != tt.want {
			t.Errorf("got %#v, want the docker driver with Load %v", d, tt.want)
		}
	}
	if _, err := newSettings([]Option{Driver("process"), LoadInNetwork(true)}).resolveDriver(); err == nil || !strings.Contains(err.Error(), "docker driver only") {
		t.Errorf("process driver: got %v, want LoadInNetwork refused", err)
	}
}
