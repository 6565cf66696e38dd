package upstream

import "syscall"

// peekIdle returns the check quiet runs on cn's socket: one non-blocking
// MSG_PEEK of a byte, which the kernel answers from the socket's queue
// without a wait. It is made once per connection (nil when the dialled
// conn is not a socket), so checking allocates nothing.
func peekIdle(cn *conn) func(fd uintptr) {
	sc, ok := cn.Conn.(syscall.Conn)
	if !ok {
		return nil
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	cn.raw = raw
	var b [1]byte
	return func(fd uintptr) {
		// EAGAIN: nothing queued, not closed. Anything else is bytes
		// nobody asked for, the member's close (0 bytes) or a reset.
		_, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		cn.quietNow = err == syscall.EAGAIN
	}
}
