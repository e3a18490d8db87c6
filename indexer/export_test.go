package indexer

// SetOutdatedWeight sets the score weight of outdated documents, for tests
// that measure it.
func SetOutdatedWeight(ix *Index, w float64) { ix.outdated = w }

// OutdatedWeight is the score weight of outdated documents searches use.
const OutdatedWeight = outdatedWeight
