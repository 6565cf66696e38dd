package agent

import (
	"bytes"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// FuzzClientEvents feeds the lab's end of the agent any output: a broken
// or hostile agent may send garbage, duplicates and events nobody waits
// for. The reader must end at the output's end (or its first bad line),
// never panic, and never block while holding the lock the waiters need.
func FuzzClientEvents(f *testing.F) {
	f.Add([]byte(`{"clock":{"n":1,"at":5}}` + "\n" + `{"clock":{"n":1,"at":6}}` + "\n" + `{"clock":{"n":1,"at":7}}` + "\n"))
	f.Add([]byte(`{"answer":{"id":2,"sent":1}}` + "\n" + `{"answer":{"id":2,"sent":1}}` + "\n"))
	f.Add([]byte(`{"done":{"id":3,"err":"x"}}` + "\n" + `{"done":{"id":3}}` + "\n" + `{"done":{"id":3}}` + "\n"))
	f.Add([]byte(`{"row":{"id":3,"seq":1,"latency":-5}}` + "\n" + `{"row":{"id":99}}` + "\n"))
	f.Add([]byte("not json\n"))
	f.Add([]byte(`{}` + "\n" + `{"clock":null}`))
	f.Fuzz(func(t *testing.T, out []byte) {
		var rows ledger.Ledger
		c := &Client{gone: make(chan struct{}),
			clocks:  map[int]chan clockEvent{1: make(chan clockEvent, 1)},
			answers: map[int]chan answerEvent{2: make(chan answerEvent, 1)},
			loads:   map[int]*pendingLoad{3: {rec: &rows, done: make(chan string, 1)}}}
		ended := make(chan struct{})
		go func() { c.read(bytes.NewReader(out)); close(ended) }()
		select {
		case <-ended:
		case <-time.After(5 * time.Second):
			t.Fatalf("the reader blocked on %q", out)
		}
		select {
		case <-c.gone:
		default:
			t.Fatal("gone not closed after the output ended")
		}
	})
}
