package labs_test

import (
	"fmt"

	"github.com/failover-lab/failover-lab/labs"
)

// A fault validates itself and names the field that is wrong; the scenario
// engine adds the file and line.
func ExampleFault_Validate() {
	f := labs.Fault{Node: "service", Container: &labs.ContainerFault{Action: "freeze"}}
	fmt.Println(f.Validate())
	// Output: invalid: container.action: must be one of stop, kill, pause, restart, disconnect (got "freeze")
}
