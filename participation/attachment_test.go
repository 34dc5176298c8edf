package participation

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

// zipOf makes a zip with the named entries, in order, stored as given.
func zipOf(t *testing.T, entries ...[2]string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, e := range entries {
		w, err := z.CreateHeader(&zip.FileHeader{Name: e[0], Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e[1]))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestAttachmentType(t *testing.T) {
	odt := zipOf(t, [2]string{"mimetype", ContentTypeODT}, [2]string{"content.xml", "<office:document-content/>"})
	docx := zipOf(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"word/document.xml", "<w:document/>"})
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"PDF", []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj"), ContentTypePDF},
		{"ODT", odt, ContentTypeODT},
		{"DOCX", docx, ContentTypeDOCX},
		{"text", []byte("Lausunto: kannatamme.\nÅtagandet är bra.\n"), ContentTypeTXT},
		{"Windows executable", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 64)...), ""},
		{"ELF executable", []byte("\x7fELF\x02\x01\x01\x00\x00\x00"), ""},
		{"text with NUL", []byte("abc\x00def"), ""},
		{"not UTF-8", []byte("Lausunto \xe4\xe4"), ""},
		{"ODS spreadsheet", zipOf(t, [2]string{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}), ""},
		{"zip without word/", zipOf(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"xl/workbook.xml", ""}), ""},
		{"plain zip", zipOf(t, [2]string{"a.exe", "MZ"}), ""},
		{"broken zip", []byte("PK\x03\x04garbage"), ""},
		{"empty", nil, ""},
	} {
		if got := AttachmentType(tc.data); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestNewAttachmentCheck(t *testing.T) {
	a, err := (&NewAttachment{Filename: `C:\Users\maija\Luonnos "1".pdf`, Data: []byte("%PDF-1.4")}).Check()
	if err != nil {
		t.Fatal(err)
	}
	if a.Filename != "Luonnos 1.pdf" || a.Size != 8 || a.ContentType != ContentTypePDF {
		t.Errorf("%+v", a)
	}
	if _, err := (&NewAttachment{Filename: "virus.pdf", Data: []byte("MZ\x00\x00")}).Check(); ErrorCode(err) != EINVALID {
		t.Errorf("disguised executable: %v", err)
	}
	if _, err := (&NewAttachment{Filename: "empty.txt"}).Check(); ErrorCode(err) != EINVALID {
		t.Errorf("empty file: %v", err)
	}
	big := bytes.Repeat([]byte("a"), MaxAttachmentSize+1)
	if _, err := (&NewAttachment{Filename: "big.txt", Data: big}).Check(); ErrorCode(err) != ETOOLARGE {
		t.Errorf("too large: %v", err)
	}
	if _, err := (&NewAttachment{Filename: "max.txt", Data: big[1:]}).Check(); err != nil {
		t.Errorf("20 MiB exactly: %v", err)
	}
}

func TestSafeFilename(t *testing.T) {
	for in, want := range map[string]string{
		"lausunto.pdf":               "lausunto.pdf",
		"../../etc/passwd":           "passwd",
		"a\r\nContent-Type: x.pdf":   "aContent-Type: x.pdf",
		"\u202egnp.exe":              "gnp.exe",
		"":                           "attachment",
		"..":                         "attachment",
		"/":                          "attachment",
		strings.Repeat("a", 300):     strings.Repeat("a", AttachmentFilenameMax),
		"kansio/" + "Yhteenveto.odt": "Yhteenveto.odt",
	} {
		if got := SafeFilename(in); got != want {
			t.Errorf("SafeFilename(%q) = %q, want %q", in, got, want)
		}
	}
}
