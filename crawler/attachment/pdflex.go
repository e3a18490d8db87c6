package attachment

import "bytes"

// operand is one operand of a content-stream operator: a number, a
// string (its bytes), a name (without the slash), an array, or anything
// else (a dictionary, true, false, null), which the text layer never
// needs.
type operand struct {
	kind byte // 'n' number, 's' string, '/' name, 'a' array, 'o' other
	num  float64
	str  string
	arr  []operand
}

// maxNesting bounds arrays and dictionaries inside one another, and
// maxOperands the operands (array elements included) read for one
// operator: a text operator needs at most one array of a line's strings,
// while an operand takes some fifty bytes of memory against two in the
// stream.
const (
	maxNesting  = 32
	maxOperands = 1 << 16
)

// contentLexer splits a decoded content stream into operators and their
// operands. It never fails: bytes it cannot read are skipped, and an
// inline image's data (BI … ID data EI) is passed over.
type contentLexer struct {
	data []byte
	pos  int
	args []operand // the operands of the last operator
	// tooMany is set when the last operator had more than maxOperands
	// operands; those past the limit were read but not kept.
	tooMany bool
	count   int // operands read for the current operator
}

// next reads up to the next operator and returns it, with its operands in
// lx.args; ok is false at the end of the stream.
func (lx *contentLexer) next() (op string, ok bool) {
	lx.args, lx.count, lx.tooMany = lx.args[:0], 0, false
	for {
		lx.space()
		if lx.pos >= len(lx.data) {
			return "", false
		}
		if c := lx.data[lx.pos]; isRegular(c) && !isNumberStart(c) {
			word := lx.word()
			switch word {
			case "true", "false", "null":
				lx.args = append(lx.args, operand{kind: 'o'})
				continue
			case "BI":
				lx.inlineImage()
				lx.args = lx.args[:0]
				continue
			}
			return word, true
		}
		lx.args = lx.keep(lx.args, lx.value(0))
	}
}

// keep appends v to list unless the operator's operands are past
// maxOperands.
func (lx *contentLexer) keep(list []operand, v operand) []operand {
	if lx.count++; lx.count > maxOperands {
		lx.tooMany = true
		return list
	}
	return append(list, v)
}

// value reads one operand at lx.pos (not an operator).
func (lx *contentLexer) value(depth int) operand {
	c := lx.data[lx.pos]
	switch {
	case c == '/':
		lx.pos++
		return operand{kind: '/', str: lx.word()}
	case c == '(':
		return operand{kind: 's', str: lx.literal()}
	case c == '<' && lx.pos+1 < len(lx.data) && lx.data[lx.pos+1] == '<':
		lx.pos += 2
		lx.until(">>", depth)
		return operand{kind: 'o'}
	case c == '<':
		end := bytes.IndexByte(lx.data[lx.pos:], '>')
		if end < 0 {
			end = len(lx.data) - lx.pos
		}
		s := hexString(lx.data[lx.pos+1 : lx.pos+end])
		lx.pos = min(lx.pos+end+1, len(lx.data))
		return operand{kind: 's', str: s}
	case c == '[':
		lx.pos++
		return operand{kind: 'a', arr: lx.until("]", depth)}
	case isNumberStart(c):
		return operand{kind: 'n', num: lx.number()}
	case isRegular(c):
		lx.word() // a keyword inside an array or dictionary
		return operand{kind: 'o'}
	}
	lx.pos++ // a stray delimiter: ) > ] } {
	return operand{kind: 'o'}
}

// until reads values up to the closing delimiter end (] or >>) and
// returns them; past maxNesting it skips to the delimiter.
func (lx *contentLexer) until(end string, depth int) []operand {
	var out []operand
	for {
		lx.space()
		if lx.pos >= len(lx.data) {
			return out
		}
		if bytes.HasPrefix(lx.data[lx.pos:], []byte(end)) {
			lx.pos += len(end)
			return out
		}
		if depth >= maxNesting {
			lx.pos++
			continue
		}
		out = lx.keep(out, lx.value(depth+1))
	}
}

// space skips white space and comments.
func (lx *contentLexer) space() {
	for lx.pos < len(lx.data) {
		switch lx.data[lx.pos] {
		case ' ', '\n', '\r', '\t', '\f', 0:
			lx.pos++
		case '%':
			for lx.pos < len(lx.data) && lx.data[lx.pos] != '\n' && lx.data[lx.pos] != '\r' {
				lx.pos++
			}
		default:
			return
		}
	}
}

// word reads a run of regular characters.
func (lx *contentLexer) word() string {
	start := lx.pos
	for lx.pos < len(lx.data) && isRegular(lx.data[lx.pos]) {
		lx.pos++
	}
	return string(lx.data[start:lx.pos])
}

// number reads an integer or real; a malformed one reads as far as it
// makes sense, as readers do.
func (lx *contentLexer) number() float64 {
	neg := false
	switch lx.data[lx.pos] {
	case '-':
		neg = true
		lx.pos++
	case '+':
		lx.pos++
	}
	v, scale, frac := 0.0, 1.0, false
	for lx.pos < len(lx.data) {
		c := lx.data[lx.pos]
		switch {
		case c >= '0' && c <= '9':
			v = v*10 + float64(c-'0')
			if frac {
				scale *= 10
			}
		case c == '.' && !frac:
			frac = true
		case isRegular(c):
		default:
			return sign(neg, v/scale)
		}
		lx.pos++
	}
	return sign(neg, v/scale)
}

func sign(neg bool, v float64) float64 {
	if neg {
		return -v
	}
	return v
}

// literal reads a (string) with its escapes and balanced parentheses.
func (lx *contentLexer) literal() string {
	lx.pos++
	var b []byte
	depth := 1
	for lx.pos < len(lx.data) {
		c := lx.data[lx.pos]
		lx.pos++
		switch c {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return string(b)
			}
		case '\\':
			if lx.pos >= len(lx.data) {
				return string(b)
			}
			e := lx.data[lx.pos]
			lx.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if lx.pos < len(lx.data) && lx.data[lx.pos] == '\n' {
					lx.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && lx.pos < len(lx.data) && lx.data[lx.pos] >= '0' && lx.data[lx.pos] <= '7'; k++ {
						v = v*8 + int(lx.data[lx.pos]-'0')
						lx.pos++
					}
					c = byte(v)
				} else {
					c = e // \( \) \\ and unknown escapes stand for the character
				}
			}
		}
		b = append(b, c)
	}
	return string(b)
}

// inlineImage skips an inline image: its dictionary up to ID, one white
// space character, and the data up to EI between white space.
func (lx *contentLexer) inlineImage() {
	for {
		lx.space()
		if lx.pos >= len(lx.data) {
			return
		}
		if c := lx.data[lx.pos]; isRegular(c) && !isNumberStart(c) {
			if lx.word() == "ID" {
				break
			}
			continue
		}
		lx.value(0)
	}
	lx.pos++
	for lx.pos < len(lx.data) {
		i := bytes.Index(lx.data[lx.pos:], []byte("EI"))
		if i < 0 {
			lx.pos = len(lx.data)
			return
		}
		at := lx.pos + i
		lx.pos = at + 2
		if at > 0 && isSpace(lx.data[at-1]) && (lx.pos == len(lx.data) || !isRegular(lx.data[lx.pos])) {
			return
		}
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

// isRegular reports whether c is neither white space nor a delimiter.
func isRegular(c byte) bool {
	switch c {
	case ' ', '\n', '\r', '\t', '\f', 0, '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return false
	}
	return true
}

func isNumberStart(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.'
}
