package vocab

import (
	"reflect"
	"slices"
	"strings"

	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/proxy/config/strictyaml"
)

// FaultsTable is the docs' listing of the fault kinds (docs/scenarios.md),
// a Markdown table made from the registry: per family, each kind with its
// own settings and doc, then the settings every kind of the family has.
func FaultsTable() string {
	var b strings.Builder
	b.WriteString("| fault | kinds and their settings |\n|---|---|\n")
	for _, def := range faults.Families {
		var kinds []faults.Kind
		for _, k := range faults.Kinds() {
			if k.Family == def.Family {
				kinds = append(kinds, k)
			}
		}
		common := commonKeys(kinds)
		written := "`" + string(def.Family) + ": {...}`"
		if def.Key != "" {
			written = "`" + string(def.Family) + ": {" + def.Key + ", ...}`"
		}
		var parts []string
		for _, k := range kinds {
			var own []string
			for _, key := range settingKeys(k.SettingsType()) {
				if !slices.Contains(common, key) {
					own = append(own, key)
				}
			}
			part := "`" + k.Name + "`"
			switch {
			case def.Key == "": // the family's one kind: its settings are the mapping
				part = strings.Join(keysWithValues(k.SettingsType(), own), ", ")
			case len(own) > 0:
				part += " (" + strings.Join(keysWithValues(k.SettingsType(), own), ", ") + ")"
			}
			if k.Name == def.Default && def.Key != "" {
				part += ", the default"
			}
			parts = append(parts, part+": "+k.Doc)
		}
		if len(common) > 0 {
			parts = append(parts, "every kind: `"+strings.Join(common, "`, `")+"`")
		}
		b.WriteString("| " + written + " | " + def.Doc + "<br>" + strings.Join(parts, "<br>") + " |\n")
	}
	return b.String()
}

// commonKeys are the settings every kind of a family of several has, in
// the first kind's order.
func commonKeys(kinds []faults.Kind) []string {
	if len(kinds) < 2 {
		return nil
	}
	var out []string
	for _, key := range settingKeys(kinds[0].SettingsType()) {
		if !slices.ContainsFunc(kinds, func(k faults.Kind) bool { return !slices.Contains(settingKeys(k.SettingsType()), key) }) {
			out = append(out, key)
		}
	}
	return out
}

// keysWithValues writes each key in backquotes, with its values when its
// type lists them (an Enum method): "`when`: before | mid".
func keysWithValues(t reflect.Type, keys []string) []string {
	fields := strictyaml.Fields(t, nil)
	out := make([]string, len(keys))
	for i, key := range keys {
		out[i] = "`" + key + "`"
		if e, ok := reflect.Zero(fields[key].Type).Interface().(interface{ Enum() []string }); ok {
			out[i] += ": " + strings.Join(e.Enum(), " \\| ")
		}
	}
	return out
}

// settingKeys are the YAML keys of a settings struct, in field order,
// inline fields flattened in place.
func settingKeys(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		switch {
		case !f.IsExported() || name == "-":
		case strings.Contains(opts, "inline"):
			out = append(out, settingKeys(f.Type)...)
		default:
			out = append(out, name)
		}
	}
	return out
}
