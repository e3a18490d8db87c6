package config

import (
	"regexp"
	"strings"
)

// Site is the identity a government website must show (政府网站发展指引):
// its name, the unit that runs it (主办单位), its 网站标识码, its ICP and
// public-security filing numbers and how to reach it. The pages show it in
// the header and footer.
type Site struct {
	Name     string `yaml:"name"`      // the site's name; default 政务公开查询
	Sponsor  string `yaml:"sponsor"`   // 主办单位, e.g. 康大营镇人民政府
	SiteCode string `yaml:"site_code"` // 网站标识码, 10 digits
	ICP      string `yaml:"icp"`       // ICP 备案号, e.g. 冀ICP备12345678号-1
	PSB      string `yaml:"psb"`       // 公安机关备案号, e.g. 冀公网安备 13010202000001号
	Contact  string `yaml:"contact"`   // 联系方式 (telephone, address, e-mail) as one line
}

// DefaultSiteName is the site's name unless configured.
const DefaultSiteName = "政务公开查询"

var (
	siteCodeRE = regexp.MustCompile(`^\d{10}$`)
	psbNumber  = regexp.MustCompile(`\d{10,}`)
)

// PSBCode is the record number inside the 公安备案号 (the digits the
// national filing site looks up), or "".
func (s Site) PSBCode() string { return psbNumber.FindString(s.PSB) }

func (c *Config) validateSite(add addFunc) {
	s := c.Site
	if s.SiteCode != "" && !siteCodeRE.MatchString(s.SiteCode) {
		add("site.site_code", "%q is not a 网站标识码 (10 digits)", s.SiteCode)
	}
	if s.ICP != "" && !strings.Contains(s.ICP, "ICP") {
		add("site.icp", "%q is not an ICP 备案号 (like 冀ICP备12345678号-1)", s.ICP)
	}
	if s.PSB != "" && s.PSBCode() == "" {
		add("site.psb", "%q holds no record number (like 冀公网安备 13010202000001号)", s.PSB)
	}
}
