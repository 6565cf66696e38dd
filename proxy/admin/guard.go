package admin

import (
	"crypto/subtle"
	"encoding/base64"
	"mime"
	"net"
	"net/http"
	"strings"
)

// The admin's protections, outermost first (protect):
//
//	every answer   no-store, nosniff, no framing, a script-only-from-self CSP
//	/ready         always answered: orchestrators probe it by any name
//	Host           an IP literal, localhost or the admin's own configured
//	               name, else 421: a DNS-rebound name never reaches the API
//	token          when set, on every request (reads too): Bearer TOKEN, or
//	               Basic with TOKEN as password so a browser can open the page
//	POST           cross-origin browser requests refused (Sec-Fetch-Site,
//	               Origin), and only non-simple requests accepted (JSON, a
//	               Bearer token or X-Requested-By): a plain HTML form or a
//	               text/plain fetch from another page cannot act
func (a *Admin) protect(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'")
		if r.URL.Path == "/ready" {
			next.ServeHTTP(w, r)
			return
		}
		if !a.hostAllowed(r.Host) {
			http.Error(w, "this admin does not answer to that host name", http.StatusMisdirectedRequest)
			return
		}
		if !a.authorized(r) {
			h.Add("WWW-Authenticate", `Bearer realm="failover-proxy admin"`)
			h.Add("WWW-Authenticate", `Basic realm="failover-proxy admin", charset="UTF-8"`)
			http.Error(w, "missing or wrong token", http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodPost {
			if err := cop.Check(r); err != nil {
				http.Error(w, "cross-origin request refused", http.StatusForbidden)
				return
			}
			if !nonSimple(r) {
				http.Error(w, "send Content-Type: application/json or an X-Requested-By header", http.StatusForbidden)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// hostAllowed: DNS rebinding needs a name the attacker controls, so any IP
// literal is fine; names must be localhost or the admin's own.
func (a *Admin) hostAllowed(hostport string) bool {
	if hostport == "" { // HTTP/1.0 without Host: not a browser
		return true
	}
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if net.ParseIP(host) != nil || strings.EqualFold(host, "localhost") {
		return true
	}
	for _, name := range a.opts.Hosts {
		if strings.EqualFold(host, name) {
			return true
		}
	}
	return false
}

// authorized checks the token, when one is set; the scheme is compared
// case-insensitively (RFC 9110 §11.1).
func (a *Admin) authorized(r *http.Request) bool {
	want := a.token()
	if want == "" {
		return true
	}
	scheme, cred, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	cred = strings.TrimSpace(cred)
	switch {
	case strings.EqualFold(scheme, "Bearer"):
	case strings.EqualFold(scheme, "Basic"):
		b, err := base64.StdEncoding.DecodeString(cred)
		if err != nil {
			return false
		}
		_, cred, _ = strings.Cut(string(b), ":")
	default:
		return false
	}
	return subtle.ConstantTimeCompare([]byte(cred), []byte(want)) == 1
}

func (a *Admin) token() string {
	if a.opts.Token == nil {
		return ""
	}
	return a.opts.Token()
}

// nonSimple reports whether a browser would have had to ask first (a CORS
// preflight) before sending r: a JSON body, a Bearer token or a custom
// header. A cached Basic credential is attached by browsers unasked, so it
// does not count.
func nonSimple(r *http.Request) bool {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && mt == "application/json" {
		return true
	}
	scheme, _, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	return strings.EqualFold(scheme, "Bearer") || r.Header.Get("X-Requested-By") != ""
}
