package config

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Size is a byte count written as a plain number or with a unit:
// "64KiB", "1MiB", "512B", "10kB".
type Size int64

// Binary and decimal size units.
const (
	B   Size = 1
	KiB Size = 1 << 10
	MiB Size = 1 << 20
	GiB Size = 1 << 30
)

var sizeUnits = []struct {
	suffix string
	mult   Size
}{ // longest suffixes first so "KiB" is not read as "B"
	{"KiB", KiB}, {"MiB", MiB}, {"GiB", GiB},
	{"kB", 1000}, {"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000},
	{"B", B},
}

// ParseSize reads "64KiB", "1MiB", "65536" or "10kB".
func ParseSize(in string) (Size, error) {
	s := strings.TrimSpace(in)
	mult := B
	for _, u := range sizeUnits {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, errors.New(`want a size like "64KiB" or a byte count`)
	}
	if n > math.MaxInt64/int64(mult) {
		return 0, fmt.Errorf("size %q is too large", in)
	}
	return Size(n) * mult, nil
}

// String writes the largest binary unit that divides the size exactly.
func (s Size) String() string {
	for _, u := range []struct {
		suffix string
		mult   Size
	}{{"GiB", GiB}, {"MiB", MiB}, {"KiB", KiB}} {
		if s != 0 && s%u.mult == 0 {
			return fmt.Sprintf("%d%s", s/u.mult, u.suffix)
		}
	}
	return fmt.Sprintf("%dB", int64(s))
}

// MarshalYAML writes the size as a string such as "64KiB".
func (s Size) MarshalYAML() (any, error) { return s.String(), nil }

// UnmarshalYAML reads a size with or without a unit.
func (s *Size) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return errors.New(`want a size like "64KiB"`)
	}
	v, err := ParseSize(n.Value)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Tier orders members: lower tiers serve first.
type Tier int

// Named tiers.
const (
	Primary Tier = 0
	Standby Tier = 1
)

// String names tier 0 and 1, numbers the rest.
func (t Tier) String() string {
	switch t {
	case Primary:
		return "primary"
	case Standby:
		return "standby"
	}
	return strconv.Itoa(int(t))
}

// MarshalYAML writes "primary", "standby" or the number.
func (t Tier) MarshalYAML() (any, error) {
	if t == Primary || t == Standby {
		return t.String(), nil
	}
	return int(t), nil
}

// UnmarshalYAML reads "primary", "standby" or a number ≥ 0.
func (t *Tier) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseTier(n.Value)
	if err != nil || n.Kind != yaml.ScalarNode {
		return errors.New(`want "primary", "standby" or a number ≥ 0`)
	}
	*t = v
	return nil
}

// ParseTier reads "primary", "standby" or a number ≥ 0.
func ParseTier(s string) (Tier, error) {
	switch s {
	case "primary", "":
		return Primary, nil
	case "standby":
		return Standby, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("tier %q: want primary, standby or a number ≥ 0", s)
	}
	return Tier(n), nil
}
