//go:build race

package proof

// raceEnabled says the test binary was built with -race: latency figures
// are meaningless then, and indexing the eval corpus takes minutes.
const raceEnabled = true
