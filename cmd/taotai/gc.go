package main

import (
	"log/slog"
	"os"
	"runtime/debug"
)

// A server's garbage collection: Go's default (GOGC=100) collects each
// time the heap doubles, and a page's work allocates ~50 KB against a live
// heap of 15–20 MB, so the collector ran 25 times a second under load and
// took 11% of the processor (docs/benchmarks.md). With GOGC=400 it runs a
// fifth as often; the memory limit makes it collect sooner when the whole
// Go runtime's memory nears 128 MiB, so that an export of the province's
// forms while the pages are busy stays where it was at the default (goal 5
// of issue 14: under 200 MB). The environment's GOGC or GOMEMLIMIT, when
// set, are left to rule (a larger deployment's exports need more).
const (
	serverGCPercent   = 400
	serverMemoryLimit = 128 << 20
)

// tuneGC sets the server's garbage collection unless the environment does.
func tuneGC(log *slog.Logger) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serverGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serverMemoryLimit)
	}
	percent := debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	log.Info("garbage collection", "gogc", percent, "memory_limit_mib", debug.SetMemoryLimit(-1)>>20)
}
