package scenario

import (
	"github.com/failover-lab/failover-lab/labs/vocab"
	"github.com/failover-lab/failover-lab/proxy/config/strictyaml"

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
		if set, all := e.kindsSet(); len(set) > 1 {
			v.add(path, ErrInvalid, "an event does one thing: one of %s (got %s)", strings.Join(all, ", "), strings.Join(set, ", "))
		}
		switch {
		case e.Name == "" && e.Fault != nil:
			v.add(path+".name", ErrRequired, "a fault needs a name, so it can be cleared and referred to")
		case e.Name == "":
			v.add(path+".name", ErrRequired, "a mark needs a name (or set fault, clear or end)")
		case e.Name == Start:
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
		case e.Reload && s.Proxy.Own() && s.Proxy.ReloadSignal() == "":
			v.add(path+".reload", ErrInvalid, "the lab does not know how to reload your proxy (%s): set proxy.reload_signal (e.g. SIGHUP)", s.Proxy.What())
		case e.Reload && !s.Proxy.Own() && s.Proxy.Kind.OrDefault() != vocab.ProxyBuiltin:
			v.add(path+".reload", ErrInvalid, "only the builtin proxy has an admin /reload (proxy.kind is %q)", s.Proxy.Kind)
		case e.Why != "" && (s.Proxy.Own() || s.Proxy.Kind.OrDefault() != vocab.ProxyBuiltin):
			v.add(path+".why", ErrInvalid, "only the builtin proxy has an admin /status (the proxy is %s)", s.Proxy.What())
		case e.Why != "":
			if _, ok := s.Node(e.Why); !ok {
				v.add(path+".why", ErrUnknownName, "no node named %q%s", e.Why, strictyaml.DidYouMean(e.Why, s.Topology().NodeNames()))
			}
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
		v.add(path, ErrUnknownName, "no earlier fault named %q%s", target, strictyaml.DidYouMean(target, known))
		return
	}
	if cleared[target] {
		v.add(path, ErrInvalid, "fault %q is already cleared", target)
	}
	cleared[target] = true
}

func (v v) fault(path string, f vocab.Fault) {
	v.s.Topology().CheckFault(f, func(p string, sentinel error, msg string) {
		v.add(strictyaml.Join(path, p), sentinel, "%s", msg)
	})
}
