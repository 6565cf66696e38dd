package scenario

import (
	"bytes"
	"fmt"
	"io"
	"reflect"

	"github.com/failover-lab/failover-lab/proxy/config/strictyaml"
)

// decode reads one YAML file of the lab (a scenario, a proxy file) into v
// in the order every such file is judged: YAML syntax, then its keys
// against T (an unknown key is an error at its place), then the values.
// what prefixes a read error ("scenario", "proxy file"). The positions
// let the caller's validation name the line of each field.
func decode[T any](what, file string, r io.Reader, v *T) (strictyaml.Positions, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: read %s: %w", what, file, err)
	}
	root, errs := strictyaml.Parse(data)
	if errs != nil {
		return nil, errs.Err(file)
	}
	if root == nil || len(bytes.TrimSpace(data)) == 0 {
		errs.Add(Pos{}, "", ErrRequired, "empty file")
		return nil, errs.Err(file)
	}
	pos, errs := strictyaml.Check(root, reflect.TypeFor[T](), checkOptions)
	if errs != nil {
		return nil, errs.Err(file)
	}
	if err := root.Decode(v); err != nil {
		errs.Add(strictyaml.PosOf(root), "", ErrInvalid, "%v", err)
		return nil, errs.Err(file)
	}
	return pos, nil
}
