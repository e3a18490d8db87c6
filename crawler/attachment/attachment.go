// Package attachment detects the type of an attachment (PDF, Word, Excel,
// WPS, OFD, text, HTML) from its bytes and extracts its text, bounded in
// time and memory: Extract never panics and never blocks its caller past
// the time limit.
package attachment

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Type is an attachment's format, detected from its bytes.
type Type string

// The formats Detect tells apart; Unknown is anything else.
const (
	Unknown Type = ""
	PDF     Type = "pdf"
	DOCX    Type = "docx"
	XLSX    Type = "xlsx"
	DOC     Type = "doc"
	XLS     Type = "xls"
	WPS     Type = "wps"
	OFD     Type = "ofd"
	TXT     Type = "txt"
	HTML    Type = "html"
)

// State says what extraction gave.
type State string

// The states of an extraction. ImageOnly is a document with pages but no
// text layer (a scan), shown to residents as 图片版，无文字.
const (
	Extracted   State = "extracted"
	ImageOnly   State = "image_only"
	Failed      State = "failed"
	Unsupported State = "unsupported"
	TooLarge    State = "too_large"
)

// Label is the state as shown to residents and staff.
func (s State) Label() string {
	switch s {
	case Extracted:
		return "已提取文字"
	case ImageOnly:
		return "图片版，无文字"
	case Failed:
		return "提取失败"
	case Unsupported:
		return "格式不支持"
	case TooLarge:
		return "文件过大"
	}
	return string(s)
}

// Result is the outcome of one extraction. Reason says what failed (empty
// when State is Extracted); Truncated is set when Text was cut at MaxText
// (or a PDF at MaxPages). Pages is the page count of a PDF; in Text, a
// line holding only a form feed (\f) separates its pages.
type Result struct {
	Type      Type   `json:"type"`
	Text      string `json:"text"`
	Pages     int    `json:"pages"`
	State     State  `json:"state"`
	Reason    string `json:"reason,omitempty"`
	Truncated bool   `json:"truncated,omitempty"`
}

// Limits bound one extraction. Zero fields take the defaults below.
type Limits struct {
	// Timeout is the wall time Extract waits for a result (default 30 s).
	Timeout time.Duration
	// MaxBytes is the largest input accepted (default 20 MB); larger
	// input gives TooLarge without being parsed. It also caps the bytes
	// decompressed from any one zip entry or PDF stream.
	MaxBytes int64
	// MaxText is the most text kept, in bytes of UTF-8 (default 4 MB).
	MaxText int
	// MaxPages is the most PDF or OFD pages read (default 2000); Pages
	// still counts them all.
	MaxPages int
}

// The defaults of Limits.
const (
	DefaultTimeout  = 30 * time.Second
	DefaultMaxBytes = 20 << 20
	DefaultMaxText  = 4 << 20
	DefaultMaxPages = 2000
)

func (l Limits) withDefaults() Limits {
	if l.Timeout <= 0 {
		l.Timeout = DefaultTimeout
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxText <= 0 {
		l.MaxText = DefaultMaxText
	}
	if l.MaxPages <= 0 {
		l.MaxPages = DefaultMaxPages
	}
	return l
}

// errUnsupported marks a format that is recognised but not read.
var errUnsupported = errors.New("暂不支持提取这种格式的文字")

// Extract detects data's type and extracts its text. It returns within
// lim.Timeout (or when ctx ends), whatever the input: a parser that runs
// past the limit is abandoned (it stops at its next check of the context)
// and the result says Failed with the reason. Panics in parsers become
// Failed results. A PDF is read by the pure-Go fast path and, when that
// path cannot vouch for its text, by PDFium, within the same limit (the
// one-time start of PDFium is not counted).
func Extract(ctx context.Context, data []byte, name string, lim Limits) Result {
	lim = lim.withDefaults()
	typ := Detect(data, name)
	if int64(len(data)) > lim.MaxBytes {
		return Result{Type: typ, State: TooLarge,
			Reason: fmt.Sprintf("文件 %d 字节，超过上限 %d 字节", len(data), lim.MaxBytes)}
	}
	if typ == Unknown {
		return Result{State: Unsupported, Reason: "无法识别的文件格式"}
	}
	if typ != PDF {
		return bounded(ctx, typ, lim.Timeout, lim.Timeout, func(ctx context.Context) (Result, error) {
			return safeExtract(ctx, typ, lim, func(ctx context.Context, out *textBuf) (int, error) {
				return parse(ctx, typ, data, lim, out)
			})
		}).Result
	}
	return extractPDF(ctx, data, lim, waitEngine)
}

// extractPDF reads a PDF by the fast path and, when it hands the file on,
// by PDFium once wait has started the engine; the time wait takes is not
// charged to lim.Timeout.
func extractPDF(ctx context.Context, data []byte, lim Limits, wait func(context.Context) error) Result {
	start := time.Now()
	r := bounded(ctx, PDF, lim.Timeout, lim.Timeout, func(ctx context.Context) (Result, error) {
		return safeExtract(ctx, PDF, lim, func(ctx context.Context, out *textBuf) (int, error) {
			return fastPDF(ctx, data, lim, out)
		})
	})
	if !r.fellBack {
		return r.Result
	}
	spent := time.Since(start)
	if err := wait(ctx); err != nil {
		return Result{Type: PDF, State: Failed, Reason: err.Error()}
	}
	return bounded(ctx, PDF, lim.Timeout, lim.Timeout-spent, func(ctx context.Context) (Result, error) {
		return safeExtract(ctx, PDF, lim, func(ctx context.Context, out *textBuf) (int, error) {
			return pdfText(ctx, data, lim, out)
		})
	}).Result
}

// outcome is a Result and whether the PDF fast path handed the file on.
type outcome struct {
	Result
	fellBack bool
}

// bounded runs extract in a goroutine and waits at most left, what remains
// of the extraction's limit (or until ctx ends), for its result; a timeout
// names the whole limit.
func bounded(ctx context.Context, typ Type, limit, left time.Duration, extract func(context.Context) (Result, error)) outcome {
	ctx, cancel := context.WithTimeout(ctx, max(left, time.Nanosecond))
	defer cancel()
	done := make(chan outcome, 1)
	go func() {
		r, err := extract(ctx)
		done <- outcome{r, isFallback(err)}
	}()
	var r outcome
	select {
	case r = <-done:
		if r.State != Failed || ctx.Err() == nil {
			return r
		}
		// The parser saw the limit before this select did.
	case <-ctx.Done():
	}
	reason := fmt.Sprintf("提取超时（%s）", limit)
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		reason = "提取被取消：" + ctx.Err().Error()
	}
	return outcome{Result: Result{Type: typ, State: Failed, Reason: reason}}
}

