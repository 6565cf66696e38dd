package faults

import (
	"syscall"
	"testing"
)

func TestParseSignal(t *testing.T) {
	tests := []struct {
		in       string
		wantName string
		wantSig  syscall.Signal
		wantErr  bool
	}{
		{"SIGTERM", "SIGTERM", syscall.SIGTERM, false},
		{"TERM", "SIGTERM", syscall.SIGTERM, false},
		{"term", "SIGTERM", syscall.SIGTERM, false},
		{"", "SIGKILL", syscall.SIGKILL, false},
		{"SIGFOO", "", 0, true},
	}
	for _, tt := range tests {
		name, sig, err := ParseSignal(tt.in)
		if name != tt.wantName || sig != tt.wantSig || (err != nil) != tt.wantErr {
			t.Errorf("ParseSignal(%q): got %s, %v, %v; want %s, %v, error %t", tt.in, name, sig, err, tt.wantName, tt.wantSig, tt.wantErr)
		}
	}
}
