//go:build tools

// Package tools keeps the provider's main-package imports in go.mod; the main
// package itself (with its generated embedded schema) is assembled by the
// toolchain script.
package tools

import (
	_ "github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	_ "github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)
