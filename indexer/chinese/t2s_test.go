package chinese

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// foldRunes is FoldSameLength written plainly, rune by rune.
func foldRunes(f *T2SFilter, s string) string {
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		case r == utf8.RuneError && n == 1:
			b.WriteByte(s[0])
		default:
			if c := f.runeConv(r); utf8.RuneLen(c) == n {
				b.WriteRune(c)
			} else {
				b.WriteString(s[:n])
			}
		}
		s = s[n:]
	}
	return b.String()
}

func TestFoldSameLength(t *testing.T) {
	f, err := NewT2SFilter()
	if err != nil {
		t.Fatal(err)
	}
	if got := f.FoldSameLength("國辦發ABC醫療保險ＧＤＰ"); got != "国办发abc医疗保险ＧＤＰ" {
		t.Fatalf("FoldSameLength = %q", got)
	}
	alphabet := []rune("國辦發醫療保險环境保护會議aBcXYZ09 ，。é😀ＡＢ\u3000𠀋")
	rng := rand.New(rand.NewPCG(3, 4))
	for range 3000 {
		rs := make([]rune, rng.IntN(30))
		for j := range rs {
			rs[j] = alphabet[rng.IntN(len(alphabet))]
		}
		in := []byte(string(rs))
		if len(in) > 2 && rng.IntN(5) == 0 {
			in[rng.IntN(len(in))] = 0xe5 // broken sequences stay as they are
		}
		got, want := f.FoldSameLength(string(in)), foldRunes(f, string(in))
		if got != want || len(got) != len(in) {
			t.Fatalf("FoldSameLength(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSimplify: characters are simplified in place where the byte length
// stays, and text without any is returned as it is, not copied.
func TestSimplify(t *testing.T) {
	c, err := t2s()
	if err != nil {
		t.Fatal(err)
	}
	in := []byte("關於2024年「縣」級 ABC 通知😀")
	got := c.simplify(in)
	if want := "关于2024年「县」级 ABC 通知😀"; string(got) != want {
		t.Errorf("simplify = %q, want %q", got, want)
	}
	if string(in) != "關於2024年「縣」級 ABC 通知😀" {
		t.Errorf("simplify changed its input: %q", in)
	}
	plain := []byte("关于通知 ABC")
	if out := c.simplify(plain); &out[0] != &plain[0] {
		t.Error("simplify copied a text with nothing to fold")
	}
}
