package proxy

import (
	"errors"
	"io"
	"sync"
)

// bodyCloser is told, once, that a response body was closed, with the
// first read error other than EOF (a member that cut its answer short).
type bodyCloser interface{ bodyClosed(readErr error) }

// wrapBody makes c call onClose.bodyClosed once when the response body b
// is closed, and returns c as the body. c is the caller's, so it can live
// in one allocation with what onClose needs. The io.Writer of a 101
// Switching Protocols body is kept so ReverseProxy can still use it as the
// upgraded connection. onClose is an interface, not a func, so the
// request path allocates no closure for it.
func wrapBody(c *closeHook, b io.ReadCloser, onClose bodyCloser) io.ReadCloser {
	c.ReadCloser, c.onClose = b, onClose
	if rw, ok := b.(io.ReadWriteCloser); ok {
		return &rwCloseHook{closeHook: c, w: rw}
	}
	return c
}

type closeHook struct {
	io.ReadCloser
	once    sync.Once
	onClose bodyCloser
	mu      sync.Mutex // an upgraded connection reads on another goroutine
	readErr error
}

func (c *closeHook) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		c.mu.Lock()
		if c.readErr == nil {
			c.readErr = err
		}
		c.mu.Unlock()
	}
	return n, err
}

func (c *closeHook) Close() error {
	err := c.ReadCloser.Close()
	c.once.Do(func() {
		c.mu.Lock()
		readErr := c.readErr
		c.mu.Unlock()
		c.onClose.bodyClosed(readErr)
	})
	return err
}

type rwCloseHook struct {
	*closeHook
	w io.Writer
}

func (c *rwCloseHook) Write(p []byte) (int, error) { return c.w.Write(p) }
