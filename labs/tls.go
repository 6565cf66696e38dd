package labs

import (
	"context"
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/failover-lab/failover-lab/fixtures/certs"
	"github.com/failover-lab/failover-lab/labs/faults"
)

// RunTLS is a run's certificates (fixtures/certs): a CA made for the run,
// which the proxy's pool and the load trust, and a leaf per HTTPS node and
// for the proxy's listener, as PEM files in the run's directory. Every
// leaf names 127.0.0.1 and localhost, where the lab reaches them.
type RunTLS struct {
	dir    string
	ca     *certs.CA
	CAFile string
}

// tlsHosts are the names in every leaf.
var tlsHosts = []string{"127.0.0.1", "localhost"}

// NewRunTLS makes the run's CA and writes it to dir/ca.crt (leaves are
// leaf-NAME.crt, so no node name can clash with it).
func NewRunTLS(dir string) (*RunTLS, error) {
	ca, err := certs.NewCA("failover-lab run CA")
	if err != nil {
		return nil, fmt.Errorf("run tls: %w", err)
	}
	file, err := ca.WriteFile(dir, "ca")
	if err != nil {
		return nil, fmt.Errorf("run tls: %w", err)
	}
	return &RunTLS{dir: dir, ca: ca, CAFile: file}, nil
}

// Issue writes dir/leaf-NAME.crt and .key, a good leaf for name and
// tlsHosts.
func (r *RunTLS) Issue(name string) (certFile, keyFile string, err error) {
	return r.write(name, "")
}

// ClientConfig trusts the run's CA only: for the load, the warm-up and
// the probes.
func (r *RunTLS) ClientConfig() *tls.Config {
	return &tls.Config{RootCAs: r.ca.Pool(), MinVersion: tls.VersionTLS12}
}

// Cert is the certificate node name serves, for the tls fault: a swap
// writes the files, then reload tells the node (the fixtures read them
// again and close their open connections on SIGHUP).
func (r *RunTLS) Cert(name string, reload func() error) faults.Cert {
	return nodeCert{r: r, name: name, reload: reload}
}

type nodeCert struct {
	r      *RunTLS
	name   string
	reload func() error
}

func (c nodeCert) Serve(_ context.Context, kind string) error {
	if _, _, err := c.r.write(c.name, kind); err != nil {
		return err
	}
	return c.reload()
}

// write issues a leaf of kind ("" good, or one of faults.CertKinds) for
// name and puts it in place with renames, so a node never reads a
// certificate with another's key for long (it keeps its last good pair
// meanwhile).
func (r *RunTLS) write(name, kind string) (certFile, keyFile string, err error) {
	ca, leaf := r.ca, certs.Leaf{Names: append([]string{name}, tlsHosts...)}
	switch kind {
	case "":
	case "expired":
		leaf.NotBefore, leaf.NotAfter = time.Now().Add(-2*time.Hour), time.Now().Add(-time.Hour)
	case "unknown-ca":
		if ca, err = certs.NewCA("a CA nobody trusts"); err != nil {
			return "", "", err
		}
	case "wrong-name":
		leaf.Names = []string{"wrong-name.invalid"}
	default:
		return "", "", fmt.Errorf("run tls: unknown certificate kind %q", kind)
	}
	pair, err := ca.Issue(leaf)
	if err != nil {
		return "", "", fmt.Errorf("run tls: %s: %w", name, err)
	}
	tmp, err := os.MkdirTemp(r.dir, "issue-")
	if err != nil {
		return "", "", fmt.Errorf("run tls: %w", err)
	}
	defer os.RemoveAll(tmp)
	newCert, newKey, err := pair.WriteFiles(tmp, "leaf-"+name)
	if err != nil {
		return "", "", fmt.Errorf("run tls: %s: %w", name, err)
	}
	certFile, keyFile = filepath.Join(r.dir, filepath.Base(newCert)), filepath.Join(r.dir, filepath.Base(newKey))
	for _, mv := range [][2]string{{newKey, keyFile}, {newCert, certFile}} {
		if err := os.Rename(mv[0], mv[1]); err != nil {
			return "", "", fmt.Errorf("run tls: %w", err)
		}
	}
	return certFile, keyFile, nil
}
