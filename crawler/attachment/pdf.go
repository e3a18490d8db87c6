package attachment

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	pdferrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// pdfMemoryPages caps the memory of one PDFium instance: 8192 pages of
// 64 KiB, 512 MiB. A document that needs more fails instead of taking the
// machine's memory.
const pdfMemoryPages = 8192

// instanceWait bounds the wait for a free PDFium instance.
const instanceWait = 2 * time.Minute

// engine is PDFium compiled to WebAssembly, run by wazero (pure Go). It is
// started once per process, on first use, and shared: each extraction
// borrows an instance of the module, at most one per CPU at a time.
type engine struct {
	once sync.Once
	pool pdfium.Pool
	err  error
}

var pdfEngine engine

// Prepare starts the PDF engine if it is not running, so that the first
// PDF does not wait for it: compiling the module takes about 20 s on a
// busy 2-core machine the first time, about 1 s when the compiled code is
// in the cache (the user cache directory, gongkai/pdfium-wazero).
func Prepare() error {
	_, err := pdfEngine.get()
	return err
}

func (e *engine) get() (pdfium.Pool, error) {
	e.once.Do(func() {
		rc := wazero.NewRuntimeConfig().
			WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
			WithCloseOnContextDone(true).
			WithMemoryLimitPages(pdfMemoryPages)
		if dir, err := os.UserCacheDir(); err == nil {
			if cache, err := wazero.NewCompilationCacheWithDir(filepath.Join(dir, "gongkai", "pdfium-wazero")); err == nil {
				rc = rc.WithCompilationCache(cache)
			}
		}
		e.pool, e.err = webassembly.Init(webassembly.Config{
			MinIdle:       0,
			MaxIdle:       1,
			MaxTotal:      runtime.GOMAXPROCS(0),
			RuntimeConfig: rc,
			FSConfig:      wazero.NewFSConfig(), // no file system: documents come as bytes
			Stdout:        io.Discard,
			Stderr:        io.Discard,
		})
		if e.err != nil {
			e.err = fmt.Errorf("启动 PDF 引擎失败：%w", e.err)
		}
	})
	return e.pool, e.err
}

// pdfText writes the text of each page, pages separated by a form feed
// line, and returns the page count. Extraction stops at lim.MaxPages pages
// or when out is full. The instance is killed when ctx ends, which stops
// PDFium inside whatever call it is running.
func pdfText(ctx context.Context, data []byte, lim Limits, out *textBuf) (pages int, err error) {
	pool, err := pdfEngine.get()
	if err != nil {
		return 0, err
	}
	// The pool leaks an instance whose creation is cut short by its
	// context, so borrowing waits under its own limit, not the file's;
	// an instance that comes after the file's time is up goes back.
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), instanceWait)
	inst, err := pool.GetInstanceWithContext(bctx)
	cancel()
	if err != nil {
		return 0, fmt.Errorf("等待 PDF 引擎：%w", err)
	}
	if err := ctx.Err(); err != nil {
		inst.Close()
		return 0, err
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
			inst.Kill()
		case <-done:
		}
	}()
	defer func() {
		if ctx.Err() == nil {
			inst.Close()
		}
	}()
	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	switch {
	case errors.Is(err, pdferrors.ErrPassword):
		return 0, errors.New("PDF 已加密，需要密码才能打开")
	case err != nil:
		return 0, fmt.Errorf("PDF 无法解析（%v）", err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return 0, fmt.Errorf("读取 PDF 页数失败：%w", err)
	}
	for i := 0; i < min(count.PageCount, lim.MaxPages) && !out.full(); i++ {
		if err := ctx.Err(); err != nil {
			return count.PageCount, err
		}
		text, err := pageText(inst, doc.Document, i)
		if err != nil {
			return count.PageCount, fmt.Errorf("读取 PDF 第 %d 页失败：%w", i+1, err)
		}
		if i > 0 {
			out.line()
			out.WriteString("\f\n")
		}
		out.WriteString(normalizeLines(text))
	}
	return count.PageCount, nil
}

// pageText reads the text layer of page i in one call (go-pdfium's
// GetPageText crosses into the module once per character, several times
// slower).
func pageText(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, i int) (string, error) {
	page, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: doc, Index: i})
	if err != nil {
		return "", err
	}
	defer inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: page.Page})
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: requests.Page{ByReference: &page.Page}})
	if err != nil {
		return "", err
	}
	defer inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
	n, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil || n.Count <= 0 {
		return "", err
	}
	t, err := inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, Count: n.Count})
	if err != nil {
		return "", err
	}
	return t.Text, nil
}

// normalizeLines turns PDFium's CRLF line ends into LF and drops the
// control characters it reports for soft hyphens and unknown glyphs.
func normalizeLines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF:
			return -1
		}
		return r
	}, s)
}

// waitEngine starts the PDF engine, waiting at most until ctx ends. The
// start is not charged to an extraction's time limit: it happens once.
func waitEngine(ctx context.Context) error {
	done := make(chan error, 1)
	go func() { _, err := pdfEngine.get(); done <- err }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("等待 PDF 引擎启动：%w", ctx.Err())
	}
}
