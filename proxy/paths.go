package proxy

import (
	"errors"
	"net/url"
	"strings"
)

// errBadPath is a request path the proxy will not forward: a 400.
var errBadPath = errors.New("bad request path")

// cleanPath is the request path routes match and members receive: dot
// segments removed (RFC 3986 §5.2.4, also when written %2E), runs of "/"
// merged, a trailing "/" kept, and the request's own percent-encoding kept
// ("a%2Fb" stays one segment). ".." never climbs above "/". A segment that
// hides a dot segment behind an encoded slash or a backslash ("..%2F",
// "..\") is refused: a member that decodes it would climb where the proxy
// did not look. raw is "" when the default encoding of path is right.
func cleanPath(u *url.URL) (path, raw string, err error) {
	esc := u.EscapedPath()
	if !strings.HasPrefix(esc, "/") {
		return "", "", errBadPath
	}
	if isClean(esc) {
		return u.Path, u.RawPath, nil
	}
	segs := strings.Split(esc[1:], "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		dec, err := url.PathUnescape(s)
		if err != nil {
			return "", "", errBadPath
		}
		switch {
		case dec == "." || dec == "..":
			if dec == ".." && len(out) > 0 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
			continue
		case s == "" && !last:
			continue
		case hidesDotSegment(dec):
			return "", "", errBadPath
		}
		out = append(out, s)
	}
	raw = "/" + strings.Join(out, "/")
	if path, err = url.PathUnescape(raw); err != nil {
		return "", "", errBadPath
	}
	if (&url.URL{Path: path}).EscapedPath() == raw {
		raw = ""
	}
	return path, raw, nil
}

// isClean is the fast path: nothing to decode, merge or remove.
func isClean(esc string) bool {
	return !strings.Contains(esc, "%") && !strings.Contains(esc, "//") && !strings.Contains(esc, "/.") &&
		!strings.Contains(esc, `\`)
}

// hidesDotSegment reports whether a decoded segment holds "." or ".." once
// split at "/" or "\".
func hidesDotSegment(dec string) bool {
	if !strings.ContainsAny(dec, `/\`) {
		return false
	}
	for _, part := range strings.FieldsFunc(dec, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == "." || part == ".." {
			return true
		}
	}
	return false
}

// joinPath puts the member's base path ("/app/") in front of the request's
// cleaned path, keeping both encodings: the result never climbs above the
// base. A path cleanPath refuses (the handler answers those with 400
// before any member is chosen) maps to the base itself.
func joinPath(base, req *url.URL) (path, raw string) {
	p, r, err := cleanPath(req)
	if err != nil {
		p, r = "/", ""
	}
	b := strings.TrimSuffix(base.Path, "/")
	if b == "" {
		return p, r
	}
	if r == "" && base.RawPath == "" {
		return b + p, ""
	}
	if r == "" {
		r = (&url.URL{Path: p}).EscapedPath()
	}
	return b + p, strings.TrimSuffix(base.EscapedPath(), "/") + r
}
