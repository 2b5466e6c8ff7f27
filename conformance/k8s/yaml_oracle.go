package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	goyaml "go.yaml.in/yaml/v2"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"kmm-render.io/conformance/harness"
)

// What kubectl makes of a file: it splits the stream with apimachinery's YAMLReader and
// converts each document with sigs.k8s.io/yaml's YAMLToJSON (go-yaml v2). The strict
// conversion (duplicate keys refused) is kept beside it: Kubernetes' strict decoding uses it.
type kubectlRead struct {
	Documents []any
	Err       error
	StrictErr error
	HasMerge  bool
}

func readAsKubectl(text string) kubectlRead {
	var out kubectlRead
	reader := utilyaml.NewYAMLReader(bufio.NewReader(strings.NewReader(text)))
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			out.Err = err
			return out
		}
		j, err := yaml.YAMLToJSON(doc)
		if err != nil {
			out.Err = err
			return out
		}
		if _, err := yaml.YAMLToJSONStrict(doc); err != nil && out.StrictErr == nil {
			out.StrictErr = err
		}
		dec := json.NewDecoder(bytes.NewReader(j))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			out.Err = err
			return out
		}
		if v == nil {
			continue // an empty document: kubectl skips it
		}
		if _, ok := v.(map[string]any); !ok {
			out.Err = errors.New("a document that is not a mapping is not an object")
			return out
		}
		out.Documents = append(out.Documents, pruneNulls(v))
	}
	out.HasMerge = strings.Contains(text, "<<")
	return out
}

// pruneNulls drops null fields of mappings, as kmm-render's reader does (the API server
// treats a null field as absent): applied to both sides so that the rest is compared.
func pruneNulls(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			if c == nil {
				delete(t, k)
			} else {
				t[k] = pruneNulls(c)
			}
		}
	case []any:
		for i, c := range t {
			t[i] = pruneNulls(c)
		}
	}
	return v
}

type ourRead struct {
	Documents     []json.RawMessage `json:"documents"`
	Error         string            `json:"error"`
	ReadersDiffer bool              `json:"readersDiffer"`
	Crash         string            `json:"crash"`
}

// sameValue compares a decoded kmm-render value with the oracle's. Numbers compare as
// numbers; an integer past 2^53 that kmm-render holds as the nearest double is reported
// through `inexact` (an allowlisted difference).
func sameValue(ours, theirs any, inexact *bool) bool {
	switch t := theirs.(type) {
	case map[string]any:
		o, ok := ours.(map[string]any)
		if !ok || len(o) != len(t) {
			return false
		}
		for k, tv := range t {
			ov, ok := o[k]
			if !ok || !sameValue(ov, tv, inexact) {
				return false
			}
		}
		return true
	case []any:
		o, ok := ours.([]any)
		if !ok || len(o) != len(t) {
			return false
		}
		for i := range t {
			if !sameValue(o[i], t[i], inexact) {
				return false
			}
		}
		return true
	case json.Number:
		o, ok := ours.(json.Number)
		if !ok {
			return false
		}
		if o.String() == t.String() {
			return true
		}
		of, err1 := o.Float64()
		tf, err2 := t.Float64()
		if err1 != nil || err2 != nil || of != tf {
			return false
		}
		// Same double: exact unless the oracle's integer has more precision than a double.
		if ti, ok := new(big.Int).SetString(t.String(), 10); ok && ti.BitLen() > 53 {
			exact, _ := new(big.Float).SetInt(ti).Float64()
			if exact == of && new(big.Float).SetFloat64(of).Cmp(new(big.Float).SetInt(ti)) != 0 {
				*inexact = true
			}
		}
		return true
	default:
		return ours == theirs
	}
}

func decodeAll(raw []json.RawMessage) []any {
	out := make([]any, len(raw))
	for i, r := range raw {
		dec := json.NewDecoder(bytes.NewReader(r))
		dec.UseNumber()
		if err := dec.Decode(&out[i]); err != nil {
			harness.Fatal(err)
		}
	}
	return out
}

var (
	customTag      = regexp.MustCompile(`(^|[\s\[{,:-])!([^!\s]|!(binary|timestamp|set|omap|pairs|merge|python|[^\s]*/))`)
	anyAlias       = regexp.MustCompile(`(^|[\s\[{,:])\*[^\s\[\]{},]+`)
	separatorValue = regexp.MustCompile(`(?m)^---[ \t]+[^#\s]`)
)

// hasJSONKeyCollision: some mapping of the file (merges applied) has two keys go-yaml keeps
// apart (true and "true", 1 and "1", 5 and 0.5e1) that are one key once converted to JSON, so
// that sigs.k8s.io/yaml keeps one of them, which one undefined.
func hasJSONKeyCollision(text string) bool {
	jsonKey := func(k any) string {
		switch t := k.(type) {
		case string:
			return t
		case int:
			return strconv.Itoa(t)
		case int64:
			return strconv.FormatInt(t, 10)
		case float64:
			return strconv.FormatFloat(t, 'g', -1, 32)
		case bool:
			return strconv.FormatBool(t)
		}
		return fmt.Sprint(k)
	}
	var walk func(v any) bool
	walk = func(v any) bool {
		switch t := v.(type) {
		case map[any]any:
			seen := map[string]bool{}
			for k, c := range t {
				if seen[jsonKey(k)] || walk(c) {
					return true
				}
				seen[jsonKey(k)] = true
			}
		case []any:
			for _, c := range t {
				if walk(c) {
					return true
				}
			}
		}
		return false
	}
	for _, doc := range strings.Split(text, "\n---") {
		var v any
		if goyaml.Unmarshal([]byte(doc), &v) == nil && walk(v) {
			return true
		}
	}
	return false
}

