package labs

import (
	"os"
	"os/exec"
	"testing"
)

func TestOwner(t *testing.T) {
	me := self()
	got, err := parseOwner(me.String())
	if err != nil || got != me {
		t.Fatalf("parseOwner(%q) = %+v, %v; want %+v", me, got, err, me)
	}
	if !me.alive() {
		t.Errorf("this process: got dead, want alive")
	}
	if me.PID != os.Getpid() || me.Start == "" {
		t.Errorf("got %+v, want this pid and a start time", me)
	}

	// A process that has exited and been reaped is dead.
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	gone := owner{Host: me.Host, PID: cmd.Process.Pid, Start: "1"}
	if gone.alive() {
		t.Errorf("exited pid %d: got alive, want dead", gone.PID)
	}
	// A live pid with another start time is a reused pid: dead owner.
	reused := me
	reused.Start = "1"
	if reused.alive() {
		t.Errorf("pid reused: got alive, want dead")
	}
	// Another host's owners are never judged dead.
	other := owner{Host: me.Host + "-elsewhere", PID: cmd.Process.Pid, Start: "1"}
	if !other.alive() {
		t.Errorf("other host: got dead, want alive")
	}
	if _, err := parseOwner("nonsense"); err == nil {
		t.Errorf("parseOwner(nonsense): got nil error")
	}
}
