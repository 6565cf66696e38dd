package config

import (
	"errors"
	"fmt"
)

// Sentinels wrapped by every configuration error, for errors.Is.
var (
	ErrSyntax       = errors.New("yaml syntax")
	ErrUnknownField = errors.New("unknown field")
	ErrInvalid      = errors.New("invalid value")
	ErrRequired     = errors.New("required")
)

// FieldError is one problem with one field.
type FieldError struct {
	File    string // file name as given to Parse; "" for a Config built in Go
	Line    int    // 1-based; 0 when unknown
	Path    string // e.g. "pools.web.members[1].url"
	Problem string // e.g. "scheme must be http or https"
	Err     error  // one of the sentinels
}

// Error renders "file:line: path: problem", leaving out what is unknown.
func (e *FieldError) Error() string {
	s := ""
	switch {
	case e.File != "" && e.Line > 0:
		s = fmt.Sprintf("%s:%d: ", e.File, e.Line)
	case e.File != "":
		s = e.File + ": "
	case e.Line > 0:
		s = fmt.Sprintf("line %d: ", e.Line)
	}
	if e.Path != "" {
		s += e.Path + ": "
	}
	return s + e.Problem
}

func (e *FieldError) Unwrap() error { return e.Err }

// problems collects FieldErrors in order.
type problems []*FieldError

func (p *problems) add(sentinel error, path, format string, args ...any) {
	*p = append(*p, &FieldError{Path: path, Problem: fmt.Sprintf(format, args...), Err: sentinel})
}

// err joins the problems, or returns nil.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	errs := make([]error, len(p))
	for i, e := range p {
		errs[i] = e
	}
	return errors.Join(errs...)
}
