package analytics

// Indexes of record.key: the interned strings counting and de-duplication use.
const (
	keyChannel = iota
	keyCategory
	keyPublisher
	keySource
	keyColumn
	keyHash  // text hash; 0 when unknown
	keyTitle // normalised title; 0 when too short to match
	keyUnit  // the unit (township, bureau)
	numKeys
)

// interner numbers strings so that counting runs on small integers; id 0 is
// the empty string. A child adds its own strings to a parent it never
// changes, so a cached parent can be shared by concurrent calls.
type interner struct {
	parent *interner
	ids    map[string]int32
	names  []string // names[id - base]
	base   int32    // the first id this interner gives
}

func newInterner(sizeHint int) *interner {
	return &interner{ids: make(map[string]int32, sizeHint), names: []string{""}}
}

// child returns an interner that knows every string of in and adds new ones.
func (in *interner) child() *interner {
	return &interner{parent: in, ids: map[string]int32{}, base: in.size()}
}

// size is one more than the largest id given.
func (in *interner) size() int32 { return in.base + int32(len(in.names)) }

func (in *interner) id(s string) int32 {
	if s == "" {
		return 0
	}
	for p := in.parent; p != nil; p = p.parent {
		if id, ok := p.ids[s]; ok {
			return id
		}
	}
	if id, ok := in.ids[s]; ok {
		return id
	}
	id := in.size()
	in.ids[s] = id
	in.names = append(in.names, s)
	return id
}

func (in *interner) name(id int32) string {
	for p := in; p != nil; p = p.parent {
		if id >= p.base {
			return p.names[id-p.base]
		}
	}
	return ""
}

// internRecord fills r.key.
func internRecord(r *record, in *interner) {
	r.key = [numKeys]int32{in.id(r.channel), in.id(r.category), in.id(r.publisher), in.id(r.source),
		in.id(r.column), in.id(r.hash), in.id(matchTitle(r.title)), in.id(r.unit)}
}
