module kmm-render.io/conformance/harness

go 1.23.0
