package demo

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// Paths robots.txt disallows; the homepage and the 通知公告 list link them.
var internalPaths = []string{"/internal/index.html", "/internal/draft.html"}

// orgCodes draws the 9-digit organisation code of every publisher but the
// villages, and the WeChat account's biz.
func (g *gen) orgCodes() {
	g.t.codes = map[string]string{}
	for _, k := range publisherKeys {
		if k != "village" {
			g.t.codes[vars{"T": TownName}.fill(publishers[k])] = fmt.Sprintf("%09d", g.r.IntN(1e9))
		}
	}
	g.t.biz = base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(3000000000 + g.r.IntN(999999999))))
}

// finish numbers the documents in order of publication — ids, paths, doc and
// index numbers, WeChat identities — and hands them to the township.
func (g *gen) finish() {
	slices.SortStableFunc(g.items, func(a, b *Item) int { return a.Published.Compare(b.Published) })
	seqs := map[string]int{}
	for _, it := range g.items {
		if it.Channel == store.ChannelPortal {
			g.placePortal(it, seqs)
		}
	}
	g.wechatIdentities()
	g.validityStates()
	for _, it := range g.items {
		if it.DocNumber != "" && it.Validity == "" {
			it.Validity = "有效"
		}
		if old := it.abolished; old != nil {
			old.Validity = "废止"
			it.Abolishes = old.DocNumber
			for i, p := range it.paras {
				it.paras[i] = strings.ReplaceAll(p, "{OLDNUM}", old.DocNumber)
			}
		}
		if it.repostOf != nil {
			it.Repost = it.repostOf.ID
		}
		it.Body = strings.Join(it.paras, "\n")
	}
	t := g.t
	t.Items = make([]Item, len(g.items))
	for i, it := range g.items {
		t.Items[i] = *it
		t.Items[i].abolished, t.Items[i].repostOf = nil, nil
	}
	for i := len(t.Items) - 1; i >= 0; i-- {
		if c := t.Items[i].col; c != nil {
			c.items = append(c.items, &t.Items[i])
		}
	}
	t.gone = g.gone
	t.setUnavailable("")
	t.setDisallowed("")
}

// placePortal gives a portal document its column, id, path and numbers.
func (g *gen) placePortal(it *Item, seqs map[string]int) {
	c := columnOf(g.t.columns, it.Category)
	it.col, it.Column, it.GBK = c, c.Name, c.GBK
	y := it.Published.Year()
	if c.Style == styleHanweb {
		seqs["art"]++
		it.seq = 200000 + seqs["art"]
		it.ID = fmt.Sprintf("art-%d-%d", c.ColumnID, it.seq)
		it.Path = fmt.Sprintf("/art/%d/%d/%d/art_%d_%d.html", y, int(it.Published.Month()), it.Published.Day(), c.ColumnID, it.seq)
		it.Subject, it.Genre, it.prefix = "", "", ""
		for i := range it.attFiles {
			it.attFiles[i].Path = fmt.Sprintf("/module/download/%d/%d_%d.%s", c.ColumnID, it.seq, i+1, it.attFiles[i].Ext)
		}
		it.setAttachments("")
		return
	}
	seqs["trs"]++
	it.seq = 1000000 + seqs["trs"]
	it.ID = fmt.Sprintf("trs-%d", it.seq)
	stamp := it.Published.Format("20060102")
	it.Path = fmt.Sprintf("/col/%s/%s/t%s_%d.html", c.Slug, it.Published.Format("200601"), stamp, it.seq)
	if it.prefix != "" {
		k := fmt.Sprintf("%s/%d", it.prefix, y)
		seqs[k]++
		it.DocNumber = fmt.Sprintf("%s〔%d〕%d号", it.prefix, y, seqs[k])
	}
	code := g.t.codes[it.Publisher]
	k := fmt.Sprintf("%s/%d", code, y)
	seqs[k]++
	it.IndexNumber = fmt.Sprintf("%s/%d-%05d", code, y, seqs[k])
	lag := g.r.IntN(8)
	if g.r.IntN(100) < 8 {
		lag = 30 + g.r.IntN(30) // disclosed later than 20 working days after writing
	}
	it.Written = day(it.Published).AddDate(0, 0, -lag)
	for i := range it.attFiles {
		it.attFiles[i].Path = fmt.Sprintf("%s/P0%s%d%02d.%s", path.Dir(it.Path), stamp, it.seq, i+1, it.attFiles[i].Ext)
	}
	it.setAttachments("")
}

// wechatIdentities numbers the pushes (mid) and the articles in each (idx):
// posts at the same second are one push. Deleted and expired posts count too.
func (g *gen) wechatIdentities() {
	type post struct {
		at time.Time
		wx *wxMeta
		p  *string
		id *string
	}
	var posts []post
	for _, it := range g.items {
		if it.Channel == store.ChannelWeChat {
			posts = append(posts, post{it.Published, it.wx, &it.Path, &it.ID})
		}
	}
	for i := range g.gone {
		gp := &g.gone[i]
		posts = append(posts, post{gp.Published, &gp.wx, &gp.Path, nil})
	}
	slices.SortStableFunc(posts, func(a, b post) int { return a.at.Compare(b.at) })
	mid, idx := int64(2650100000), 0
	for i, p := range posts {
		if i == 0 || !p.at.Equal(posts[i-1].at) {
			mid += 17
			idx = 0
		}
		idx++
		sum := sha256.Sum256(fmt.Appendf(nil, "%d/%d/%d", g.o.Seed, mid, idx))
		*p.wx = wxMeta{Mid: mid, Idx: idx, SN: hex.EncodeToString(sum[:16])}
		*p.p = fmt.Sprintf("/s?__biz=%s&mid=%d&idx=%d&sn=%s", url.QueryEscape(g.t.biz), mid, idx, p.wx.SN)
		if p.id != nil {
			*p.id = fmt.Sprintf("wx-%d-%d", mid, idx)
		}
	}
}
