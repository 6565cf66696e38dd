package cli

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/failover-lab/failover-lab/proxy"
	"github.com/failover-lab/failover-lab/proxy/config"
)

// tlsFront holds the live TLS settings of the traffic listeners given in
// cfg.Listeners. Each TLS listener hands every new handshake the
// *tls.Config behind its pointer; a reload re-reads the certificate files
// and swaps the pointer, so open connections go on undisturbed and the
// next handshake sees the new certificates, versions and ciphers.
//
//	client ──TCP──▶ tls.Listener ──GetConfigForClient──▶ live[addr].Load()
//	                     │                                    ▲
//	                     ▼                               reload: Store
//	              http.Server (h1 / h2 by ALPN)
type tlsFront struct {
	logger *slog.Logger

	mu    sync.Mutex
	specs []config.Listener             // as bound; listeners change only on restart
	live  []*atomic.Pointer[tls.Config] // per spec; nil for a plain listener
}

// bind opens cfg.Listeners; newServer makes each one's http.Server with
// the same limits as the plain listeners'.
func (f *tlsFront) bind(cfg *config.Config, traffic http.Handler, newServer func(http.Handler) *http.Server) ([]listener, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.specs, f.live = cfg.Listeners, make([]*atomic.Pointer[tls.Config], len(cfg.Listeners))
	var out []listener
	for i, spec := range cfg.Listeners {
		l, live, err := bindOne(spec, traffic, newServer)
		if err != nil {
			for _, o := range out {
				o.ln.Close()
			}
			return nil, err
		}
		out, f.live[i] = append(out, l), live
	}
	return out, nil
}

// bindOne opens one listener; live is its TLS config, nil when plain.
func bindOne(spec config.Listener, traffic http.Handler, newServer func(http.Handler) *http.Server) (
	l listener, live *atomic.Pointer[tls.Config], err error) {
	if spec.TLS != nil {
		tc, err := serverTLS(spec, time.Now())
		if err != nil {
			return listener{}, nil, fmt.Errorf("listener %s: %w", spec.Addr, err)
		}
		live = new(atomic.Pointer[tls.Config])
		live.Store(tc)
	}
	ln, err := net.Listen("tcp", spec.Addr)
	if err != nil {
		return listener{}, nil, fmt.Errorf("listen: %w", err)
	}
	h := traffic
	if spec.RedirectHTTPS != "" {
		h = redirectHTTPS(spec.RedirectHTTPS)
	}
	hs := newServer(h)
	hs.Protocols = protocols(spec.Protos())
	// Advertise the RFC's initial frame size (16 KiB) rather than Go's 1 MiB:
	// a HEADERS frame larger than it is then the connection error RFC 9113
	// §4.2 asks for (h2spec http2/4.2/3), as nginx does.
	hs.HTTP2 = &http.HTTP2Config{MaxReadFrameSize: 16 << 10}
	if live != nil {
		ln = tls.NewListener(ln, &tls.Config{
			GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) { return live.Load(), nil },
		})
	}
	return listener{ln, hs}, live, nil
}

// serverTLS reads the listener's certificates and builds its TLS config.
func serverTLS(spec config.Listener, now time.Time) (*tls.Config, error) {
	t := spec.TLS
	tc := &tls.Config{MinVersion: t.Version(), CipherSuites: t.Suites()}
	for _, cf := range t.Certificates {
		c, err := config.LoadCertificate(cf, now)
		if err != nil {
			return nil, err
		}
		// With several certificates crypto/tls picks the first that fits
		// the client's SNI (ClientHelloInfo.SupportsCertificate), else the first.
		tc.Certificates = append(tc.Certificates, c)
	}
	protos := spec.Protos()
	if slices.Contains(protos, config.ProtoHTTP2) {
		tc.NextProtos = append(tc.NextProtos, "h2")
	}
	if slices.Contains(protos, config.ProtoHTTP1) {
		tc.NextProtos = append(tc.NextProtos, "http/1.1")
	}
	return tc, nil
}

func protocols(names []string) *http.Protocols {
	p := new(http.Protocols)
	for _, n := range names {
		switch n {
		case config.ProtoHTTP1:
			p.SetHTTP1(true)
		case config.ProtoHTTP2:
			p.SetHTTP2(true)
		case config.ProtoH2C:
			p.SetUnencryptedHTTP2(true)
		}
	}
	return p
}

// reload is the server's reload with the certificates read again: a
// certificate that is missing, expired or does not match its key fails the
// reload like any bad field, and the old certificates stay.
func (f *tlsFront) reload(srv *proxy.Server, load func() (*config.Config, error)) error {
	if load == nil {
		return srv.Reload(nil)
	}
	var next map[int]*tls.Config
	err := srv.Reload(func() (*config.Config, error) {
		cfg, err := load()
		if err != nil {
			return nil, err
		}
		if next, err = f.prepare(cfg); err != nil {
			return nil, err
		}
		return cfg, nil
	})
	if err == nil {
		f.commit(next)
	}
	return err
}

// prepare builds the new TLS configs of the TLS listeners that are bound,
// by index into f.live.
func (f *tlsFront) prepare(cfg *config.Config) (map[int]*tls.Config, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !slices.EqualFunc(f.specs, cfg.Listeners, sameListener) {
		f.logger.Warn("reload: listeners change only on restart; certificates of the bound ones are read again")
	}
	next := map[int]*tls.Config{}
	now := time.Now()
	for i, spec := range cfg.Listeners {
		j := f.bound(i, spec.Addr)
		if spec.TLS == nil || j < 0 {
			continue
		}
		tc, err := serverTLS(spec, now)
		if err != nil {
			return nil, fmt.Errorf("listener %s: %w", spec.Addr, err)
		}
		next[j] = tc
	}
	return next, nil
}

// bound is the index of the bound TLS listener that the i-th listener of a
// new config is: the same position when its address is unchanged, else the
// first with that address; -1 when none.
func (f *tlsFront) bound(i int, addr string) int {
	if i < len(f.specs) && f.specs[i].Addr == addr && f.live[i] != nil {
		return i
	}
	for j, s := range f.specs {
		if s.Addr == addr && f.live[j] != nil {
			return j
		}
	}
	return -1
}

func (f *tlsFront) commit(next map[int]*tls.Config) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, tc := range next {
		f.live[i].Store(tc)
		f.logger.Info("tls certificates loaded", "addr", f.specs[i].Addr, "certificates", len(tc.Certificates),
			"first_expires", tc.Certificates[0].Leaf.NotAfter)
	}
}

// sameListener reports whether a reload can keep the bound listener as is.
func sameListener(a, b config.Listener) bool {
	return a.Addr == b.Addr && (a.TLS == nil) == (b.TLS == nil) && a.RedirectHTTPS == b.RedirectHTTPS &&
		slices.Equal(a.Protos(), b.Protos())
}

// redirectHTTPS answers a plain request with a permanent redirect to the
// same host and path over https on port (308 keeps the method and body,
// RFC 9110 §15.4.9).
func redirectHTTPS(port string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(r.Host); err == nil {
			host = h
		}
		w.Header().Set("X-Served-By", "proxy")
		if host == "" {
			http.Error(w, "bad request: no Host", http.StatusBadRequest)
			return
		}
		if port != "443" {
			host = net.JoinHostPort(host, port)
		} else if strings.Contains(host, ":") { // an IPv6 literal
			host = "[" + host + "]"
		}
		http.Redirect(w, r, "https://"+host+r.URL.RequestURI(), http.StatusPermanentRedirect)
	})
}
