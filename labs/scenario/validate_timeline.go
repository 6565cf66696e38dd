package scenario

import (
	"fmt"
	"slices"
	"strings"
)

func (v v) timeline() {
	s := v.s
	if len(s.Timeline) == 0 {
		v.add("timeline", ErrRequired, "at least an end event is needed: - {at: 10s, end: true}")
		return
	}
	faults := map[string]int{} // fault event name → its index
	cleared := map[string]bool{}
	names := map[string]bool{}
	ends := 0
	for i, e := range s.Timeline {
		path := fmt.Sprintf("timeline[%d]", i)
		if e.At < 0 {
			v.add(path+".at", ErrInvalid, "must be ≥ 0 (got %s)", e.At)
		}
		if i > 0 && e.At < s.Timeline[i-1].At {
			v.add(path+".at", ErrInvalid, "events must be in time order (%s comes after %s)", fmtDuration(e.At), fmtDuration(s.Timeline[i-1].At))
		}
		set := 0
		for _, on := range []bool{e.Fault != nil, e.Clear != "", e.Probe != "", e.End, e.Reload} {
			if on {
				set++
			}
		}
		if set > 1 {
			v.add(path, ErrInvalid, "an event does one thing: fault, clear, probe, reload or end")
		}
		switch {
		case e.Name == "" && e.Fault != nil:
			v.add(path+".name", ErrRequired, "a fault needs a name, so it can be cleared and referred to")
		case e.Name == "":
			v.add(path+".name", ErrRequired, "a mark needs a name (or set fault, clear or end)")
		case e.Name == "start":
			v.add(path+".name", ErrInvalid, `"start" is the start of the load; pick another name`)
		case !eventNameRE.MatchString(e.Name):
			v.add(path+".name", ErrInvalid, "must be letters, digits, '-' and '_' (got %q)", e.Name)
		case names[e.Name]:
			v.add(path+".name", ErrInvalid, "%q is used by an earlier event", e.Name)
		}
		names[e.Name] = true
		switch {
		case e.Fault != nil:
			v.fault(path+".fault", *e.Fault)
			faults[e.Name] = i
		case e.Clear != "":
			v.clear(path+".clear", e.Clear, faults, cleared)
		case e.Probe != "" && !strings.HasPrefix(e.Probe, "/"):
			v.add(path+".probe", ErrInvalid, "must be a path starting with / (got %q)", e.Probe)
		case e.Reload && s.Proxy.Kind != "" && s.Proxy.Kind != "builtin":
			v.add(path+".reload", ErrInvalid, "only the builtin proxy has an admin /reload (proxy.kind is %q)", s.Proxy.Kind)
		case e.End:
			ends++
			if i != len(s.Timeline)-1 {
				v.add(path+".end", ErrInvalid, "the end must be the last event")
			}
		}
	}
	last := s.Timeline[len(s.Timeline)-1]
	if ends == 0 || !last.End {
		v.add(fmt.Sprintf("timeline[%d]", len(s.Timeline)-1), ErrRequired, "the last event must be {at: D, end: true}")
	} else if last.At <= 0 {
		v.add(fmt.Sprintf("timeline[%d].at", len(s.Timeline)-1), ErrInvalid, "the end must be after the start (got %s)", last.At)
	}
}

func (v v) clear(path, target string, faults map[string]int, cleared map[string]bool) {
	if _, ok := faults[target]; !ok {
		known := make([]string, 0, len(faults))
		for n := range faults {
			known = append(known, n)
		}
		slices.Sort(known)
		v.add(path, ErrUnknownName, "no earlier fault named %q%s", target, didYouMean(target, known))
		return
	}
	if cleared[target] {
		v.add(path, ErrInvalid, "fault %q is already cleared", target)
	}
	cleared[target] = true
}

