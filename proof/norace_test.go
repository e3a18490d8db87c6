//go:build !race

package proof

// raceEnabled says the test binary was built with -race.
const raceEnabled = false
