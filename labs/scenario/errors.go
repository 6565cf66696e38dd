package scenario

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Sentinels wrapped by every error of Parse, for errors.Is.
var (
	ErrSyntax       = errors.New("yaml syntax")
	ErrUnknownField = errors.New("unknown field")
	ErrInvalid      = errors.New("invalid value")
	ErrRequired     = errors.New("required")
	ErrUnknownName  = errors.New("unknown name") // a node or event that does not exist
)

// Error is one problem at one place of a scenario file:
//
//	scenarios/x.yaml:12:5: timeline[1].fault.node: no node named "servce" (did you mean "service"?)
type Error struct {
	File    string
	Pos     Pos
	Path    string // the field, e.g. "timeline[1].fault.node"; "" for the whole file
	Problem string
	Err     error // one of the sentinels
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Pos.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Pos.Line, e.Pos.Col)
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Problem)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem found in a file, in file order, one per line.
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

// sorted orders by place, dropping exact duplicates.
func (es Errors) sorted() Errors {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i].Pos, es[j].Pos
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

// problems collects errors for one file.
type problems struct {
	file string
	errs Errors
}

func (p *problems) add(pos Pos, path string, sentinel error, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Pos: pos, Path: path, Problem: fmt.Sprintf(format, args...), Err: sentinel})
}

func (p *problems) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	return p.errs.sorted()
}
