package cleanup

import (
	"os"
	"os/exec"
	"testing"
)

func TestOwner(t *testing.T) {
	me := Self()
	got, err := ParseOwner(me.String())
	if err != nil || got != me {
		t.Fatalf("ParseOwner(%q) = %+v, %v; want %+v", me, got, err, me)
	}
	if !me.Alive() {
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
	gone := Owner{Host: me.Host, PID: cmd.Process.Pid, Start: "1"}
	if gone.Alive() {
		t.Errorf("exited pid %d: got alive, want dead", gone.PID)
	}
	// A live pid with another start time is a reused pid: dead owner.
	reused := me
	reused.Start = "1"
	if reused.Alive() {
		t.Errorf("pid reused: got alive, want dead")
	}
	// Another host's owners are never judged dead.
	other := Owner{Host: me.Host + "-elsewhere", PID: cmd.Process.Pid, Start: "1"}
	if !other.Alive() {
		t.Errorf("other host: got dead, want alive")
	}
	if _, err := ParseOwner("nonsense"); err == nil {
		t.Errorf("ParseOwner(nonsense): got nil error")
	}
}
