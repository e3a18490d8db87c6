package main

import (
	"runtime/debug"

	"github.com/gongkai-project/gongkai/config"
)

// limitServing sets Go's soft memory limit for a process that serves
// searches (serve, bench --existing) to server.memory_limit_mb, unless
// GOMEMLIMIT set one or the setting is -1: Go's collector otherwise lets
// the heap grow to twice what is live while clients search.
func limitServing(cfg *config.Config, environ func(string) string) {
	if mb := cfg.Server.MemoryLimitMB; environ("GOMEMLIMIT") == "" && mb > 0 {
		debug.SetMemoryLimit(int64(mb) << 20)
	}
}
