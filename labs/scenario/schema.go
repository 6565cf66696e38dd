package scenario

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/fixtures/app"
	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/config/strictyaml"
)

// SchemaFile is where the repository keeps the generated schema, relative
// to the module root; scenario files point editors at it.
const SchemaFile = "scenarios/scenario.schema.json"

// Schema returns the JSON Schema (draft-07) of a scenario file, generated
// from the Go types: yaml tags name the keys, doc tags describe them, enum
// tags list allowed values, and fields of this package without omitempty
// are required.
func Schema() map[string]any {
	s := schemaOf(reflect.TypeFor[Scenario]())
	s["$schema"] = "http://json-schema.org/draft-07/schema#"
	s["$id"] = "https://github.com/failover-lab/failover-lab/" + SchemaFile
	s["title"] = "failover-lab outage scenario"
	return s
}

// SchemaJSON is Schema as indented JSON with a final newline.
func SchemaJSON() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(Schema()) // maps of strings, bools and slices always encode
	return b.Bytes()
}

var (
	durationType = reflect.TypeFor[time.Duration]()
	sizeType     = reflect.TypeFor[config.Size]()
	rateType     = reflect.TypeFor[Rate]()
	boundType    = reflect.TypeFor[Bound]()
	nodesType    = reflect.TypeFor[Nodes]()
	faultType    = reflect.TypeFor[vocab.Fault]()
	appDuration  = reflect.TypeFor[app.Duration]()
	enumType     = reflect.TypeFor[interface{ Enum() []string }]()
)

// ownPkgs are the packages whose fields without omitempty are required:
// the format's and the vocabulary's (not proxy/config's nor the app's,
// whose zero values mean defaults).
var ownPkgs = []string{reflect.TypeFor[Scenario]().PkgPath(), reflect.TypeFor[vocab.Node]().PkgPath()}

const durationPattern = config.DurationPattern

func schemaOf(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case durationType, appDuration:
		return map[string]any{"type": "string", "pattern": durationPattern, "examples": []string{"100ms", "1.5s", "5s"}}
	case rateType:
		return map[string]any{"type": "string", "pattern": `^\s*[0-9]+\s*/\s*s\s*$`, "examples": []string{"50/s"}}
	case sizeType:
		return map[string]any{"type": []string{"string", "integer"}, "examples": []string{"64KiB"}}
	case boundType:
		obj := structSchema(t)
		return map[string]any{"oneOf": []any{map[string]any{"type": "integer", "minimum": 0}, obj}}
	case nodesType:
		return map[string]any{"type": "object", "minProperties": 1, "additionalProperties": structSchema(reflect.TypeFor[vocab.Node]())}
	case faultType:
		return faultSchema()
	}
	switch t.Kind() {
	case reflect.Struct:
		return structSchema(t)
	case reflect.Slice:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem())}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int32, reflect.Int64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	}
	return map[string]any{}
}

// faultSchema is a fault: its node and one family, whose mapping is one of
// the family's registered kinds, each with its own settings (labs/faults).
func faultSchema() map[string]any {
	s := structSchema(faultType)
	props := s["properties"].(map[string]any)
	var one []any
	for _, def := range faults.Families {
		var kinds []any
		for _, k := range faults.Kinds() {
			if k.Family != def.Family {
				continue
			}
			ks := structSchema(k.SettingsType())
			if def.Key != "" {
				ks["properties"].(map[string]any)[def.Key] = map[string]any{"const": k.Name, "description": k.Doc}
				if k.Name != def.Default {
					ks["required"] = append([]string{def.Key}, anyStrings(ks["required"])...)
				}
			} else {
				ks["description"] = k.Doc
			}
			kinds = append(kinds, ks)
		}
		fs := map[string]any{"description": def.Doc, "oneOf": kinds}
		if len(kinds) == 1 {
			fs = kinds[0].(map[string]any)
			fs["description"] = def.Doc
		}
		props[string(def.Family)] = fs
		one = append(one, map[string]any{"required": []string{string(def.Family)}})
	}
	s["oneOf"] = one
	return s
}

func anyStrings(v any) []string {
	s, _ := v.([]string)
	return s
}

func structSchema(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	for name, f := range strictyaml.Fields(t, checkOptions.Hidden) {
		p := schemaOf(f.Type)
		if d := f.Tag.Get("doc"); d != "" {
			p["description"] = d
		}
		if f.Type.Implements(enumType) {
			p["enum"] = reflect.Zero(f.Type).Interface().(interface{ Enum() []string }).Enum()
		} else if e := f.Tag.Get("enum"); e != "" {
			p["enum"] = strings.Split(e, ",")
		}
		if ps, ok := config.PoolKeySchema(name); ok && t == reflect.TypeFor[vocab.ProxySpec]() {
			p = ps // pool settings: the proxy config's schema, with descriptions, defaults and enums
		}
		props[name] = p
		_, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if _, direct := t.FieldByName(f.Name); direct && slices.Contains(ownPkgs, t.PkgPath()) && !strings.Contains(opts, "omitempty") {
			required = append(required, name)
		}
	}
	s := map[string]any{"type": "object", "additionalProperties": false, "properties": props}
	if len(required) > 0 {
		sort.Strings(required)
		s["required"] = required
	}
	return s
}
