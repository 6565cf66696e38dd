package vocab_test

import (
	"fmt"
	"strings"

	"github.com/failover-lab/failover-lab/labs/vocab"
)

// A fault validates itself and names the field that is wrong; the scenario
// format adds the file, line and column.
func ExampleFault_Validate() {
	f := vocab.Fault{Node: "service", Container: &vocab.ContainerFault{Action: "kil", Signal: "SIGTERM"}}
	fmt.Println(strings.SplitAfter(f.Validate().Error(), `(got "kil")`)[1])
	f.Container.Action = "stop"
	fmt.Println(f.Validate())
	// Output:
	//  (did you mean "kill"?)
	// invalid value: container.signal: only for action kill (got "SIGTERM" with stop)
}
