package main

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"kmm-render.io/conformance/harness"
)

// Strings aimed at the edges of the name and label rules: lengths around 63 and 253, the
// characters allowed at the start, inside and at the end, prefixes with and without a slash.
func genName(r *rand.Rand) string {
	alphabets := []string{"abc", "abcXYZ019", "a-.", "a_-.Z9", "abc-", "aé", "a/b", "A.b_c"}
	piece := func(n int) string {
		set := pick(r, alphabets)
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteByte(set[r.IntN(len(set))])
		}
		return b.String()
	}
	lengths := []int{0, 1, 2, 5, 62, 63, 64, 120, 252, 253, 254}
	switch r.IntN(5) {
	case 0:
		return piece(pick(r, lengths))
	case 1:
		return piece(pick(r, lengths[:8])) + "/" + piece(pick(r, lengths[:8]))
	case 2:
		parts := make([]string, 1+r.IntN(5))
		for i := range parts {
			parts[i] = piece(1 + r.IntN(20))
		}
		return strings.Join(parts, ".")
	case 3:
		return pick(r, []string{"-a", "a-", ".a", "a.", "_a", "a_", "a..b", "a/", "/a", "a//b", "ab.cd/ef", "kubernetes.io/arch", "feature.node.kubernetes.io/pci-10de.present"})
	default:
		return fmt.Sprintf("%s-%d.%s", piece(1+r.IntN(40)), r.IntN(1000), piece(1+r.IntN(30)))
	}
}

type nameAnswer struct {
	Valid *bool  `json:"valid"`
	Name  string `json:"name"`
	Crash string `json:"crash"`
}

func runNames(f harness.Flags, allow harness.Allowlist) *harness.Report {
	rep := harness.NewReport("names and labels vs k8s.io/apimachinery v0.37.2 util/validation", allow)
	r := f.Rand(2)
	checks := map[string]func(string) []string{
		"dns1123Label":     validation.IsDNS1123Label,
		"dns1123Subdomain": validation.IsDNS1123Subdomain,
		"labelKey":         validation.IsQualifiedName,
		"labelValue":       validation.IsValidLabelValue,
	}
	kinds := append(harness.SortedKeys(checks), "objectName")
	type nameCase struct {
		Kind  string `json:"kind"`
		Value string `json:"value"`
	}
	var cases []nameCase
	for i := 0; i < f.Cases(20_000); i++ {
		cases = append(cases, nameCase{Kind: kinds[i%len(kinds)], Value: genName(r)})
	}
	var answers []nameAnswer
	harness.Ask(f.Root, "names", cases, &answers)
	for i, a := range answers {
		c := cases[i]
		ex := harness.Example{Case: c, Ours: a}
		if a.Crash != "" {
			rep.Disagree(ex)
			continue
		}
		if c.Kind == "objectName" {
			// Every name kmm-render makes must be a DNS-1123 label, whatever the input.
			errs := validation.IsDNS1123Label(a.Name)
			ex.Theirs = errs
			if len(errs) == 0 {
				rep.Agree()
			} else {
				rep.Disagree(ex)
			}
			continue
		}
		theirs := len(checks[c.Kind](c.Value)) == 0
		ex.Theirs = theirs
		if a.Valid != nil && *a.Valid == theirs {
			rep.Agree()
		} else {
			rep.Disagree(ex)
		}
	}
	return rep
}
