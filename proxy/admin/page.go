package admin

import (
	"html/template"
	"net/http"
	"net/url"
	"time"
)

var pageTmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"ts": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format("15:04:05.000")
	},
	"at": func(t time.Time) string { return t.UTC().Format("15:04:05.000") },
	"act": func(pool, member, action string) string {
		return "/pools/" + url.PathEscape(pool) + "/members/" + url.PathEscape(member) + "/" + action
	},
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
<title>failover-proxy status</title>
<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}
.up{background:#dfd}.down,.error{background:#fdd}.draining,.disabled{background:#eee}</style></head>
<body>
<h1>failover-proxy</h1>
<p>Now {{at .Now}} UTC. JSON: <a href="/status">/status</a>, metrics: <a href="/metrics">/metrics</a>.</p>
{{with .LastReload}}{{if .OK}}<p>Last reload {{at .At}}: ok.</p>{{else}}<p><strong>Last reload {{at .At}} FAILED, the old config is still in use:</strong></p><pre>{{.Error}}</pre>{{end}}{{end}}
{{range .Pools}}{{$pool := .Name}}
<h2>Pool {{.Name}} ({{.Policy}})</h2>
<p>Serving now: <strong>{{.Serving}}</strong></p>
<table>
<tr><th>member</th><th>tier</th><th>weight</th><th>state</th><th>why (last transition)</th><th>since</th><th>next check</th><th>in flight</th><th>requests</th><th>retries</th><th>recent codes</th><th>actions</th></tr>
{{range .Members}}<tr class="{{.State}}"><td>{{.Name}}<br><small>{{.URL}}</small></td><td>{{.Tier}}</td><td>{{.Weight}}</td>
<td><strong>{{.State}}</strong></td><td>{{.Cause}}</td><td>{{ts .Since}}{{if .For}} ({{.For}} ago){{end}}</td>
<td>{{.NextProbe}}</td><td>{{.InFlight}}</td><td>{{.Requests}}</td><td>{{.Retries}}</td><td>{{.RecentCodes}}</td>
<td><button data-post="{{act $pool .Name "drain"}}">drain</button> <button data-post="{{act $pool .Name "disable"}}" data-confirm="Disable {{.Name}}? New and in-flight traffic leaves it.">disable</button> <button data-post="{{act $pool .Name "enable"}}">enable</button></td></tr>
{{end}}</table>
{{range .Members}}
<h3>Why-timeline of {{.Name}}</h3>
{{if .Timeline}}<table><tr><th>at (UTC)</th><th>from</th><th>to</th><th>cause</th></tr>
{{range .Timeline}}<tr><td>{{at .At}}</td><td>{{.From}}</td><td>{{.To}}</td><td>{{.Cause}}</td></tr>
{{end}}</table>{{else}}<p>No transitions: {{.State}} since start.</p>{{end}}
<p>Next: {{.NextProbe}}{{with .LastCheck}}. Last check {{at .At}}: {{if .Pass}}pass{{else}}fail{{end}}, {{.Reason}}, {{.Latency}}{{end}}.</p>
{{end}}
{{end}}
<p><button data-post="/reload" data-confirm="Re-read the config file?">reload config</button></p>
<p>Actions from a shell: <code>curl -X POST -H "X-Requested-By: me" [-H "Authorization: Bearer TOKEN"] http://ADMIN/pools/POOL/members/MEMBER/drain|disable|enable</code>, <code>POST /reload</code>.</p>
<script src="/admin.js"></script>
</body></html>
`))

// adminJS sends the page's buttons as non-simple POSTs (X-Requested-By),
// the only kind the admin accepts; the browser adds its Basic credentials.
// The URL is built on location.origin, which never holds credentials: a
// page opened as http://admin:TOKEN@host/ resolves a relative URL to one
// that does, and fetch refuses those ("Request cannot be constructed from
// a URL that includes credentials"). TestButtonsInChromium.
const adminJS = `document.addEventListener('click', async (e) => {
  const b = e.target.closest('button[data-post]');
  if (!b || (b.dataset.confirm && !confirm(b.dataset.confirm))) return;
  b.disabled = true;
  const r = await fetch(new URL(b.dataset.post, location.origin), {method: 'POST', credentials: 'same-origin',
    headers: {'X-Requested-By': 'failover-proxy-admin'}});
  if (!r.ok) alert(r.status + ': ' + await r.text());
  location.reload();
});
`

func script(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Write([]byte(adminJS))
}

func (a *Admin) page(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	pageTmpl.Execute(w, Snapshot(a.srv, time.Now()))
}
