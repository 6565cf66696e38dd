package docker

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"
	"github.com/docker/docker/pkg/stdcopy"
	"github.com/docker/go-connections/nat"
)

// containerRequest is one container of a run, created through the run's
// own client of its Engine. (testcontainers-go v0.41 would pick the engine
// and Ryuk from the process environment, read once per process; the
// driver must use the engine it was given.)
type containerRequest struct {
	Name   string // the node's name, its network alias ("": none)
	Image  string
	Cmd    []string
	Env    map[string]string
	Labels map[string]string
	Ports  []string // "8080/tcp": published on the engine's PublishIP, on a free host port
	Files  []containerFile
	// Stdin keeps the container's stdin open for one attached client,
	// and closes it when that client goes (the load agent: labs/load/agent).
	Stdin bool
}

// containerFile is a file written into the container before it starts.
type containerFile struct {
	Path    string
	Content []byte
	Mode    int64
}

// createContainer creates the container of req on network netName
// (pulling its image when the engine lacks it, where a registry answers)
// and copies its files in. It returns the id of what was created even
// with an error, so Close removes it.
func createContainer(ctx context.Context, cli client.APIClient, e Engine, netName, containerName string, req containerRequest) (string, error) {
	cfg := &container.Config{Image: req.Image, Cmd: req.Cmd, Labels: req.Labels, ExposedPorts: nat.PortSet{}}
	for _, k := range slices.Sorted(maps.Keys(req.Env)) {
		cfg.Env = append(cfg.Env, k+"="+req.Env[k])
	}
	hc := &container.HostConfig{NetworkMode: container.NetworkMode(netName), PortBindings: nat.PortMap{}}
	for _, p := range req.Ports {
		cfg.ExposedPorts[nat.Port(p)] = struct{}{}
		hc.PortBindings[nat.Port(p)] = []nat.PortBinding{{HostIP: e.PublishIP()}}
	}
	if req.Stdin {
		cfg.OpenStdin, cfg.StdinOnce, cfg.AttachStdin, cfg.AttachStdout, cfg.AttachStderr = true, true, true, true, true
	}
	endpoint := &network.EndpointSettings{}
	if req.Name != "" {
		endpoint.Aliases = []string{req.Name}
	}
	nc := &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{netName: endpoint}}
	resp, err := cli.ContainerCreate(ctx, cfg, hc, nc, nil, containerName)
	if errdefs.IsNotFound(err) && !strings.HasPrefix(req.Image, "sha256:") {
		if perr := pull(ctx, cli, req.Image); perr != nil {
			return "", fmt.Errorf("%w (pull: %v)", err, perr)
		}
		resp, err = cli.ContainerCreate(ctx, cfg, hc, nc, nil, containerName)
	}
	if err != nil {
		return resp.ID, err
	}
	if len(req.Files) > 0 {
		archive, err := tarOf(req.Files)
		if err != nil {
			return resp.ID, err
		}
		if err := cli.CopyToContainer(ctx, resp.ID, "/", archive, container.CopyToContainerOptions{}); err != nil {
			return resp.ID, fmt.Errorf("copy files: %w", err)
		}
	}
	return resp.ID, nil
}

func pull(ctx context.Context, cli client.APIClient, ref string) error {
	rc, err := cli.ImagePull(ctx, ref, image.PullOptions{})
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// tarOf is an archive of files, paths relative to the root (the engine
// creates missing parent directories).
func tarOf(files []containerFile) (io.Reader, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		mode := f.Mode
		if mode == 0 {
			mode = 0o644
		}
		hdr := &tar.Header{Name: strings.TrimPrefix(f.Path, "/"), Mode: mode, Size: int64(len(f.Content)), Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, fmt.Errorf("archive %s: %w", f.Path, err)
		}
		if _, err := tw.Write(f.Content); err != nil {
			return nil, fmt.Errorf("archive %s: %w", f.Path, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	return &buf, nil
}

// publishedPort is the host port the engine published container port p
// on ("8080/tcp"); they change on every start.
func publishedPort(ctx context.Context, cli client.APIClient, id, p string) (string, error) {
	info, err := cli.ContainerInspect(ctx, id)
	if err != nil {
		return "", fmt.Errorf("inspect: %w", err)
	}
	if info.NetworkSettings != nil {
		for _, b := range info.NetworkSettings.Ports[nat.Port(p)] {
			if b.HostPort != "" {
				return b.HostPort, nil
			}
		}
	}
	return "", fmt.Errorf("port %s is not published", p)
}

// lastLogLines are the container's last n log lines (stdout and stderr).
func lastLogLines(ctx context.Context, cli client.APIClient, id string, n int) string {
	rc, err := cli.ContainerLogs(ctx, id, container.LogsOptions{ShowStdout: true, ShowStderr: true, Tail: fmt.Sprint(n)})
	if err != nil {
		return ""
	}
	defer rc.Close()
	var out bytes.Buffer
	w := &limitWriter{w: &out, n: 1 << 20}
	_, _ = stdcopy.StdCopy(w, w, rc)
	return out.String()
}

type limitWriter struct {
	w io.Writer
	n int
}

// Write keeps the first n bytes and swallows the rest.
func (l *limitWriter) Write(p []byte) (int, error) {
	keep := p[:min(len(p), l.n)]
	l.n -= len(keep)
	if _, err := l.w.Write(keep); err != nil {
		return 0, err
	}
	return len(p), nil
}
