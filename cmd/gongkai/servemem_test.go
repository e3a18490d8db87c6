package main

import (
	"math"
	"runtime/debug"
	"testing"

	"github.com/gongkai-project/gongkai/config"
)

// TestLimitServing: serve sets Go's soft memory limit from
// server.memory_limit_mb, unless GOMEMLIMIT is set or the setting is -1.
func TestLimitServing(t *testing.T) {
	prev := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(prev)
	cfg := config.Default()
	for _, c := range []struct {
		mb   int
		env  string
		want int64
	}{
		{config.DefaultServeMemoryMB, "", config.DefaultServeMemoryMB << 20},
		{1024, "", 1 << 30},
		{1024, "2GiB", math.MaxInt64}, // GOMEMLIMIT set: the limit stays as the runtime read it (none here)
		{-1, "", math.MaxInt64},
	} {
		debug.SetMemoryLimit(math.MaxInt64)
		cfg.Server.MemoryLimitMB = c.mb
		limitServing(cfg, func(k string) string {
			if k == "GOMEMLIMIT" {
				return c.env
			}
			return ""
		})
		if got := debug.SetMemoryLimit(-1); got != c.want {
			t.Errorf("memory_limit_mb %d, GOMEMLIMIT %q: limit %d, want %d", c.mb, c.env, got, c.want)
		}
	}
}
