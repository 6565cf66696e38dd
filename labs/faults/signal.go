package faults

import (
	"fmt"
	"strings"
	"syscall"
)

var signals = map[string]syscall.Signal{
	"SIGKILL": syscall.SIGKILL, "SIGTERM": syscall.SIGTERM, "SIGINT": syscall.SIGINT,
	"SIGQUIT": syscall.SIGQUIT, "SIGHUP": syscall.SIGHUP, "SIGUSR1": syscall.SIGUSR1,
	"SIGUSR2": syscall.SIGUSR2, "SIGABRT": syscall.SIGABRT,
}

// ParseSignal accepts "SIGKILL", "KILL" or "kill"; "" is SIGKILL. It
// returns the canonical name too.
func ParseSignal(s string) (string, syscall.Signal, error) {
	if s == "" {
		return "SIGKILL", syscall.SIGKILL, nil
	}
	name := strings.ToUpper(s)
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	sig, ok := signals[name]
	if !ok {
		return "", 0, fmt.Errorf("unknown signal %q", s)
	}
	return name, sig, nil
}

func checkSignal(s string) *Problem {
	if _, _, err := ParseSignal(s); err != nil {
		return problem("signal", "%v", err)
	}
	return nil
}
