package config

import (
	"errors"
	"fmt"

	"github.com/failover-lab/failover-lab/proxy/config/strictyaml"
)

// Sentinels wrapped by every configuration error, for errors.Is. They are
// strictyaml's, shared with the lab's scenario files.
var (
	ErrSyntax       = strictyaml.ErrSyntax
	ErrUnknownField = strictyaml.ErrUnknownField
	ErrInvalid      = strictyaml.ErrInvalid
	ErrRequired     = strictyaml.ErrRequired
)

// FieldError is one problem with one field, rendered
// "file:line:col: path: problem" (what is unknown left out).
type FieldError = strictyaml.Error

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
