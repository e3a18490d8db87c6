package proof

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// gongkaiRun is one run of the gongkai binary on a data directory.
type gongkaiRun struct {
	bin, data, config string
}

func (g gongkaiRun) storePath() string { return filepath.Join(g.data, "gongkai.db") }
func (g gongkaiRun) indexPath() string { return filepath.Join(g.data, "index") }

func (g gongkaiRun) command(ctx context.Context, args ...string) (*exec.Cmd, *bytes.Buffer) {
	full := append([]string{"--data", g.data, "--config", g.config}, args...)
	cmd := exec.CommandContext(ctx, g.bin, full...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

// run runs gongkai to the end and fails the test unless it exits 0.
func (g gongkaiRun) run(t testing.TB, args ...string) time.Duration {
	t.Helper()
	cmd, out := g.command(t.Context(), args...)
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("gongkai %v: %v\n%s", args, err, out)
	}
	return time.Since(start)
}

// killOutcome says how a run that was to be killed ended.
type killOutcome struct {
	Delay   time.Duration
	Elapsed time.Duration // from start to the end of the process
	Killed  bool          // SIGKILL arrived while the process ran
	Exit    string        // how it ended when not killed: "exit 0" or the error
	Output  string
}

func (k killOutcome) String() string {
	if k.Killed {
		return fmt.Sprintf("killed at %v", k.Delay.Round(time.Millisecond))
	}
	return fmt.Sprintf("finished (%s) in %v, before the kill at %v", k.Exit, k.Elapsed.Round(time.Millisecond), k.Delay.Round(time.Millisecond))
}

// runKilled starts gongkai and sends it SIGKILL after delay, unless it has
// ended by then.
func (g gongkaiRun) runKilled(t testing.TB, delay time.Duration, args ...string) killOutcome {
	t.Helper()
	cmd, out := g.command(t.Context(), args...)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start gongkai %v: %v", args, err)
	}
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	timer := time.NewTimer(delay)
	defer timer.Stop()
	select {
	case err := <-done:
		exit := "exit 0"
		if err != nil {
			exit = err.Error()
		}
		return killOutcome{Delay: delay, Elapsed: time.Since(start), Exit: exit, Output: out.String()}
	case <-timer.C:
	}
	if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("kill gongkai %v: %v", args, err)
	}
	err := <-done
	elapsed := time.Since(start)
	var ee *exec.ExitError
	if errors.As(err, &ee) && !ee.Exited() {
		return killOutcome{Delay: delay, Elapsed: elapsed, Killed: true, Output: out.String()}
	}
	// The process ended on its own between the timer and the kill.
	exit := "exit 0"
	if err != nil {
		exit = err.Error()
	}
	return killOutcome{Delay: delay, Elapsed: elapsed, Exit: exit, Output: out.String()}
}
