package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/failover-lab/failover-lab/labs/scenario"
)

func init() {
	verbs["init"] = verb{run: runInit, usage: "init [DIR]  write a starter scenario (" + starterFile + ") and the schema editors check it with (" + schemaFile + ") into DIR (default the working directory); never overwrites"}
}

// starter is the scenario lab init writes: the seed's story on the
// fixtures, short enough to run in half a minute on either driver.
//
//go:embed testdata/starter.yaml
var starter []byte

const (
	starterFile = "first-failover.yaml"
	schemaFile  = "scenario.schema.json" // the starter's yaml-language-server hint names it
)

func runInit(_ context.Context, args []string) error {
	fs := newFlags("init", os.Stderr)
	if err := fs.parse(args); err != nil {
		return err
	}
	dir := "."
	switch fs.NArg() {
	case 0:
	case 1:
		dir = fs.Arg(0)
	default:
		return fmt.Errorf("%w: one directory at most (got %q)", errUsage, fs.Args())
	}
	return initDir(dir, os.Stdout)
}

// initDir writes the starter and the schema into dir (made if missing).
// A file already there is an error and nothing is written.
func initDir(dir string, out io.Writer) error {
	files := []struct {
		name string
		data []byte
	}{{starterFile, starter}, {schemaFile, scenario.SchemaJSON()}}
	for _, f := range files {
		if _, err := os.Lstat(filepath.Join(dir, f.name)); err == nil {
			return invalidError{fmt.Errorf("%s: already exists: lab init never overwrites (remove it, or init another directory)", filepath.Join(dir, f.name))}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		_, err = file.Write(f.data)
		if cerr := file.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "wrote %s\n", path)
	}
	fmt.Fprintf(out, "\nrun it:   lab run %s\n", filepath.Join(dir, starterFile))
	return nil
}
