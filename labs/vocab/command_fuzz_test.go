package vocab_test

import (
	"strings"
	"testing"
)

// FuzzNodeCommand: any command word is either refused by the check, with
// the word's path, or renders the same on both drivers' paths; nothing
// panics.
func FuzzNodeCommand(f *testing.F) {
	for _, w := range []string{":{{ port }}", "{{ port", "{{ prot }}", "{{ port 1 }}", "{{/* c */}}", "{{ .X }}", "{{ template \"x\" }}", "plain"} {
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, word string) {
		top := seedTopology()
		top.Nodes[1].Fixture, top.Nodes[1].Args = "", nil
		top.Nodes[1].Command = []string{"./service", word}
		err := top.Validate()
		if err != nil {
			if !strings.Contains(err.Error(), "nodes[1].command") {
				t.Fatalf("got %v, want an error of nodes[1].command", err)
			}
			return
		}
		_, args, err := top.Nodes[1].CommandLine(8080)
		if err != nil {
			t.Fatalf("a checked command does not render: %v", err)
		}
		n := top.Nodes[1]
		n.Image, n.Port = "own:test", 8080
		if got := n.ContainerCommand(); got[1] != args[0] {
			t.Fatalf("container command %q, process command %q: want the same word for the same port", got[1], args[0])
		}
	})
}
