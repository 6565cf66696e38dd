package products

import (
	"fmt"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// Credential is the user a proxy kind runs as when the lab runs as root, and
// hands it the run directory (pid file, logs, runtime files). Apache
// refuses to serve as root and switches to its User itself — but a process
// that changes its credentials loses its Pdeathsig, and would outlive a
// lab killed with SIGKILL. Started as that user from the first instruction,
// it keeps it. nil: run as the lab (not root, or a kind without a user).
func (k Product) Credential(dir string) (*syscall.Credential, error) {
	if k.User == "" || os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup(k.User)
	if err != nil {
		return nil, fmt.Errorf("proxy %s: user: %w", k.Binary, err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("proxy %s: user %s: uid %q gid %q", k.Binary, k.User, u.Uid, u.Gid)
	}
	if err := os.Chown(dir, int(uid), int(gid)); err != nil {
		return nil, fmt.Errorf("proxy %s: run directory: %w", k.Binary, err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}
