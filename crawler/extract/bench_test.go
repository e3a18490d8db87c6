package extract

import (
	"testing"

	"github.com/gongkai-project/gongkai/config"
)

// BenchmarkExtractFixtures extracts every shared fixture page; MB/s is over
// the raw page bytes.
func BenchmarkExtractFixtures(b *testing.B) {
	fixtures := loadFixtures(b)
	total := 0
	for _, f := range fixtures {
		total += len(f.raw)
	}
	b.SetBytes(int64(total))
	b.ResetTimer()
	for range b.N {
		for _, f := range fixtures {
			if _, err := Extract("", f.raw, "", config.Selectors{}); err != nil {
				b.Fatalf("%s: %v", f.name, err)
			}
		}
	}
}
