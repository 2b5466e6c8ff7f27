package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/kubernetes-sigs/kernel-module-management/internal/utils"

	"kmm-render.io/conformance/harness"
)

// substitutionPieces are what generated templates are made of: envsubst's syntax, known
// and unknown names, and text around them.
var substitutionPieces = []string{
	"$", "${", "}", "{", "$$", ":-", ":=", ":+", "-", "=", "+", ":", "/", "_", "a", "1", "\n", " ",
	"KERNEL_X", "KERNEL_XYZ", "KERNEL_FULL_VERSION", "MOD_NAME", "MOD_NAMESPACE", "UNSET", "$KERNEL_Y", "${KERNEL_Z}",
}

type substitutionCase struct {
	Text string            `json:"text"`
	Vars map[string]string `json:"vars"`
}

type substitutionAnswer struct {
	Value *string `json:"value,omitempty"`
	Error string  `json:"error,omitempty"`
	Hangs bool    `json:"hangs,omitempty"`
}

// runSubstitution compares kmm-render's substitution with KMM's ReplaceInTemplates (which
// runs github.com/a8m/envsubst) on generated templates and KMM's own variable set. Some
// texts make envsubst loop forever, so KMM's answers come from a worker process that is
// restarted when it does not answer in time.
func runSubstitution(f harness.Flags, allow harness.Allowlist) *harness.Report {
	report := harness.NewReport("substitution vs kernel-module-management v1.1.0 ReplaceInTemplates (a8m/envsubst)", allow)
	r := f.Rand(5)
	cases := make([]substitutionCase, f.Cases(20000))
	for i := range cases {
		cases[i] = generateSubstitution(r)
	}
	var ours []substitutionAnswer
	harness.Ask(f.Root, "substitution", cases, &ours)
	theirs := askSubstitutionWorkers(cases)
	for i, c := range cases {
		ex := harness.Example{Case: c, Ours: ours[i], Theirs: theirs[i]}
		switch {
		case theirs[i].Hangs && ours[i].Error != "":
			report.Allow("kmm.substitution-hang", ex)
		// Both refuse, or both give the same text (the error messages are each side's own).
		case !theirs[i].Hangs && (theirs[i].Error != "") == (ours[i].Error != "") &&
			(theirs[i].Value == nil || ours[i].Value != nil && *ours[i].Value == *theirs[i].Value):
			report.Agree()
		default:
			report.Disagree(ex)
		}
	}
	return report
}

// substituteAsKMM is KMM's own substitution of one case.
func substituteAsKMM(c substitutionCase) substitutionAnswer {
	env := make([]string, 0, len(c.Vars))
	for _, k := range harness.SortedKeys(c.Vars) {
		env = append(env, k+"="+c.Vars[k])
	}
	out, err := utils.ReplaceInTemplates(env, c.Text)
	if err != nil {
		return substitutionAnswer{Error: err.Error()}
	}
	return substitutionAnswer{Value: &out[0]}
}

// workerFlag makes this program a substitution worker: cases in, answers out, one JSON
// line each.
const workerFlag = "-substitution-worker"

func runSubstitutionWorker() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var c substitutionCase
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			harness.Fatal(err)
		}
		if err := out.Encode(substituteAsKMM(c)); err != nil {
			harness.Fatal(err)
		}
	}
}

// hangTimeout is how long one substitution may take before it counts as a hang (KMM's
// operator would spin on it for ever).
const hangTimeout = 2 * time.Second

// askSubstitutionWorkers answers every case with KMM's code in a worker process, restarting
// the worker after a case it does not answer in time.
func askSubstitutionWorkers(cases []substitutionCase) []substitutionAnswer {
	answers := make([]substitutionAnswer, len(cases))
	self, err := os.Executable()
	if err != nil {
		harness.Fatal(err)
	}
	for next := 0; next < len(cases); {
		cmd := exec.Command(self, workerFlag)
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			harness.Fatal(err)
		}
		lines := make(chan []byte)
		go func() {
			sc := bufio.NewScanner(stdout)
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for sc.Scan() {
				lines <- append([]byte(nil), sc.Bytes()...)
			}
			close(lines)
		}()
		go func(from int) {
			enc := json.NewEncoder(stdin)
			for _, c := range cases[from:] {
				if enc.Encode(c) != nil {
					return
				}
			}
			stdin.Close()
		}(next)
		for next < len(cases) {
			select {
			case line, ok := <-lines:
				if !ok {
					harness.Fatal(fmt.Errorf("substitution worker ended at case %d", next))
				}
				if err := json.Unmarshal(line, &answers[next]); err != nil {
					harness.Fatal(err)
				}
				next++
				continue
			case <-time.After(hangTimeout):
				answers[next] = substitutionAnswer{Hangs: true}
				next++
			}
			break
		}
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	return answers
}

func generateSubstitution(r *rand.Rand) substitutionCase {
	kernel := harness.Pick(r, []string{"5.14.0-427.22.1.el9_4.x86_64", "6.8.0-45-generic", "4.18.0-372.9.1.el8.x86_64"})
	vars := map[string]string{"MOD_NAME": "gpu", "MOD_NAMESPACE": ""}
	for _, kv := range utils.KernelComponentsAsEnvVars(kernel) {
		name, value, _ := strings.Cut(kv, "=")
		vars[name] = value
	}
	var b strings.Builder
	for i, n := 0, 1+r.IntN(10); i < n; i++ {
		b.WriteString(harness.Pick(r, substitutionPieces))
	}
	return substitutionCase{Text: b.String(), Vars: vars}
}
