package scenario

import "github.com/failover-lab/failover-lab/labs/vocab"

// WithKind is s in front of another proxy kind, as `lab run -kind`, `lab
// conform` and LAB_PROXY_KIND put it: a copy with proxy.kind replaced,
// validated again, so what that kind cannot do (TLS, the builtin proxy's
// reload and why events) comes back as the file's own errors. The copy
// shares s's slices; neither is changed after parsing. A scenario that
// brings its own proxy config runs in front of that config's kind only.
func (s *Scenario) WithKind(k vocab.ProxyKind) (*Scenario, error) {
	var errs Errors
	switch {
	case s.Proxy.Given():
		// The user's own proxy is the subject; no kind replaces it.
		field := "proxy.image"
		if s.Proxy.Image == "" {
			field = "proxy.command"
		}
		errs.Add(s.pos.Of(field), field, ErrInvalid, "the scenario brings its own proxy (%s); it cannot run in front of %s", s.Proxy.What(), k)
		return nil, errs.Err(s.File)
	case s.Proxy.Config != "" && k != s.Proxy.Kind:
		// The user's own file is written for its kind; another cannot read it.
		errs.Add(s.pos.Of("proxy.config"), "proxy.config", ErrInvalid, "written for %s, it cannot run in front of %s", s.Proxy.Kind, k)
		return nil, errs.Err(s.File)
	}
	c := *s
	c.Proxy.Kind = k
	c.validate(&errs)
	if err := errs.Err(c.File); err != nil {
		return nil, err
	}
	return &c, nil
}
