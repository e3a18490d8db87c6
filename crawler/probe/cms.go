package probe

import (
	"regexp"
	"slices"
)

// CMS names Recognize returns.
const (
	CMSTRS       = "trs"       // TRS WCM (拓尔思)
	CMSHanweb    = "hanweb"    // Hanweb JCMS (大汉)
	CMSUCAP      = "ucap"      // UCAP (开普), the gov.cn templates
	CMSDedeCMS   = "dedecms"   // DedeCMS (织梦)
	CMSPHPCMS    = "phpcms"    // PHPCMS
	CMSEmpireCMS = "empirecms" // EmpireCMS (帝国), common on county portals
	CMSZCMS      = "zcms"      // ZCMS (泽元)
	CMSWordPress = "wordpress" // WordPress
	CMSUnknown   = "unknown"   // no marker of a known CMS
)

// marker is one trace a CMS leaves in its pages.
type marker struct {
	cms, name string
	re        *regexp.Regexp
}

// markers are the traces of the CMSs that government portals run, in the
// list pages, the article pages and the article URLs they link to.
var markers = []marker{
	{CMSTRS, "createPageHTML", regexp.MustCompile(`createPageHTML\s*\(`)},
	{CMSTRS, "TRS_Editor", regexp.MustCompile(`TRS_(?i:editor|ueditor)|Custom_UnionStyle`)},
	{CMSTRS, "WCM", regexp.MustCompile(`WCM置标|/was5/web/|(?i:trs\s*wcm)`)},
	{CMSTRS, "tYYYYMMDD_id.html", regexp.MustCompile(`/t\d{8}_\d+\.s?html?\b`)},
	{CMSHanweb, "datastore", regexp.MustCompile(`<script[^>]*text/xml[^>]*>\s*<datastore>`)},
	{CMSHanweb, "jpage", regexp.MustCompile(`/module/(web/)?jpage/|\.jpage\(`)},
	{CMSHanweb, "art_col_id.html", regexp.MustCompile(`/art_\d+_\d+\.s?html?\b`)},
	{CMSHanweb, "/col/colN/", regexp.MustCompile(`/col/col\d+/`)},
	{CMSHanweb, "jcms", regexp.MustCompile(`(?i)/jcms/|hanweb`)},
	{CMSUCAP, "ucap", regexp.MustCompile(`(?i)<ucap(title|content)|UCAP-CONTENT|/ucap/|ucapcms`)},
	{CMSDedeCMS, "dedecms", regexp.MustCompile(`(?i)dedecms|/plus/(list|view|search)\.php`)},
	{CMSPHPCMS, "phpcms", regexp.MustCompile(`(?i)phpcms|\bm=content&(amp;)?c=index&(amp;)?a=(lists|show)`)},
	{CMSEmpireCMS, "/e/ scripts", regexp.MustCompile(`/e/(public/ViewClick|search/index\.php|action/ListInfo|DoPrint|extend/)`)},
	{CMSEmpireCMS, "empirecms", regexp.MustCompile(`(?i)empirecms|帝国cms`)},
	{CMSZCMS, "zcms", regexp.MustCompile(`_zcms_stat\(|(?i)\bzcms\b`)},
	{CMSWordPress, "wp-content", regexp.MustCompile(`/wp-(content|includes)/`)},
}

// Recognition is the CMS that most markers point to, and the markers seen.
type Recognition struct {
	CMS      string   `json:"cms"`
	Evidence []string `json:"evidence,omitempty"` // names of the markers that matched, of every CMS
}

// Recognize names the CMS of the given page texts (list page, article pages):
// the one with the most distinct markers, earlier in the table on a tie.
func Recognize(texts ...string) Recognition {
	count := map[string]int{}
	var rec Recognition
	for _, m := range markers {
		for _, t := range texts {
			if m.re.MatchString(t) {
				count[m.cms]++
				rec.Evidence = append(rec.Evidence, m.cms+":"+m.name)
				break
			}
		}
	}
	rec.CMS = CMSUnknown
	best := 0
	for _, m := range markers {
		if n := count[m.cms]; n > best {
			rec.CMS, best = m.cms, n
		}
	}
	rec.Evidence = slices.Compact(rec.Evidence)
	return rec
}
