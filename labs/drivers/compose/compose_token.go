package compose

import (
	"archive/tar"
	"context"
	"fmt"
	"github.com/failover-lab/failover-lab/labs/drivers/docker"
	"path"
	"strings"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// adminToken reads the running proxy's admin token where failover-proxy
// itself takes it from: -admin-token, env FAILOVER_PROXY_ADMIN_TOKEN, or
// admin.token of its -config file (copied out of the container). "" when
// the proxy has none.
func (r *composeRun) adminToken(ctx context.Context) (string, error) {
	info, err := r.cli.ContainerInspect(ctx, r.ids[docker.NameProxy])
	if err != nil {
		return "", fmt.Errorf("admin token: %w", err)
	}
	if tok := flagValue(info.Args, "admin-token"); tok != "" {
		return tok, nil
	}
	if info.Config != nil {
		for _, kv := range info.Config.Env {
			if tok, ok := strings.CutPrefix(kv, "FAILOVER_PROXY_ADMIN_TOKEN="); ok && tok != "" {
				return tok, nil
			}
		}
	}
	file := flagValue(info.Args, "config")
	if file == "" {
		return "", nil
	}
	cfg, err := r.copyConfig(ctx, file)
	if err != nil {
		return "", fmt.Errorf("admin token: proxy config %s: %w", file, err)
	}
	return cfg.Admin.Token, nil
}

// copyConfig reads the proxy's config file out of its container (the
// archive API needs no shell: the images are FROM scratch).
func (r *composeRun) copyConfig(ctx context.Context, file string) (*config.Config, error) {
	rc, _, err := r.cli.CopyFromContainer(ctx, r.ids[docker.NameProxy], file)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err != nil {
			return nil, fmt.Errorf("read archive: %w", err)
		}
		if h.Typeflag == tar.TypeReg && path.Base(h.Name) == path.Base(file) {
			return config.Parse(tr, file)
		}
	}
}

// flagValue finds "-name V", "--name V", "-name=V" or "--name=V" in args.
func flagValue(args []string, name string) string {
	for i, a := range args {
		if !strings.HasPrefix(a, "-") {
			continue
		}
		a = strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
		if a == name && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}