// safeExtract runs parser and turns its error or panic into a Result; the
// error is returned as well.
func safeExtract(ctx context.Context, typ Type, lim Limits, parser func(context.Context, *textBuf) (int, error)) (res Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res = Result{Type: typ, State: Failed,
				Reason: fmt.Sprintf("解析 %s 时出错（%v）", typ, p)}
		}
	}()
	out := &textBuf{max: lim.MaxText}
	pages, err := parser(ctx, out)
	res = Result{Type: typ, Pages: pages, Truncated: out.truncated}
	switch {
	case errors.Is(err, errUnsupported):
		res.State, res.Reason = Unsupported, err.Error()
	case errors.Is(err, errTooLarge):
		res.State, res.Reason = TooLarge, err.Error()
	case err != nil:
		res.State, res.Reason = Failed, err.Error()
	default:
		res.Text = out.String()
		res.State = Extracted
		if strings.TrimSpace(res.Text) == "" && pages > 0 && (typ == PDF || typ == OFD) {
			res.State, res.Reason = ImageOnly, "没有文字层（扫描件或图片）"
		}
	}
	return res, err
}

// parse dispatches on the detected type (PDFs go through Extract's two
// paths).
func parse(ctx context.Context, typ Type, data []byte, lim Limits, out *textBuf) (pages int, err error) {
	switch typ {
	case OFD:
		return ofdText(ctx, data, lim, out)
	case DOCX:
		return 0, docxText(ctx, data, lim, out)
	case DOC:
		return 0, docText(ctx, data, lim, out)
	case WPS:
		if isZip(data) {
			return 0, docxText(ctx, data, lim, out)
		}
		return 0, docText(ctx, data, lim, out)
	case XLSX:
		return 0, xlsxText(ctx, data, lim, out)
	case XLS:
		return 0, xlsText(ctx, data, lim, out)
	case TXT:
		return 0, plainText(data, out)
	case HTML:
		return 0, htmlText(data, out)
	}
	return 0, fmt.Errorf("%s：%w", typ, errUnsupported)
}

// textBuf collects extracted text up to max bytes, dropping the rest.
type textBuf struct {
	strings.Builder
	max       int
	truncated bool
}

// WriteString appends s, cut at a rune boundary when the buffer is full.
func (b *textBuf) WriteString(s string) (int, error) {
	room := b.max - b.Len()
	if room <= 0 {
		if s != "" {
			b.truncated = true
		}
		return 0, nil
	}
	if len(s) > room {
		b.truncated = true
		for room > 0 && !utf8.RuneStart(s[room]) {
			room--
		}
		s = s[:room]
	}
	return b.Builder.WriteString(s)
}

// full reports whether more text would be dropped.
func (b *textBuf) full() bool { return b.Len() >= b.max }

// line ends the current line unless the text is empty or already ends one.
func (b *textBuf) line() {
	if n := b.Len(); n > 0 && b.String()[n-1] != '\n' {
		b.WriteString("\n")
	}
}