func (v v) fault(path string, f Fault) {
	node, ok := v.s.Node(f.Node)
	switch {
	case f.Node == "":
		v.add(path+".node", ErrRequired, "required: the node to break")
	case !ok:
		names := make([]string, len(v.s.Nodes))
		for i, n := range v.s.Nodes {
			names[i] = n.Name
		}
		v.add(path+".node", ErrUnknownName, "no node named %q%s", f.Node, didYouMean(f.Node, names))
	}
	set := 0
	for _, on := range []bool{f.HTTP != nil, f.Container != nil, f.Network != nil} {
		if on {
			set++
		}
	}
	if set != 1 {
		v.add(path, ErrInvalid, "exactly one of http, container, network must be set (got %d)", set)
	}
	switch {
	case f.HTTP != nil:
		if ok && node.Fixture != "app" {
			v.add(path+".http", ErrInvalid, "http faults need an app node; %s runs %s", node.Name, node.Fixture)
		}
		v.httpFault(path+".http", *f.HTTP)
	case f.Container != nil:
		c := f.Container
		if !slices.Contains(containerActions, c.Action) {
			v.add(path+".container.action", ErrInvalid, "must be one of %s (got %q)%s", strings.Join(containerActions, ", "), c.Action, didYouMean(c.Action, containerActions))
		}
		if c.Signal != "" && c.Action != "kill" {
			v.add(path+".container.signal", ErrInvalid, "only for action kill (got %q with %s)", c.Signal, c.Action)
		}
	case f.Network != nil:
		v.networkFault(path+".network", *f.Network)
	}
}

func (v v) httpFault(path string, h HTTPFault) {
	if !slices.Contains(httpKinds, h.Kind) {
		v.add(path+".kind", ErrInvalid, "must be one of %s (got %q)%s", strings.Join(httpKinds, ", "), h.Kind, didYouMean(h.Kind, httpKinds))
		return
	}
	switch {
	case h.Kind == "status" && (h.Status < 100 || h.Status > 599):
		v.add(path+".status", ErrInvalid, "must be 100-599 (got %d)", h.Status)
	case h.Kind != "status" && h.Status != 0:
		v.add(path+".status", ErrInvalid, "not used by kind %s", h.Kind)
	case h.Kind == "latency" && h.Latency <= 0 && h.Jitter <= 0:
		v.add(path+".latency", ErrInvalid, "must be > 0 (got %s)", h.Latency)
	case h.Kind == "health" && h.Health != "ok" && h.Health != "fail":
		v.add(path+".health", ErrInvalid, "must be ok or fail (got %q)", h.Health)
	case h.When != "" && h.When != "before" && h.When != "mid":
		v.add(path+".when", ErrInvalid, "must be before or mid (got %q)", h.When)
	case h.Probability < 0 || h.Probability > 1:
		v.add(path+".probability", ErrInvalid, "must be in (0, 1] (got %g)", h.Probability)
	case h.Count < 0:
		v.add(path+".count", ErrInvalid, "must be ≥ 0 (got %d)", h.Count)
	case h.Code < 0 || h.Code > 255:
		v.add(path+".code", ErrInvalid, "must be 1-255 (got %d)", h.Code)
	}
}

func (v v) networkFault(path string, n NetworkFault) {
	switch {
	case !slices.Contains(networkToxics, n.Toxic):
		v.add(path+".toxic", ErrInvalid, "must be one of %s (got %q)%s", strings.Join(networkToxics, ", "), n.Toxic, didYouMean(n.Toxic, networkToxics))
	case n.Toxic == "latency" && n.Latency <= 0:
		v.add(path+".latency", ErrInvalid, "must be > 0 (got %s)", n.Latency)
	case n.Toxic == "bandwidth" && n.Rate <= 0:
		v.add(path+".rate", ErrInvalid, "must be > 0 KB/s (got %d)", n.Rate)
	case n.Jitter < 0 || n.Timeout < 0:
		v.add(path, ErrInvalid, "jitter and timeout must be ≥ 0")
	}
}
