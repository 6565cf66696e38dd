package admin

import (
	"net/http"
	"time"

	"github.com/failover-lab/failover-lab/proxy/member"
)

var actions = map[string]member.Admin{
	"drain":   member.Draining,
	"disable": member.Disabled,
	"enable":  member.Active,
}

// action drains, disables or enables a member; the change enters its
// why-timeline as "admin: drain".
func (a *Admin) action(w http.ResponseWriter, r *http.Request) {
	to, ok := actions[r.PathValue("action")]
	if !ok {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "action must be drain, disable or enable"})
		return
	}
	p := a.srv.Pools()[r.PathValue("pool")]
	if p == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such pool"})
		return
	}
	m := p.Member(r.PathValue("member"))
	if m == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such member"})
		return
	}
	m.SetAdmin(to, "admin: "+r.PathValue("action"))
	writeJSON(w, http.StatusOK, memberStatus(p, m, time.Now()))
}

func (a *Admin) reload(w http.ResponseWriter, _ *http.Request) {
	if a.opts.Reload == nil {
		writeJSON(w, http.StatusNotImplemented, map[string]string{"error": "no config file to reload"})
		return
	}
	if err := a.opts.Reload(); err != nil {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"ok": false, "error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}
