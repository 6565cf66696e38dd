package proxy

import (
	"io"
	"net/http"
	"net/textproto"
	"strings"
	"sync"

	"golang.org/x/net/http/httpguts"
)

// Fast is the handler of the fast HTTP/1.1 engine (proxy/h1): the same
// routing, checks and retrier — the rules — as ServeHTTP, with the
// outbound request built and the answer copied by forward instead of
// httputil.ReverseProxy, which copies the request, its header map and
// the answer's headers once more than needed. h1 hands it only requests
// without a body, upgrade or Expect, whose header map it made for this
// request alone (so forward edits it in place); anything else it is given
// goes through the ReverseProxy as in ServeHTTP. The request itself is
// the engine's for this request alone too: forward points it at the
// member in place, with no copy.
func (h *Handler) Fast() http.Handler { return fastHandler{h} }

type fastHandler struct{ h *Handler }

func (f fastHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.h.serve(w, r, true) }

// forwardable reports whether forward may take r: what h1 hands over.
func forwardable(r *http.Request) bool {
	return (r.Body == nil || r.Body == http.NoBody) && len(r.Header["Upgrade"]) == 0 &&
		len(r.Header["Expect"]) == 0 && r.ProtoAtLeast(1, 1)
}

// Hop-by-hop headers (RFC 9110 §7.6.1), as httputil.ReverseProxy removes them.
var hopHeaders = []string{
	"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

func removeHopByHop(h http.Header) {
	for _, f := range h["Connection"] {
		for sf := range strings.SplitSeq(f, ",") {
			if sf = textproto.TrimString(sf); sf != "" {
				h.Del(sf)
			}
		}
	}
	for _, k := range hopHeaders {
		delete(h, k)
	}
}

var teTrailers = []string{"trailers"}

// forward sends r to rt's pool through the retrier and copies the answer
// to w, doing for a body-less request what httputil.ReverseProxy does
// (the differential fuzz target in proxy/h1 holds the two to the same
// bytes at the member).
func (h *Handler) forward(w http.ResponseWriter, r *http.Request, rt *route) {
	hdr := r.Header
	prior := hdr["X-Forwarded-For"]
	trailers := httpguts.HeaderValuesContainsToken(hdr["Te"], "trailers")
	removeHopByHop(hdr)
	if trailers {
		hdr["Te"] = teTrailers
	}
	delete(hdr, "Forwarded")
	delete(hdr, "X-Forwarded-For")
	delete(hdr, "X-Forwarded-Host")
	delete(hdr, "X-Forwarded-Proto")
	forwardedFor(hdr, r, prior)

	// r is this request's alone: pointed at no member yet, it is the
	// outbound request (attemptRequest copies it per attempt).
	r.Body = nil
	r.Close = false
	res, err := rt.rt.roundTrip(r, w) // 1xx go to w as the rules allow
	if err != nil {
		proxyError(w, r, rt.pool, err)
		return
	}
	if res.StatusCode == http.StatusSwitchingProtocols {
		res.Body.Close()
		generated(w, http.StatusBadGateway, ErrKindConnect, "member switched protocols unasked")
		return
	}
	removeHopByHop(res.Header)
	wh := w.Header()
	for k, vv := range res.Header {
		if prev, ok := wh[k]; ok {
			wh[k] = append(prev, vv...)
		} else {
			wh[k] = vv
		}
	}
	announced := len(res.Trailer)
	if announced > 0 {
		keys := make([]string, 0, announced)
		for k := range res.Trailer {
			keys = append(keys, k)
		}
		wh.Add("Trailer", strings.Join(keys, ", "))
	}
	w.WriteHeader(res.StatusCode)
	copyBody(w, res, flushEach(res))
	res.Body.Close() // now: it fills res.Trailer
	if len(res.Trailer) > 0 {
		http.NewResponseController(w).Flush()
	}
	for k, vv := range res.Trailer {
		if len(res.Trailer) != announced {
			k = http.TrailerPrefix + k
		}
		wh[k] = append(wh[k], vv...)
	}
}

// flushEach: an answer of unknown length or an event stream is flushed
// as it comes, as ReverseProxy does.
func flushEach(res *http.Response) bool {
	if res.ContentLength == -1 {
		return true
	}
	// mime.ParseMediaType's answer for a well-formed type, without its
	// allocation: the type before any parameter, any case.
	ct, _, _ := strings.Cut(res.Header.Get("Content-Type"), ";")
	return strings.EqualFold(strings.TrimSpace(ct), "text/event-stream")
}

// copyBody copies the answer's body; a failure on either side cuts the
// client's connection without ending the answer (http.ErrAbortHandler),
// as ReverseProxy does, so a cut body is never passed off as whole.
func copyBody(w http.ResponseWriter, res *http.Response, flush bool) {
	buf := smallBufs.Get().(*smallBuf)
	defer smallBufs.Put(buf)
	for {
		n, rerr := res.Body.Read(buf[:])
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				res.Body.Close()
				panic(http.ErrAbortHandler)
			}
			if flush {
				http.NewResponseController(w).Flush()
			}
		}
		if rerr == io.EOF {
			return
		}
		if rerr != nil {
			res.Body.Close()
			panic(http.ErrAbortHandler)
		}
	}
}

// smallBuf is forward's copy buffer: 4 KiB, the size of the engine's
// write buffer, rather than ReverseProxy's 32 KiB: one is held per request
// in flight, and at 1 000 connections 32 KiB each was 32 MiB of RSS.
type smallBuf = [4 << 10]byte

var smallBufs = sync.Pool{New: func() any { return new(smallBuf) }}
