package docker

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Settings are what ResolveEngine reads, named as the docker CLI names
// them. cmd/lab and tests fill them from the process environment
// (SettingsFrom(os.Getenv)) and flags; the driver itself reads nothing.
type Settings struct {
	DockerHost      string // DOCKER_HOST
	DockerContext   string // DOCKER_CONTEXT
	DockerConfig    string // DOCKER_CONFIG: the CLI's config dir; default Home/.docker
	DockerTLS       bool   // DOCKER_TLS set: TLS without verifying the server
	DockerTLSVerify bool   // DOCKER_TLS_VERIFY set: TLS, the server verified
	DockerCertPath  string // DOCKER_CERT_PATH: ca.pem, cert.pem, key.pem; default the config dir
	Home            string // HOME
	// HostIP is where published ports answer: the -docker-host-ip flag,
	// else TC_HOST (testcontainers' name), else TESTCONTAINERS_HOST_OVERRIDE.
	HostIP, HostIPSource string
}

// SettingsFrom reads Settings through getenv (os.Getenv in cmd and tests).
func SettingsFrom(getenv func(string) string) Settings {
	s := Settings{
		DockerHost: getenv("DOCKER_HOST"), DockerContext: getenv("DOCKER_CONTEXT"), DockerConfig: getenv("DOCKER_CONFIG"),
		DockerTLS: getenv("DOCKER_TLS") != "", DockerTLSVerify: getenv("DOCKER_TLS_VERIFY") != "",
		DockerCertPath: getenv("DOCKER_CERT_PATH"), Home: getenv("HOME"),
	}
	for _, name := range []string{"TC_HOST", "TESTCONTAINERS_HOST_OVERRIDE"} {
		if v := getenv(name); v != "" {
			s.HostIP, s.HostIPSource = v, name
			break
		}
	}
	return s
}

// ErrEngineSettings is wrapped when the settings name no usable engine.
var ErrEngineSettings = errors.New("docker engine settings")

// ResolveEngine picks the engine the docker CLI would (its
// resolveContextName and default endpoint):
//
//	DOCKER_HOST set            ─▶ that host; TLS from DOCKER_TLS_VERIFY / DOCKER_TLS + DOCKER_CERT_PATH
//	else DOCKER_CONTEXT set    ─▶ that context
//	else config.json's currentContext ─▶ that context
//	else                       ─▶ DefaultHost
//
// A context other than "default" is read from the CLI's store:
// contexts/meta/<sha256 of name>/meta.json (Endpoints.docker.Host,
// SkipTLSVerify) and contexts/tls/<sha256 of name>/docker/*.pem.
func ResolveEngine(s Settings) (Engine, error) {
	configDir := s.DockerConfig
	if configDir == "" {
		configDir = filepath.Join(s.Home, ".docker")
	}
	e := Engine{HostIP: s.HostIP, HostIPSource: s.HostIPSource}
	name, from := "", ""
	switch {
	case s.DockerHost != "":
		e.Host, e.Source = s.DockerHost, "DOCKER_HOST"
	case s.DockerContext != "":
		name, from = s.DockerContext, "DOCKER_CONTEXT"
	default:
		current, err := currentContext(filepath.Join(configDir, "config.json"))
		if err != nil {
			return Engine{}, err
		}
		name, from = current, filepath.Join(configDir, "config.json")
	}
	if name != "" && name != "default" {
		if err := readContext(&e, configDir, name); err != nil {
			return Engine{}, fmt.Errorf("%w: context %q (from %s): %w", ErrEngineSettings, name, from, err)
		}
		e.Source = fmt.Sprintf("context %s (%s)", name, from)
		return e, checkHost(e)
	}
	if e.Host == "" {
		e.Host, e.Source = DefaultHost, "default"
	}
	if s.DockerTLS || s.DockerTLSVerify {
		certs := s.DockerCertPath
		if certs == "" {
			certs = configDir
		}
		e.TLS = &TLS{CAFile: filepath.Join(certs, "ca.pem"), CertFile: filepath.Join(certs, "cert.pem"),
			KeyFile: filepath.Join(certs, "key.pem"), SkipVerify: !s.DockerTLSVerify}
		// As the CLI: a client certificate that is not there is not sent;
		// an unverified server needs no CA.
		e.TLS.CertFile, e.TLS.KeyFile = ifExists(e.TLS.CertFile), ifExists(e.TLS.KeyFile)
		if e.TLS.SkipVerify {
			e.TLS.CAFile = ifExists(e.TLS.CAFile)
		}
	}
	return e, checkHost(e)
}

// checkHost refuses a host the engine cannot be reached at, with the
// setting that named it.
func checkHost(e Engine) error {
	scheme, rest, ok := strings.Cut(e.Host, "://")
	switch {
	case !ok || rest == "":
		return fmt.Errorf("%w: %s: must be unix:///PATH, tcp://HOST:PORT or ssh://[USER@]HOST (got %q)", ErrEngineSettings, e.Source, e.Host)
	case scheme != "unix" && scheme != "tcp" && scheme != "ssh" && scheme != "npipe" && scheme != "http" && scheme != "https":
		return fmt.Errorf("%w: %s: scheme %q: must be unix, tcp or ssh (got %q)", ErrEngineSettings, e.Source, scheme, e.Host)
	}
	return nil
}

func ifExists(path string) string {
	if _, err := os.Stat(path); err != nil {
		return ""
	}
	return path
}

// currentContext is config.json's currentContext; "" without the file.
func currentContext(path string) (string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrEngineSettings, err)
	}
	var cfg struct {
		CurrentContext string `json:"currentContext"`
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		return "", fmt.Errorf("%w: %s: %w", ErrEngineSettings, path, err)
	}
	return cfg.CurrentContext, nil
}

// readContext fills e from the docker endpoint of context name.
func readContext(e *Engine, configDir, name string) error {
	sum := sha256.Sum256([]byte(name))
	id := hex.EncodeToString(sum[:])
	metaPath := filepath.Join(configDir, "contexts", "meta", id, "meta.json")
	b, err := os.ReadFile(metaPath)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no such context (no %s; `docker context ls` lists them)", metaPath)
	}
	if err != nil {
		return err
	}
	var meta struct {
		Name      string `json:"Name"`
		Endpoints map[string]struct {
			Host          string `json:"Host"`
			SkipTLSVerify bool   `json:"SkipTLSVerify"`
		} `json:"Endpoints"`
	}
	if err := json.Unmarshal(b, &meta); err != nil {
		return fmt.Errorf("%s: %w", metaPath, err)
	}
	ep, ok := meta.Endpoints["docker"]
	if !ok || ep.Host == "" {
		return fmt.Errorf("%s: no docker endpoint host", metaPath)
	}
	e.Host = ep.Host
	tlsDir := filepath.Join(configDir, "contexts", "tls", id, "docker")
	t := &TLS{CAFile: ifExists(filepath.Join(tlsDir, "ca.pem")), CertFile: ifExists(filepath.Join(tlsDir, "cert.pem")),
		KeyFile: ifExists(filepath.Join(tlsDir, "key.pem")), SkipVerify: ep.SkipTLSVerify}
	if t.CAFile != "" || t.CertFile != "" || t.SkipVerify {
		e.TLS = t
	}
	return nil
}
