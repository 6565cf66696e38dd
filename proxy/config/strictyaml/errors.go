package strictyaml

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Sentinels wrapped by every Error, for errors.Is. proxy/config and
// labs/scenario re-export them under the same names.
var (
	ErrSyntax       = errors.New("yaml syntax")
	ErrUnknownField = errors.New("unknown field")
	ErrInvalid      = errors.New("invalid value")
	ErrRequired     = errors.New("required")
	ErrUnknownName  = errors.New("unknown name") // a reference to something that does not exist
)

// Error is one problem with one field:
//
//	scenarios/x.yaml:12:5: timeline[1].fault.node: no node named "servce" (did you mean "service"?)
type Error struct {
	File    string // as given to the parser; "" for a value built in Go
	Line    int    // 1-based; 0 when unknown
	Col     int    // 1-based; 0 when unknown
	Path    string // the field, e.g. "pools.web.members[1].url"; "" for the whole document
	Problem string // e.g. "scheme must be http or https"
	Err     error  // one of the sentinels
}

// Error renders "file:line:col: path: problem", leaving out what is unknown.
func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.File != "":
		b.WriteString(e.File)
	case e.Line > 0:
		b.WriteString("line")
	}
	if e.Line > 0 {
		if e.File == "" {
			b.WriteString(" ")
		} else {
			b.WriteString(":")
		}
		fmt.Fprintf(&b, "%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Problem)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem of one document, one per line.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is and errors.As see every problem.
func (es Errors) Unwrap() []error {
	errs := make([]error, len(es))
	for i, e := range es {
		errs[i] = e
	}
	return errs
}

// Add appends one problem.
func (es *Errors) Add(pos Pos, path string, sentinel error, format string, args ...any) {
	*es = append(*es, &Error{Line: pos.Line, Col: pos.Col, Path: path, Problem: fmt.Sprintf(format, args...), Err: sentinel})
}

// Err stamps every problem with file, orders them by place (stable: equal
// places keep the order found), drops exact duplicates, and returns them,
// or nil when there are none.
func (es Errors) Err(file string) error {
	if len(es) == 0 {
		return nil
	}
	for _, e := range es {
		e.File = file
	}
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	out := es[:0]
	seen := map[string]bool{}
	for _, e := range es {
		if !seen[e.Error()] {
			seen[e.Error()] = true
			out = append(out, e)
		}
	}
	return out
}

// FromError collects the *Error values err holds: itself, or the members
// of a joined error (errors.Join) or of Errors.
func FromError(err error) Errors {
	var out Errors
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, FromError(e)...)
		}
		return out
	}
	if e := (*Error)(nil); errors.As(err, &e) {
		out = append(out, e)
	}
	return out
}
