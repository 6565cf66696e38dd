package vocab

import (
	"fmt"
	"strings"

	"github.com/failover-lab/failover-lab/proxy/config/strictyaml"
)

// Sentinels of validation problems: strictyaml's, so that a scenario
// file's errors and the runtime's wrap the same values.
var (
	ErrInvalid     = strictyaml.ErrInvalid
	ErrRequired    = strictyaml.ErrRequired
	ErrUnknownName = strictyaml.ErrUnknownName
)

// Report receives one problem of a value being validated: the field path
// relative to that value ("" for the value itself), a sentinel, a message.
type Report func(path string, sentinel error, msg string)

// under is a Report that prefixes every path with prefix.
func (r Report) under(prefix string) Report {
	return func(path string, sentinel error, msg string) {
		r(join(prefix, path), sentinel, msg)
	}
}

func (r Report) add(path string, sentinel error, format string, args ...any) {
	r(path, sentinel, fmt.Sprintf(format, args...))
}

func join(prefix, path string) string {
	switch {
	case path == "":
		return prefix
	case prefix == "" || strings.HasPrefix(path, "["):
		return prefix + path
	}
	return prefix + "." + path
}

// first runs check and returns its first problem as an error
// "invalid value: path: message" wrapping ErrInvalid (whatever the
// problem's own sentinel: for the runtime, the value is invalid), or nil.
func first(check func(Report)) error {
	var err error
	check(func(path string, _ error, msg string) {
		if err != nil {
			return
		}
		if path != "" {
			msg = path + ": " + msg
		}
		err = fmt.Errorf("%w: %s", ErrInvalid, msg)
	})
	return err
}

// oneOf is the message of a value outside its set, with a did-you-mean.
func didYouMean(got string, set []string) string { return strictyaml.DidYouMean(got, set) }

func oneOf(got string, set []string) string {
	return fmt.Sprintf("must be one of %s (got %q)%s", strings.Join(set, ", "), got, strictyaml.DidYouMean(got, set))
}
