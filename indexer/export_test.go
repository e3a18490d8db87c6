package indexer

// SetOutdatedWeight sets the score weight of outdated documents, for tests
// that measure it.
func SetOutdatedWeight(ix *Index, w float64) { ix.outdated = w }

// OutdatedWeight is the score weight of outdated documents searches use.
const OutdatedWeight = outdatedWeight

// SetAttachmentWeight sets the weight of attachment text against the body,
// for tests that measure it.
func SetAttachmentWeight(ix *Index, w float64) { ix.attWeight = w }

// AttachmentWeight is the weight of attachment text searches use.
const AttachmentWeight = wAttachment
