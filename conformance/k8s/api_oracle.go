package main

import "kmm-render.io/conformance/harness"

func runAPIValidation(f harness.Flags, allow harness.Allowlist) *harness.Report {
	return harness.NewReport("emitted objects vs k8s.io/kubernetes v1.37.2 API validation", allow)
}
