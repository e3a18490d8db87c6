package demo

// attachment is a file a document links.
type attachment struct {
	Name string // link text: the file name with its extension
	Ext  string // pdf, docx or xlsx
	Path string
}
