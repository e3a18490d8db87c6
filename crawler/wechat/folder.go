package wechat

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Folder lists the saved article pages (*.html, *.htm) of a folder and
// its sub-folders, in path order.
func Folder(dir string) ([]Item, error) {
	if dir == "" {
		return nil, fmt.Errorf("a folder source needs a path")
	}
	var out []Item
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		ext := strings.ToLower(filepath.Ext(p))
		if !d.IsDir() && (ext == ".html" || ext == ".htm") {
			out = append(out, Item{File: p})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read folder %s: %w", dir, err)
	}
	slices.SortFunc(out, func(a, b Item) int { return strings.Compare(a.File, b.File) })
	return out, nil
}
