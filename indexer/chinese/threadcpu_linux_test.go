//go:build linux

package chinese

import "syscall"

// threadCPUSeconds is the user and system CPU time of the calling thread
// (Linux's RUSAGE_THREAD); lock the goroutine to its thread first.
func threadCPUSeconds() (float64, bool) {
	const rusageThread = 1
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, false
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9, true
}
