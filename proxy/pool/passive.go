package pool

import "github.com/failover-lab/failover-lab/proxy/member"

// PassiveFailure tells m about a failure it caused on live traffic, under
// the pool's passive rule. Passive detection alone never leaves the pool
// without a usable member (unless passive.eject_last): the decision is
// taken under the pool's lock so two members failing at once cannot both
// take the last place. It reports whether m was ejected.
func (p *Pool) PassiveFailure(m *member.Member, what string) bool {
	pc := p.Config.Passive
	p.passiveMu.Lock()
	defer p.passiveMu.Unlock()
	r := member.Rule{Failures: pc.Failures, Window: pc.Window, HoldDown: pc.HoldDown,
		MayEject: pc.EjectLast || p.usableOthers(m) > 0}
	return m.PassiveFailure(what, r)
}

// usableOthers counts the usable members other than m.
func (p *Pool) usableOthers(m *member.Member) int {
	n := 0
	for _, o := range p.Members {
		if o != m && o.Usable() {
			n++
		}
	}
	return n
}
