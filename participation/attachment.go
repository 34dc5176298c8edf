package participation

import (
	"archive/zip"
	"bytes"
	"io"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxAttachmentSize is the largest attachment, in bytes (20 MiB).
const MaxAttachmentSize = 20 << 20

// Attachment types: the content types of what a statement request may
// carry, decided by the content, never by the name.
const (
	ContentTypePDF  = "application/pdf"
	ContentTypeODT  = "application/vnd.oasis.opendocument.text"
	ContentTypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	ContentTypeTXT  = "text/plain" // always UTF-8
)

// AttachmentFilenameMax is the longest file name kept, in characters.
const AttachmentFilenameMax = 200

// Attachment is a document of a statement request: the draft being
// commented on, a memorandum. Its bytes are kept in the database.
type Attachment struct {
	ID          int64     `json:"id" db:"id"`
	RequestID   int64     `json:"request_id" db:"request_id"`
	Filename    string    `json:"filename" db:"filename"`
	Size        int64     `json:"size" db:"size"`
	ContentType string    `json:"content_type" db:"content_type"`
	CreatedAt   time.Time `json:"created_at" db:"created_at"`
	// Data is the file, loaded only for a download.
	Data []byte `json:"-" db:"data"`
}

// NewAttachment is an uploaded file: the name the browser gave and the bytes.
type NewAttachment struct {
	Filename string
	Data     []byte
}

// Check returns the attachment to store: its name made safe and its type
// decided by the content. Over MaxAttachmentSize is ETOOLARGE; an empty
// file or one of another type (an executable named .pdf) is EINVALID.
func (n *NewAttachment) Check() (*Attachment, error) {
	if len(n.Data) > MaxAttachmentSize {
		return nil, Errorf(ETOOLARGE, "An attachment may be at most 20 MiB.")
	}
	f := FieldErrors{}
	ctype := ""
	if len(n.Data) == 0 {
		f.Add("file", RuleRequired, 0)
	} else if ctype = AttachmentType(n.Data); ctype == "" {
		f.Add("file", RuleChoice, 0)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return &Attachment{Filename: SafeFilename(n.Filename), Size: int64(len(n.Data)), ContentType: ctype, Data: n.Data}, nil
}

// AttachmentType returns the content type of data when it is one that
// statement requests take, else "": a PDF starts with %PDF-; an ODT text
// is a zip whose first entry is "mimetype" saying so; a DOCX is a zip with
// [Content_Types].xml and a word/ folder; a text is valid UTF-8 without NUL.
func AttachmentType(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return ContentTypePDF
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return zipType(data)
	case len(data) > 0 && utf8.Valid(data) && bytes.IndexByte(data, 0) < 0:
		return ContentTypeTXT
	}
	return ""
}

// zipType tells an ODT text and a DOCX document apart from other zip
// files by their directories; only the ODT's small mimetype entry is read.
func zipType(data []byte) string {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || len(z.File) == 0 {
		return ""
	}
	if first := z.File[0]; first.Name == "mimetype" {
		rc, err := first.Open()
		if err != nil {
			return ""
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, 100))
		if err == nil && strings.TrimSpace(string(b)) == ContentTypeODT {
			return ContentTypeODT
		}
		return ""
	}
	var types, word bool
	for _, f := range z.File {
		types = types || f.Name == "[Content_Types].xml"
		word = word || strings.HasPrefix(f.Name, "word/")
	}
	if types && word {
		return ContentTypeDOCX
	}
	return ""
}

// SafeFilename returns the last part of a browser's file name without
// control and format characters or quotes, at most AttachmentFilenameMax
// characters, for a Content-Disposition header and a page; "attachment"
// when nothing is left.
func SafeFilename(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.In(r, unicode.Cf) || r == '"' || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > AttachmentFilenameMax {
		name = string(r[len(r)-AttachmentFilenameMax:])
	}
	if name == "" || name == "." || name == "/" || name == ".." {
		return "attachment"
	}
	return name
}
