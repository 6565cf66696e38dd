package docker

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// writeContext stores a docker context as `docker context create NAME
// --docker host=HOST` does: meta.json under the sha256 of the name, TLS
// files beside it.
func writeContext(t *testing.T, configDir, name, host string, skipVerify bool, tlsFiles ...string) {
	t.Helper()
	sum := sha256.Sum256([]byte(name))
	id := hex.EncodeToString(sum[:])
	meta := filepath.Join(configDir, "contexts", "meta", id)
	if err := os.MkdirAll(meta, 0o755); err != nil {
		t.Fatal(err)
	}
	skip := "false"
	if skipVerify {
		skip = "true"
	}
	body := `{"Name":"` + name + `","Metadata":{"Description":"test"},"Endpoints":{"docker":{"Host":"` + host + `","SkipTLSVerify":` + skip + `}}}`
	if err := os.WriteFile(filepath.Join(meta, "meta.json"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	tlsDir := filepath.Join(configDir, "contexts", "tls", id, "docker")
	for _, f := range tlsFiles {
		if err := os.MkdirAll(tlsDir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tlsDir, f), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestResolveEngine(t *testing.T) {
	home := t.TempDir()
	cfg := filepath.Join(home, ".docker")
	writeContext(t, cfg, "ci", "tcp://10.9.8.7:2376", false, "ca.pem", "cert.pem", "key.pem")
	writeContext(t, cfg, "box", "ssh://deploy@box.example:2222", false)
	writeContext(t, cfg, "lax", "tcp://lax.example:2376", true)
	other := t.TempDir() // DOCKER_CONFIG elsewhere, current context "box"
	writeContext(t, other, "box", "ssh://me@other.example", false)
	writeFile(t, filepath.Join(other, "config.json"), `{"auths":{},"currentContext":"box"}`)
	certs := t.TempDir()
	for _, f := range []string{"ca.pem", "cert.pem", "key.pem"} {
		writeFile(t, filepath.Join(certs, f), "x")
	}
	ctxTLS := filepath.Join(cfg, "contexts", "tls", hexName("ci"), "docker")

	tests := []struct {
		name string
		s    Settings
		want Engine
		// reach and publish are ReachIP and PublishIP.
		reach, publish string
	}{
		{"nothing set: the default socket", Settings{Home: home}, Engine{Host: DefaultHost, Source: "default"}, "127.0.0.1", "127.0.0.1"},
		{"DOCKER_HOST tcp (GitLab's dind)", Settings{Home: home, DockerHost: "tcp://docker:2375"},
			Engine{Host: "tcp://docker:2375", Source: "DOCKER_HOST"}, "docker", ""},
		{"DOCKER_HOST tcp by IP: published on that IP", Settings{Home: home, DockerHost: "tcp://10.1.2.2:2375"},
			Engine{Host: "tcp://10.1.2.2:2375", Source: "DOCKER_HOST"}, "10.1.2.2", "10.1.2.2"},
		{"DOCKER_HOST beats DOCKER_CONTEXT, as in the CLI", Settings{Home: home, DockerHost: "unix:///run/user/1000/docker.sock", DockerContext: "ci"},
			Engine{Host: "unix:///run/user/1000/docker.sock", Source: "DOCKER_HOST"}, "127.0.0.1", "127.0.0.1"},
		{"DOCKER_CONTEXT with TLS files", Settings{Home: home, DockerContext: "ci"},
			Engine{Host: "tcp://10.9.8.7:2376", Source: "context ci (DOCKER_CONTEXT)",
				TLS: &TLS{CAFile: filepath.Join(ctxTLS, "ca.pem"), CertFile: filepath.Join(ctxTLS, "cert.pem"), KeyFile: filepath.Join(ctxTLS, "key.pem")}},
			"10.9.8.7", "10.9.8.7"},
		{"context with SkipTLSVerify", Settings{Home: home, DockerContext: "lax"},
			Engine{Host: "tcp://lax.example:2376", Source: "context lax (DOCKER_CONTEXT)", TLS: &TLS{SkipVerify: true}}, "lax.example", ""},
		{"DOCKER_CONTEXT=default is the default endpoint", Settings{Home: home, DockerContext: "default"},
			Engine{Host: DefaultHost, Source: "default"}, "127.0.0.1", "127.0.0.1"},
		{"current context of DOCKER_CONFIG's config.json, ssh", Settings{Home: home, DockerConfig: other},
			Engine{Host: "ssh://me@other.example", Source: "context box (" + filepath.Join(other, "config.json") + ")"}, "other.example", ""},
		{"DOCKER_TLS_VERIFY with DOCKER_CERT_PATH", Settings{Home: home, DockerHost: "tcp://10.1.2.2:2376", DockerTLSVerify: true, DockerCertPath: certs},
			Engine{Host: "tcp://10.1.2.2:2376", Source: "DOCKER_HOST",
				TLS: &TLS{CAFile: filepath.Join(certs, "ca.pem"), CertFile: filepath.Join(certs, "cert.pem"), KeyFile: filepath.Join(certs, "key.pem")}},
			"10.1.2.2", "10.1.2.2"},
		{"DOCKER_TLS alone: TLS, server unverified, absent files not sent", Settings{Home: home, DockerHost: "tcp://10.1.2.2:2376", DockerTLS: true},
			Engine{Host: "tcp://10.1.2.2:2376", Source: "DOCKER_HOST", TLS: &TLS{SkipVerify: true}}, "10.1.2.2", "10.1.2.2"},
		{"TC_HOST: ports reached elsewhere, published on every address", Settings{Home: home, DockerHost: "tcp://10.1.2.2:2375", HostIP: "192.0.2.10", HostIPSource: "TC_HOST"},
			Engine{Host: "tcp://10.1.2.2:2375", Source: "DOCKER_HOST", HostIP: "192.0.2.10", HostIPSource: "TC_HOST"}, "192.0.2.10", ""},
		{"a local socket reached through the gateway (docker-outside-of-docker)", Settings{Home: home, HostIP: "172.17.0.1", HostIPSource: "-docker-host-ip"},
			Engine{Host: DefaultHost, Source: "default", HostIP: "172.17.0.1", HostIPSource: "-docker-host-ip"}, "172.17.0.1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ResolveEngine(tt.s)
			if err != nil {
				t.Fatal(err)
			}
			if got.Host != tt.want.Host || got.Source != tt.want.Source || got.HostIP != tt.want.HostIP || got.HostIPSource != tt.want.HostIPSource {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if (got.TLS == nil) != (tt.want.TLS == nil) || (got.TLS != nil && *got.TLS != *tt.want.TLS) {
				t.Errorf("TLS: got %+v, want %+v", got.TLS, tt.want.TLS)
			}
			if r, p := got.ReachIP(), got.PublishIP(); r != tt.reach || p != tt.publish {
				t.Errorf("ReachIP, PublishIP: got %q, %q; want %q, %q", r, p, tt.reach, tt.publish)
			}
		})
	}
}

func hexName(name string) string {
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:])
}

func TestResolveEngineErrors(t *testing.T) {
	home := t.TempDir()
	writeFile(t, filepath.Join(home, ".docker", "config.json"), `{"currentContext": "gone"}`)
	bad := t.TempDir()
	writeFile(t, filepath.Join(bad, "config.json"), `{"currentContext": `)
	tests := []struct {
		name string
		s    Settings
		want []string
	}{
		{"a context that is not there", Settings{Home: home, DockerContext: "nope"}, []string{`context "nope" (from DOCKER_CONTEXT)`, "no such context"}},
		{"a current context that is not there", Settings{Home: home}, []string{`context "gone"`, "config.json", "docker context ls"}},
		{"a broken config.json", Settings{DockerConfig: bad}, []string{"config.json", "unexpected end"}},
		{"a host without scheme", Settings{Home: home, DockerHost: "10.1.2.2:2375"}, []string{"DOCKER_HOST", "tcp://HOST:PORT", `"10.1.2.2:2375"`}},
		{"an unknown scheme", Settings{Home: home, DockerHost: "ftp://x"}, []string{"DOCKER_HOST", `scheme "ftp"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ResolveEngine(tt.s)
			if !errors.Is(err, ErrEngineSettings) {
				t.Fatalf("got %v, want ErrEngineSettings", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got %q, want it to say %q", err, w)
				}
			}
		})
	}
}

func TestSettingsFrom(t *testing.T) {
	env := map[string]string{"DOCKER_HOST": "tcp://docker:2375", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": "/certs/client",
		"TC_HOST": "docker", "TESTCONTAINERS_HOST_OVERRIDE": "ignored", "HOME": "/root"}
	s := SettingsFrom(func(k string) string { return env[k] })
	want := Settings{DockerHost: "tcp://docker:2375", DockerTLSVerify: true, DockerCertPath: "/certs/client", Home: "/root", HostIP: "docker", HostIPSource: "TC_HOST"}
	if s != want {
		t.Errorf("got %+v, want %+v", s, want)
	}
	delete(env, "TC_HOST")
	if s := SettingsFrom(func(k string) string { return env[k] }); s.HostIP != "ignored" || s.HostIPSource != "TESTCONTAINERS_HOST_OVERRIDE" {
		t.Errorf("without TC_HOST: got %q from %q, want TESTCONTAINERS_HOST_OVERRIDE's", s.HostIP, s.HostIPSource)
	}
}

// The client speaks to the engine's Host, not to whatever the process
// environment names: a tcp:// engine here is a fake daemon on loopback.
func TestEngineClientUsesHost(t *testing.T) {
	t.Setenv("DOCKER_HOST", "tcp://127.0.0.1:1") // must be ignored
	var pings atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/_ping") {
			pings.Add(1)
			w.Header().Set("API-Version", "1.41")
			w.Write([]byte("OK"))
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	e := Engine{Host: "tcp://127.0.0.1:" + port, Source: "test"}
	if err := e.Available(context.Background()); err != nil {
		t.Fatalf("Available: %v", err)
	}
	if pings.Load() == 0 {
		t.Error("the fake engine got no ping: the client went elsewhere")
	}
	dead := Engine{Host: "tcp://127.0.0.1:1", Source: "DOCKER_HOST"}
	if err := dead.Available(context.Background()); err == nil || !strings.Contains(err.Error(), "tcp://127.0.0.1:1 (from DOCKER_HOST)") {
		t.Errorf("an engine that does not answer: got %v, want an error naming it and where it came from", err)
	}
}

func TestEngineUnreachableNamesWhatToSet(t *testing.T) {
	e := Engine{Host: "tcp://10.1.2.2:2375", Source: "DOCKER_HOST", HostIP: "127.0.0.1", HostIPSource: "-docker-host-ip"}
	err := e.unreachable("toxiproxy", "http://127.0.0.1:32768", context.DeadlineExceeded)
	for _, w := range []string{"http://127.0.0.1:32768", "tcp://10.1.2.2:2375 (from DOCKER_HOST)", "-docker-host-ip", "TC_HOST"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("got %q, want it to say %q", err, w)
		}
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want it to wrap the cause", err)
	}
}

// An ssh:// engine is spoken to as the docker CLI does: `ssh -l USER -p PORT
// -- HOST docker system dial-stdio`. A stand-in ssh on PATH records
// its arguments and relays to this machine's engine with the docker CLI.
func TestEngineOverSSH(t *testing.T) {
	docker, err := exec.LookPath("docker")
	if err != nil {
		t.Skip("needs the docker CLI for its dial-stdio")
	}
	if err := (Engine{}).Available(context.Background()); err != nil {
		t.Skipf("needs a local engine: %v", err)
	}
	dir := t.TempDir()
	argsFile := filepath.Join(dir, "args")
	script := "#!/bin/sh\necho \"$@\" > " + argsFile + "\nexec " + docker + " -H " + DefaultHost + " system dial-stdio\n"
	if err := os.WriteFile(filepath.Join(dir, "ssh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	e := Engine{Host: "ssh://deploy@build-box:2222", Source: "DOCKER_HOST"}
	if err := e.Available(context.Background()); err != nil {
		t.Fatalf("Available over ssh: %v", err)
	}
	args, _ := os.ReadFile(argsFile)
	for _, want := range []string{"-l deploy", "-p 2222", "-- build-box docker system dial-stdio"} {
		if !strings.Contains(string(args), want) {
			t.Errorf("ssh ran with %q, want %q in it", args, want)
		}
	}
	if e.ReachIP() != "build-box" || e.PublishIP() != "" {
		t.Errorf("ports: reached at %q, published on %q; want build-box, every address", e.ReachIP(), e.PublishIP())
	}
}

// An engine is this machine's when it is reached by a socket or at a
// loopback address: only then does a run send its load from here by
// default.
func TestEngineLocal(t *testing.T) {
	for _, tt := range []struct {
		host  string
		local bool
	}{
		{"", true},
		{"unix:///var/run/docker.sock", true},
		{"tcp://127.0.0.1:2375", true},
		{"tcp://localhost:2375", true},
		{"ssh://user@127.0.0.1", true},
		{"tcp://10.1.2.2:2375", false},
		{"tcp://docker:2375", false},
		{"ssh://ci@build-host", false},
	} {
		e := Engine{Host: tt.host}
		if got := e.Local(); got != tt.local {
			t.Errorf("%q: Local() = %v, want %v", tt.host, got, tt.local)
		}
		d := &Driver{Engine: e}
		if got := d.inNetwork(); got != !tt.local {
			t.Errorf("%q: load in the network by default = %v, want %v", tt.host, got, !tt.local)
		}
		for _, place := range []LoadPlace{LoadHere, LoadInNetwork} {
			d.Load = place
			if got := d.inNetwork(); got != (place == LoadInNetwork) {
				t.Errorf("%q, Load %v: in the network = %v", tt.host, place, got)
			}
		}
	}
}
