// Package carrier finds the lab binary a run's programs come from (the
// carrier: labs/multicall's table, `lab serve NAME ...`) for the platform
// they run on:
//
//	Find(ctx, path, platform)
//	  path set and built for platform  ─▶ path        (the `lab` CLI: its own os.Executable())
//	  else                             ─▶ Build: go build labs/cmd/lab, CGO_ENABLED=0, GOOS/GOARCH of the
//	                                      platform, in the current module (go test, the Go API, an engine of
//	                                      another OS or architecture), cached and memoized;
//	                                      no Go toolchain ─▶ an error that says what to run
//
// The process driver asks for the host's platform, the docker driver for
// its engine's. This package links no Docker client.
package carrier

import (
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
)

// Package is the lab's main package, the carrier that Build builds.
const Package = "github.com/failover-lab/failover-lab/labs/cmd/lab"

// Platform is an OS and architecture as GOOS and GOARCH spell them.
type Platform struct{ OS, Arch string }

func (p Platform) String() string { return p.OS + "/" + p.Arch }

// Host is the platform this process runs on.
func Host() Platform { return Platform{runtime.GOOS, runtime.GOARCH} }

// ErrNotELF is wrapped by PlatformOf for a file that is no ELF binary (a
// Mach-O lab on a Mac): it cannot run in a Linux container.
var ErrNotELF = errors.New("not an ELF binary")

// PlatformOf reads the platform an ELF binary runs on from its header.
func PlatformOf(path string) (Platform, error) {
	raw, err := os.Open(path)
	if err != nil {
		return Platform{}, err
	}
	defer raw.Close()
	magic := make([]byte, len(elf.ELFMAG))
	if _, err := io.ReadFull(raw, magic); err != nil || string(magic) != elf.ELFMAG {
		return Platform{}, fmt.Errorf("%s: %w", path, ErrNotELF)
	}
	f, err := elf.NewFile(raw)
	if err != nil {
		return Platform{}, fmt.Errorf("%s: %w", path, err)
	}
	goos := "linux"
	switch f.OSABI {
	case elf.ELFOSABI_NONE, elf.ELFOSABI_LINUX:
	case elf.ELFOSABI_FREEBSD:
		goos = "freebsd"
	default:
		goos = f.OSABI.String()
	}
	arch, ok := elfArch[f.Machine]
	if !ok {
		return Platform{goos, f.Machine.String()}, nil
	}
	if f.Machine == elf.EM_PPC64 && f.ByteOrder.String() == "LittleEndian" {
		arch = "ppc64le"
	}
	return Platform{goos, arch}, nil
}

// elfArch maps ELF machines to GOARCH.
var elfArch = map[elf.Machine]string{
	elf.EM_X86_64: "amd64", elf.EM_AARCH64: "arm64", elf.EM_386: "386", elf.EM_ARM: "arm",
	elf.EM_PPC64: "ppc64", elf.EM_S390: "s390x", elf.EM_RISCV: "riscv64", elf.EM_MIPS: "mips",
}
