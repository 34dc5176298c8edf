package server

// Static files (CSS, scripts, the icon) are served from memory under names
// that carry a hash of their content: {{static "css/site.css"}} in a
// template gives /static/css/site.<hash8>.css. Why: such a name changes
// whenever the file does, so browsers may keep it for a year without asking
// again (immutable), and a new version of the server names new files, never
// stale ones. The plain names still answer, with a short cache, for whoever
// names a file without the template: a page cached before a release, a
// browser that remembers the icon. A name with a hash that is not the file's
// (a page from an older or newer release, during a rolling deploy) gets the
// current file uncached, not a 404: the page keeps its styles, and no cache
// keeps that file under a name that promises other content. The scripts
// import no other scripts and the CSS names no other files (url(...)): the
// template function covers every reference.
//
// Each file is compressed once, when the server starts (New), with brotli and
// gzip at their best levels, instead of on each request.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"osallistu/frontend"
)

const (
	staticPrefix    = "/static/"
	staticHashLen   = 8
	cacheImmutable  = "public, max-age=31536000, immutable"
	cachePlainName  = "public, max-age=3600"
	cacheWrongHash  = "no-cache"
	minCompressSize = 200 // below this, compression gains nothing (fasthttp's own limit)
)

// staticFile is one file of frontend/static with its compressed copies.
type staticFile struct {
	hash      string // the content's hash, staticHashLen hex digits
	url       string // its fingerprinted address
	ctype     string
	body      []byte
	encodings []string          // the Content-Encodings it has copies in: br, then gzip
	packed    map[string][]byte // encoding → compressed copy
}

// staticFiles reads and compresses frontend/static once per process.
var staticFiles = sync.OnceValues(func() (map[string]*staticFile, error) {
	files := map[string]*staticFile{}
	err := fs.WalkDir(frontend.Static, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(frontend.Static, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		f := &staticFile{hash: hex.EncodeToString(sum[:])[:staticHashLen], body: body, ctype: mime.TypeByExtension(ext), packed: map[string][]byte{}}
		f.url = staticPrefix + strings.TrimSuffix(name, ext) + "." + f.hash + ext
		if len(body) >= minCompressSize {
			f.pack("br", fasthttp.AppendBrotliBytesLevel(nil, body, fasthttp.CompressBrotliBestCompression))
			f.pack("gzip", fasthttp.AppendGzipBytesLevel(nil, body, fasthttp.CompressBestCompression))
		}
		files[name] = f
		return nil
	})
	return files, err
})

// pack keeps a compressed copy if it is smaller than the file.
func (f *staticFile) pack(encoding string, packed []byte) {
	if len(packed) < len(f.body) {
		f.encodings = append(f.encodings, encoding)
		f.packed[encoding] = packed
	}
}

// staticURL is the template function static: the fingerprinted address of a
// file of frontend/static. An unknown name fails the page's rendering, which
// the render tests see.
func staticURL(name string) (string, error) {
	files, err := staticFiles()
	if err != nil {
		return "", err
	}
	f, ok := files[name]
	if !ok {
		return "", fmt.Errorf("static: no file %q", name)
	}
	return f.url, nil
}

// serveStatic answers GET and HEAD under /static/: a fingerprinted name for a
// year, a plain name for an hour, a wrong hash uncached; the body compressed
// as the request accepts.
func (s *Server) serveStatic(c *fiber.Ctx) error {
	files, err := staticFiles()
	if err != nil {
		return err
	}
	name := strings.TrimPrefix(c.Path(), staticPrefix)
	f, cache := files[name], cachePlainName
	if f == nil {
		f, cache = fingerprinted(files, name)
		if f == nil {
			return fiber.ErrNotFound
		}
	}
	c.Set(fiber.HeaderCacheControl, cache)
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	c.Set(fiber.HeaderETag, `W/"`+f.hash+`"`)
	if c.Fresh() {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, f.ctype)
	// The smallest copy the request accepts (q above 0), whatever its order
	// of preference among them, as fasthttp's compressor chooses for pages.
	// Without Accept-Encoding, fiber would accept any: then none.
	if c.Get(fiber.HeaderAcceptEncoding) != "" {
		for _, enc := range f.encodings {
			if c.AcceptsEncodings(enc) == enc {
				c.Set(fiber.HeaderContentEncoding, enc)
				return c.Send(f.packed[enc])
			}
		}
	}
	return c.Send(f.body)
}

// fingerprinted finds the file a fingerprinted name stands for
// (css/site.<hash>.css), and its cache: a year if the hash is the file's,
// none if it is another's.
func fingerprinted(files map[string]*staticFile, name string) (*staticFile, string) {
	ext := path.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	dot := strings.LastIndexByte(stem, '.')
	if dot < 0 || !isHex(stem[dot+1:], staticHashLen) {
		return nil, ""
	}
	f := files[stem[:dot]+ext]
	switch {
	case f == nil:
		return nil, ""
	case f.hash == stem[dot+1:]:
		return f, cacheImmutable
	default:
		return f, cacheWrongHash
	}
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
