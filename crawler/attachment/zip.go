package attachment

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// errTooLarge marks input whose decompressed size passes the limit.
var errTooLarge = errors.New("too large")

// openZip reads data's zip directory and refuses a package whose entries
// together inflate to more than 4 × lim.MaxBytes. The sizes are the
// directory's, which archive/zip holds every entry to when reading it
// (more bytes are an error), so a bomb cannot hide behind small claims.
func openZip(data []byte, lim Limits) (*zip.Reader, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("读取 zip 目录失败：%w", err)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if limit := uint64(lim.MaxBytes) * 4; total > limit {
		return nil, fmt.Errorf("压缩包解压后共 %d 字节，超过上限 %d 字节（疑似压缩炸弹）：%w", total, limit, errTooLarge)
	}
	return zr, nil
}

// zipEntry finds name in zr, ignoring case and a leading slash (OFD
// writers differ on both).
func zipEntry(zr *zip.Reader, name string) *zip.File {
	name = strings.TrimPrefix(name, "/")
	for _, f := range zr.File {
		if strings.EqualFold(strings.TrimPrefix(f.Name, "/"), name) {
			return f
		}
	}
	return nil
}

// readEntry decompresses f, at most limit bytes: a larger entry (a zip
// bomb, whatever its directory claims) gives errTooLarge.
func readEntry(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("打开 %s 失败：%w", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("解压 %s 失败：%w", f.Name, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s 解压后超过 %d 字节（疑似压缩炸弹）：%w", f.Name, limit, errTooLarge)
	}
	return b, nil
}
