package proxy

import (
	"errors"
	"io"
	"sync"
)

// wrapBody calls onClose once when the response body is closed, with the
// first read error other than EOF (a member that cut its answer short). It
// keeps the io.Writer of a 101 Switching Protocols body so ReverseProxy can
// still use it as the upgraded connection.
func wrapBody(b io.ReadCloser, onClose func(readErr error)) io.ReadCloser {
	c := &closeHook{ReadCloser: b, onClose: onClose}
	if rw, ok := b.(io.ReadWriteCloser); ok {
		return &rwCloseHook{closeHook: c, w: rw}
	}
	return c
}

type closeHook struct {
	io.ReadCloser
	once    sync.Once
	onClose func(error)
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
		c.onClose(readErr)
	})
	return err
}

type rwCloseHook struct {
	*closeHook
	w io.Writer
}

func (c *rwCloseHook) Write(p []byte) (int, error) { return c.w.Write(p) }
