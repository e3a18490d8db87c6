package demo

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"hash/fnv"
	"math/rand/v2"

	"github.com/xuri/excelize/v2"

	"github.com/gongkai-project/gongkai/internal/pdfwrite"
)

// Attachments whose content the page does not repeat: a recipient list, a
// work plan, a scanned page. Each is drawn from a generator seeded by its
// title, so the township's other random draws stay as they were.

// seeded returns a generator seeded by s.
func seeded(s string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(s))
	return rand.New(rand.NewPCG(h.Sum64(), 0x6b6f6e676b6169))
}

// Names of the recipient lists: a surname and one or two given characters.
var (
	surnames   = []rune("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	givenChars = []rune("秀桂兰凤英玉珍淑芝翠春梅德福贵成宝山林海军国庆永长建明志金银富荣茂盛生发广才义双喜振兴俊")
)

// recipientRow is one household of a recipient list.
type recipientRow struct {
	Village, Name string
	People, Money int // people in the household; monthly payment in yuan
}

// recipients returns the households of a recipient list, drawn from its title.
func recipients(title string) []recipientRow {
	r := seeded(title)
	rows := make([]recipientRow, 8+r.IntN(10))
	for i := range rows {
		name := string(surnames[r.IntN(len(surnames))]) + string(givenChars[r.IntN(len(givenChars))])
		if r.IntN(4) > 0 {
			name += string(givenChars[r.IntN(len(givenChars))])
		}
		people := 1 + r.IntN(5)
		rows[i] = recipientRow{Village: villages[r.IntN(len(villages))], Name: name, People: people, Money: people * (180 + 10*r.IntN(12))}
	}
	return rows
}

// recipientsFile is an XLSX recipient list made with excelize: the title in
// A1, a header row, one row per household and the total.
func recipientsFile(title string, rows []recipientRow) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	set := func(row int, values ...any) error { return f.SetSheetRow(sheet, fmt.Sprintf("A%d", row), &values) }
	if err := set(1, title); err != nil {
		return nil, err
	}
	if err := set(2, "序号", "村名", "户主姓名", "保障人数", "月保障金额（元）"); err != nil {
		return nil, err
	}
	total := 0
	for i, h := range rows {
		if err := set(i+3, i+1, h.Village, h.Name, h.People, h.Money); err != nil {
			return nil, err
		}
		total += h.Money
	}
	if err := set(len(rows)+3, "", "合计", "", "", total); err != nil {
		return nil, err
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// planSteps are the sections of a work plan; one wording of each is drawn.
var planSteps = [][]string{
	{"一、工作目标。全面摸清全镇农村住房安全底数，建立危房台账，做到户户有档案、村村有清册。",
		"一、工作目标。对全镇农户住房逐户排查，摸清存量危房户数、等级和户主家庭情况，为年度改造计划提供依据。"},
	{"二、调查范围。各行政村全部农户住房，重点是建档立卡贫困户、分散供养特困人员和贫困残疾人家庭的住房。",
		"二、调查范围。全镇农户自有住房，优先核查独居老人、留守儿童家庭和土坯房、石砌房农户。"},
	{"三、方法步骤。村两委组织网格员入户登记，拍摄房屋正面、侧面和内部照片，填写农村住房安全排查登记表。",
		"三、方法步骤。由包村干部带领村级信息员逐户走访，现场填写排查登记表，户主签字确认后交镇村建办汇总。"},
	{"四、时间安排。动员部署阶段一周，入户排查阶段三周，审核汇总阶段两周，月底前报送县住建局。",
		"四、时间安排。第一阶段入户排查，第二阶段镇级复核，第三阶段建立台账并上报。"},
	{"五、工作要求。各村要明确专人负责，确保数据真实准确，对弄虚作假、漏报瞒报的严肃追责。",
		"五、工作要求。排查结果在村务公开栏公示七天，接受群众监督，群众有异议的由镇村建办复核。"},
}

// planParas are the paragraphs of a work plan, drawn from its title.
func planParas(title string) []string {
	r := seeded(title)
	out := make([]string, len(planSteps))
	for i, s := range planSteps {
		out[i] = s[r.IntN(len(s))]
	}
	return out
}

// pdfNote is the closing line a text PDF adds to the page's paragraphs.
func pdfNote(title string) string {
	r := seeded(title)
	return fmt.Sprintf("附注：本说明经镇党委会议审议通过，共印%d份，存档编号%04d。", 10+r.IntN(30), r.IntN(10000))
}

// scanFile is a one-page PDF holding only a picture (a grey page with dark
// lines, as a scanner makes of a signed form): no font, no text layer.
func scanFile(title string) []byte {
	const w, h = 120, 170
	r := seeded(title)
	pix := bytes.Repeat([]byte{235}, w*h)
	for y := 20; y < h-20; y += 12 {
		for x := 10; x < w-10; x++ {
			pix[y*w+x] = byte(40 + r.IntN(40))
		}
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(pix)
	zw.Close()
	content := "q 500 0 0 708 48 67 cm /Im1 Do Q\n"
	return pdfwrite.Objects([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
		stream(content),
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream",
			w, h, z.Len(), z.String()),
	})
}
