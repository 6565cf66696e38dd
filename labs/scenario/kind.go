package scenario

import "github.com/failover-lab/failover-lab/labs/vocab"

// WithKind is s in front of another proxy kind, as `lab run -kind`, `lab
// conform` and LAB_PROXY_KIND put it: a copy with proxy.kind replaced,
// validated again, so what that kind cannot do (TLS, the builtin proxy's
// reload and why events) comes back as the file's own errors. The copy
// shares s's slices; neither is changed after parsing.
func (s *Scenario) WithKind(k vocab.ProxyKind) (*Scenario, error) {
	c := *s
	c.Proxy.Kind = k
	var errs Errors
	c.validate(&errs)
	if err := errs.Err(c.File); err != nil {
		return nil, err
	}
	return &c, nil
}
