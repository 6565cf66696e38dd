package proxy

import (
	"io"
	"sync"
)

// wrapBody calls onClose once when the response body is closed, keeping
// the io.Writer of a 101 Switching Protocols body so that ReverseProxy can
// still use it as the upgraded connection.
func wrapBody(b io.ReadCloser, onClose func()) io.ReadCloser {
	c := &closeHook{ReadCloser: b, onClose: onClose}
	if rw, ok := b.(io.ReadWriteCloser); ok {
		return &rwCloseHook{closeHook: c, w: rw}
	}
	return c
}

type closeHook struct {
	io.ReadCloser
	once    sync.Once
	onClose func()
}

func (c *closeHook) Close() error {
	err := c.ReadCloser.Close()
	c.once.Do(c.onClose)
	return err
}

type rwCloseHook struct {
	*closeHook
	w io.Writer
}

func (c *rwCloseHook) Write(p []byte) (int, error) { return c.w.Write(p) }