// classifyYAML names the allowlist entry that explains a difference, or "" when nothing does.
func classifyYAML(text string, ours ourRead, theirs kubectlRead) string {
	if ours.Error != "" {
		switch {
		case strings.HasPrefix(ours.Error, "YAML_SYNTAX: map keys must be unique") || hasJSONKeyCollision(text):
			// Keys equal only after conversion to JSON (`1:` and `"1":`): go-yaml keeps both,
			// then the JSON conversion keeps one of them, which one undefined.
			return "yaml.json-key-collision"
		case strings.HasPrefix(ours.Error, "YAML_TAG") && customTag.MatchString(text):
			return "yaml.tags-refused"
		case strings.HasPrefix(ours.Error, "LIMIT_"):
			return "yaml.limits"
		case strings.HasPrefix(ours.Error, "YAML_SYNTAX") && (strings.Contains(ours.Error, "Block collections are not allowed") || strings.Contains(ours.Error, "Implicit keys of flow")):
			return "yaml.flow-dash"
		case strings.HasPrefix(ours.Error, "YAML_SYNTAX") && strings.Contains(ours.Error, "is read differently by Kubernetes"):
			return "yaml.flow-colon"
		}
		return ""
	}
	if separatorValue.MatchString(text) {
		return "yaml.separator-content"
	}
	return ""
}

func runYAML(f harness.Flags, allow harness.Allowlist) *harness.Report {
	rep := harness.NewReport("YAML reading vs sigs.k8s.io/yaml v1.6.0 YAMLToJSON (kubectl's splitter)", allow)
	r := f.Rand(1)
	var texts []string
	for i := 0; i < f.Cases(100_000); i++ {
		s := genScalar(r)
		switch i % 10 {
		case 0, 1, 2, 3, 4, 5:
			texts = append(texts, "v: "+s+"\n")
		case 6, 7:
			texts = append(texts, s+": v\n")
		case 8:
			texts = append(texts, "v:\n- "+s+"\n")
		default:
			texts = append(texts, "v: ["+s+"]\n")
		}
	}
	for i := 0; i < f.Cases(20_000); i++ {
		texts = append(texts, genDocument(r))
	}
	texts = append(texts, seedFiles(f.Root)...)

	const batch = 50_000
	for start := 0; start < len(texts); start += batch {
		end := min(start+batch, len(texts))
		cases := make([]map[string]string, 0, end-start)
		for _, t := range texts[start:end] {
			cases = append(cases, map[string]string{"text": t})
		}
		var answers []ourRead
		harness.Ask(f.Root, "yaml", cases, &answers)
		for i, ours := range answers {
			compareYAML(rep, texts[start+i], ours)
		}
	}
	return rep
}

func compareYAML(rep *harness.Report, text string, ours ourRead) {
	theirs := readAsKubectl(text)
	ex := harness.Example{Case: text, Ours: ours, Theirs: describe(theirs)}
	if ours.Crash != "" || ours.ReadersDiffer {
		ex.Note = "kmm-render crashed, or its two readers differ"
		rep.Disagree(ex)
		return
	}
	// Refused by Kubernetes' strict decoding (a key written twice, not through a merge).
	strictRefuses := theirs.StrictErr != nil && !theirs.HasMerge
	switch {
	// Strict decoding refuses the file too (a key set twice), whatever we stopped at first.
	case ours.Error != "" && (theirs.Err != nil || theirs.StrictErr != nil):
		rep.Agree() // both refuse the file (messages differ by design)
		return
	case ours.Error != "" || theirs.Err != nil:
		if id := classifyYAML(text, ours, theirs); id != "" {
			rep.Allow(id, ex)
		} else {
			rep.Disagree(ex)
		}
		return
	case strictRefuses:
		ex.Note = "kmm-render read a file that strict decoding refuses"
		rep.Disagree(ex)
		return
	}
	mine := decodeAll(ours.Documents)
	inexact := false
	if len(mine) != len(theirs.Documents) {
		rep.Disagree(ex)
		return
	}
	for i := range mine {
		if !sameValue(mine[i], theirs.Documents[i], &inexact) {
			if hasJSONKeyCollision(text) {
				rep.Allow("yaml.json-key-collision", ex) // Kubernetes' own answer is undefined there
			} else {
				rep.Disagree(ex)
			}
			return
		}
	}
	switch {
	case inexact:
		rep.Allow("yaml.int-precision", ex)
	case theirs.StrictErr != nil:
		// A key a merge brought in is overridden: strict decoding refuses that, kmm-render
		// reads it as the lenient decoder (kubectl) does.
		rep.Allow("yaml.merge-override", ex)
	default:
		rep.Agree()
	}
}

func describe(k kubectlRead) any {
	if k.Err != nil {
		return map[string]any{"error": k.Err.Error()}
	}
	out := map[string]any{"documents": k.Documents}
	if k.StrictErr != nil {
		out["strictError"] = k.StrictErr.Error()
	}
	return out
}

// seedFiles: every YAML and JSON file of the fixtures and of ../shared's corpus.
func seedFiles(root string) []string {
	var out []string
	for _, dir := range []string{filepath.Join(root, "fixtures"), filepath.Join(root, "..", "shared", "reference", "corpus")} {
		var paths []string
		_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && regexp.MustCompile(`\.(ya?ml|json)$`).MatchString(p) && !strings.Contains(p, "/expected") {
				paths = append(paths, p)
			}
			return nil
		})
		sort.Strings(paths)
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err == nil && len(data) < 8<<20 {
				out = append(out, string(data))
			}
		}
	}
	return out
}

var _ = math.Inf
