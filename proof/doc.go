// Package proof holds no production code: its tests prove, against the real
// binary, the real SQLite store, the real Bleve index and real HTTP on
// loopback, that gongkai survives what an unattended server meets.
//
//   - crash_test.go kills `gongkai crawl` (against the demo township served in
//     the test process) and `gongkai index --rebuild` with SIGKILL at random
//     moments, 20 times each, and checks after every kill that the SQLite file
//     is intact, no committed document is lost or duplicated, the crawl
//     resumes and completes, and index and store hold the same ids.
//   - load_test.go runs 50 concurrent clients on /api/search over the demo
//     documents plus ../shared/eval (zero errors, p50/p99 logged), then has
//     one client flood the API while a second, on another loopback address,
//     must keep its normal latency thanks to the per-client rate limit.
//   - faults_test.go makes the data directory read-only and the disk full
//     (a small tmpfs when the tests run as root, where chmod stops nothing)
//     and checks for a clear error naming the path and no loss of what was
//     already stored.
//
// The crash and load tests are skipped with -short and under -race (which
// slows the test process several times and measures only itself); run them
// with `go test -v ./proof/`. They need root for nothing; the full-disk test
// mounts a tmpfs and is skipped when it may not.
package proof
