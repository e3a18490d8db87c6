//go:build !linux

package chinese

// threadCPUSeconds is the CPU time of the calling thread, which only Linux
// reports: false elsewhere.
func threadCPUSeconds() (float64, bool) { return 0, false }
