//go:build tclanghostpatch

// Our addition to the v3.68 Node.js language host (the newest one the module proxy
// serves), compiled into it by scripts/toolchain.sh in place of its "not supported"
// stub. Pulumi CLIs from v3.221 on start a local Node.js policy pack by asking the
// language host to RunPlugin; this runs the pack the way newer hosts do: node runs
// @pulumi/pulumi's policy-pack runner from the pack's folder, and its output and exit
// code stream back to the engine. Only analyzer (policy pack) plugins are handled.

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/encoding/protowire"
)

// RunPluginRequest fields newer CLIs send that v3.68's generated code does not know
// (they arrive as unknown fields): info (a ProgramInfo) and kind.
const (
	runPluginInfoField = 5
	runPluginKindField = 6
	// ProgramInfo.program_directory
	programDirectoryField = 2
)

// unknownFields returns the length-delimited fields of a message's unknown bytes, by number.
func unknownFields(b []byte) (map[protowire.Number][]byte, error) {
	out := map[protowire.Number][]byte{}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil, protowire.ParseError(n)
		}
		b = b[n:]
		if typ == protowire.BytesType {
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return nil, protowire.ParseError(m)
			}
			out[num] = v
			b = b[m:]
			continue
		}
		m := protowire.ConsumeFieldValue(num, typ, b)
		if m < 0 {
			return nil, protowire.ParseError(m)
		}
		b = b[m:]
	}
	return out, nil
}

func (host *nodeLanguageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	fields, err := unknownFields(req.ProtoReflect().GetUnknown())
	if err != nil {
		return fmt.Errorf("RunPlugin: cannot read the request: %w", err)
	}
	kind := string(fields[runPluginKindField])
	if kind != "analyzer" {
		return fmt.Errorf("RunPlugin: this language host runs policy packs only (asked for a %q plugin)", kind)
	}
	info, err := unknownFields(fields[runPluginInfoField])
	if err != nil {
		return fmt.Errorf("RunPlugin: cannot read the program info: %w", err)
	}
	dir := string(info[programDirectoryField])
	if dir == "" {
		return errors.New("RunPlugin: the request names no policy pack folder")
	}
	runner := filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack")
	if _, err := os.Stat(runner); err != nil {
		return fmt.Errorf("policy pack in %s has no @pulumi/pulumi installed (%s missing): run npm ci there", dir, runner)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("RunPlugin: node not found on PATH: %w", err)
	}

	// The runner takes <engine-address> <program>; the engine's own arguments come first.
	args := append([]string{runner}, req.GetArgs()...)
	args = append(args, dir)
	cmd := exec.CommandContext(server.Context(), node, args...)
	cmd.Dir = dir
	cmd.Env = req.GetEnv()
	if len(cmd.Env) == 0 {
		cmd.Env = os.Environ()
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("RunPlugin: starting node: %w", err)
	}

	// One sender at a time: the stream is not safe for concurrent Send.
	var mu sync.Mutex
	send := func(resp *pulumirpc.RunPluginResponse) error {
		mu.Lock()
		defer mu.Unlock()
		return server.Send(resp)
	}
	var wg sync.WaitGroup
	pump := func(r io.Reader, wrap func([]byte) *pulumirpc.RunPluginResponse) {
		defer wg.Done()
		buf := make([]byte, 32*1024)
		for {
			n, err := r.Read(buf)
			if n > 0 {
				chunk := append([]byte(nil), buf[:n]...)
				if send(wrap(chunk)) != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}
	wg.Add(2)
	go pump(stdout, func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}}
	})
	go pump(stderr, func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}}
	})
	wg.Wait()

	code := 0
	if err := cmd.Wait(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return fmt.Errorf("RunPlugin: waiting for node: %w", err)
		}
		code = exit.ExitCode()
	}
	return send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)}})
}
