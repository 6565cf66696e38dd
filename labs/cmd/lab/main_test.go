package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"
)

func TestDispatch(t *testing.T) {
	verbs["test-verb"] = verb{usage: "test-verb ARG  for this test", run: func(ctx context.Context, args []string) error {
		switch {
		case len(args) == 0:
			return fmt.Errorf("%w: missing ARG", errUsage)
		case args[0] == "broke":
			return errors.New("it broke")
		case args[0] == "fail":
			return fmt.Errorf("x: 1 of 2 %w", errFailed)
		case args[0] == "invalid":
			return invalidError{errors.New("x.yaml:1:1: name: required")}
		case args[0] == "-h":
			return flag.ErrHelp
		}
		return nil
	}}
	defer delete(verbs, "test-verb")

	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string // substring
	}{
		{"ok", []string{"test-verb", "x"}, 0, ""},
		{"usage error", []string{"test-verb"}, 2, "lab test-verb: bad usage: missing ARG\nusage: lab test-verb ARG"},
		{"an expectation failed", []string{"test-verb", "fail"}, 1, "lab test-verb: x: 1 of 2 expectations failed\n"},
		{"invalid file", []string{"test-verb", "invalid"}, 2, "lab test-verb: x.yaml:1:1: name: required\n"},
		{"could not run", []string{"test-verb", "broke"}, 3, "lab test-verb: it broke"},
		{"verb help", []string{"test-verb", "-h"}, 0, ""},
		{"unknown verb", []string{"nope"}, 2, `unknown verb "nope"`},
		{"no verb", nil, 2, "lab watch"},
		{"help", []string{"help"}, 0, "lab up"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := dispatch(t.Context(), tt.args, &stderr)
			if code != tt.code || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("got exit %d, stderr %q; want exit %d, stderr containing %q", code, stderr.String(), tt.code, tt.stderr)
			}
		})
	}
}
