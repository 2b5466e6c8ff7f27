// Package harness is what every oracle of the conformance suite shares: it runs kmm-render's
// side of a batch of cases through the bridge (dist/conformance/bridge.js), keeps the one
// reviewed allowlist, and prints each oracle's result as one JSON line for the runner
// (scripts/conformance.ts).
package harness

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
)

// Flags every oracle program takes.
type Flags struct {
	Root  string // the kmm-render checkout
	Seed  uint64
	Scale float64 // multiplies the number of generated cases
}

// ParseFlags reads -root, -seed and -scale.
func ParseFlags() Flags {
	var f Flags
	flag.StringVar(&f.Root, "root", "../..", "the kmm-render checkout (with dist/ built)")
	flag.Uint64Var(&f.Seed, "seed", 20261201, "seed of the generated cases")
	flag.Float64Var(&f.Scale, "scale", 1, "multiplies the number of generated cases")
	flag.Parse()
	abs, err := filepath.Abs(f.Root)
	if err != nil {
		Fatal(err)
	}
	f.Root = abs
	return f
}

// Rand is the oracle's seeded random source: the same seed gives the same cases.
func (f Flags) Rand(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(f.Seed, stream))
}

// Cases is n scaled.
func (f Flags) Cases(n int) int {
	return int(float64(n) * f.Scale)
}

// Fatal ends the program: the oracle could not run (the runner counts it as a failure).
func Fatal(err error) {
	fmt.Fprintln(os.Stderr, "conformance:", err)
	os.Exit(2)
}

// Ask sends one request to the bridge and decodes its results into out.
func Ask(root, op string, cases any, out any) {
	req, err := json.Marshal(map[string]any{"op": op, "cases": cases})
	if err != nil {
		Fatal(err)
	}
	cmd := exec.Command("node", "--max-old-space-size=4096", filepath.Join(root, "dist", "conformance", "bridge.js"))
	cmd.Stdin = bytes.NewReader(req)
	cmd.Stderr = os.Stderr
	res, err := cmd.Output()
	if err != nil {
		Fatal(fmt.Errorf("bridge %s: %w", op, err))
	}
	var wrapped struct {
		Results json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal(res, &wrapped); err != nil {
		Fatal(fmt.Errorf("bridge %s answered: %w", op, err))
	}
	if err := json.Unmarshal(wrapped.Results, out); err != nil {
		Fatal(fmt.Errorf("bridge %s results: %w", op, err))
	}
}

// AllowEntry is one deliberate difference, reviewed, with where it is documented.
type AllowEntry struct {
	ID     string `json:"id"`
	Oracle string `json:"oracle"`
	What   string `json:"what"`
	Why    string `json:"why"`
	Cites  string `json:"cites"`
}

// Allowlist is conformance/allowlist.json.
type Allowlist map[string]AllowEntry

// LoadAllowlist reads the allowlist of the checkout.
func LoadAllowlist(root string) Allowlist {
	data, err := os.ReadFile(filepath.Join(root, "conformance", "allowlist.json"))
	if err != nil {
		Fatal(err)
	}
	var entries []AllowEntry
	if err := json.Unmarshal(data, &entries); err != nil {
		Fatal(fmt.Errorf("allowlist.json: %w", err))
	}
	out := Allowlist{}
	for _, e := range entries {
		if e.ID == "" || e.Cites == "" || e.Why == "" {
			Fatal(fmt.Errorf("allowlist entry %q needs id, why and cites", e.ID))
		}
		out[e.ID] = e
	}
	return out
}

// Example is a disagreement (or an allowlisted difference) shown in the report.
type Example struct {
	Case   any    `json:"case"`
	Ours   any    `json:"ours"`
	Theirs any    `json:"theirs"`
	Note   string `json:"note,omitempty"`
}

// Report counts one oracle's cases.
type Report struct {
	Oracle      string             `json:"oracle"`
	Cases       int                `json:"cases"`
	Agreed      int                `json:"agreed"`
	Allowlisted map[string]int     `json:"allowlisted"`
	Disagreed   int                `json:"disagreed"`
	Examples    []Example          `json:"examples"`
	Allowed     map[string]Example `json:"allowedExamples"`
	allowlist   Allowlist
}

// NewReport starts the report of one oracle.
func NewReport(oracle string, allow Allowlist) *Report {
	return &Report{Oracle: oracle, Allowlisted: map[string]int{}, Allowed: map[string]Example{}, allowlist: allow}
}

// Agree counts a case both sides answered alike.
func (r *Report) Agree() {
	r.Cases++
	r.Agreed++
}

// Allow counts a difference that the allowlist entry id explains. An id that is not in
// allowlist.json explains nothing: only reviewed differences are allowed, so the case is a
// disagreement that says which entry would have covered it.
func (r *Report) Allow(id string, ex Example) {
	if _, ok := r.allowlist[id]; !ok {
		ex.Note = fmt.Sprintf("classified as %q, which allowlist.json does not list", id)
		r.Disagree(ex)
		return
	}
	r.Cases++
	r.Allowlisted[id]++
	if _, seen := r.Allowed[id]; !seen {
		r.Allowed[id] = ex
	}
}

// maxExamples is how many disagreements a report shows (CONFORMANCE_EXAMPLES, default 20).
var maxExamples = func() int {
	if n, err := strconv.Atoi(os.Getenv("CONFORMANCE_EXAMPLES")); err == nil && n > 0 {
		return n
	}
	return 20
}()

// Disagree counts a difference nothing explains.
func (r *Report) Disagree(ex Example) {
	r.Cases++
	r.Disagreed++
	if len(r.Examples) < maxExamples {
		r.Examples = append(r.Examples, ex)
	}
}

// Print writes the report as one JSON line on stdout.
func (r *Report) Print() {
	data, err := json.Marshal(r)
	if err != nil {
		Fatal(err)
	}
	fmt.Println(string(data))
}

// SortedKeys returns the keys of a map in order.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Pick returns a random element of list.
func Pick[T any](r *rand.Rand, list []T) T {
	return list[r.IntN(len(list))]
}

// AllowAll counts one case whose differences several allowlist entries explain (each id
// counted); an id that allowlist.json does not list makes the case a disagreement.
func (r *Report) AllowAll(ids []string, ex Example) {
	for _, id := range ids {
		if _, ok := r.allowlist[id]; !ok {
			ex.Note = fmt.Sprintf("classified as %q, which allowlist.json does not list", id)
			r.Disagree(ex)
			return
		}
	}
	r.Cases++
	for _, id := range ids {
		r.Allowlisted[id]++
		if _, seen := r.Allowed[id]; !seen {
			r.Allowed[id] = ex
		}
	}
}
