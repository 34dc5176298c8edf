package server_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net"
	"net/http"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/valyala/fasthttp"

	"osallistu/frontend"
)

// staticPath is a static file's fingerprinted address, worked out here from
// the file's content: the first 8 hex digits of its SHA-256.
func staticPath(t testing.TB, name string) string {
	t.Helper()
	b, err := fs.ReadFile(frontend.Static, name)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	ext := path.Ext(name)
	return "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:8] + ext
}

func staticFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(frontend.Static, name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decoded is a response's body undone from its Content-Encoding.
func decoded(t testing.TB, r response) []byte {
	t.Helper()
	var (
		b   []byte
		err error
	)
	switch enc := r.header.Get("Content-Encoding"); enc {
	case "":
		return r.body
	case "br":
		b, err = fasthttp.AppendUnbrotliBytes(nil, r.body)
	case "gzip":
		b, err = fasthttp.AppendGunzipBytes(nil, r.body)
	default:
		t.Fatalf("Content-Encoding %q", enc)
	}
	if err != nil {
		t.Fatalf("undo %s: %v", r.header.Get("Content-Encoding"), err)
	}
	return b
}

func (r response) wantHeader(t testing.TB, name, want string) response {
	t.Helper()
	if got := r.header.Get(name); got != want {
		t.Errorf("%s: %q, want %q", name, got, want)
	}
	return r
}

func TestStaticFingerprinted(t *testing.T) {
	ts := newTestServer(t)
	css := staticFile(t, "css/site.css")
	cssURL := staticPath(t, "css/site.css")

	t.Run("PagesNameFingerprintedFiles", func(t *testing.T) {
		page := string(ts.client("").get("/").want(t, 200).body)
		for _, name := range []string{"css/site.css", "favicon.svg"} {
			if !strings.Contains(page, `"`+staticPath(t, name)+`"`) {
				t.Errorf("the front page does not name %s", staticPath(t, name))
			}
		}
		if plain := regexp.MustCompile(`"/static/[^"]*"`).FindAllString(page, -1); len(plain) != 3 {
			t.Errorf("static references %v, want the stylesheet and the icon twice", plain)
		}
	})
	t.Run("FingerprintedForAYear", func(t *testing.T) {
		r := ts.do("GET", cssURL, nil, "").want(t, 200).
			wantHeader(t, "Cache-Control", "public, max-age=31536000, immutable").
			wantHeader(t, "Content-Type", "text/css; charset=utf-8")
		if !bytes.Equal(r.body, css) {
			t.Errorf("body of %d bytes, want site.css's %d", len(r.body), len(css))
		}
		js := staticPath(t, "js/live.js")
		ts.do("GET", js, nil, "").want(t, 200).wantHeader(t, "Content-Type", "text/javascript; charset=utf-8")
		ts.do("HEAD", js, nil, "").want(t, 200)
	})
	t.Run("PlainNameForAnHour", func(t *testing.T) {
		r := ts.do("GET", "/static/css/site.css", nil, "").want(t, 200).wantHeader(t, "Cache-Control", "public, max-age=3600")
		if !bytes.Equal(r.body, css) {
			t.Error("the plain name serves another body")
		}
		ts.do("GET", "/static/favicon.svg", nil, "").want(t, 200).wantHeader(t, "Content-Type", "image/svg+xml")
	})
	t.Run("WrongHashUncached", func(t *testing.T) {
		r := ts.do("GET", "/static/css/site.00000000.css", nil, "").want(t, 200).wantHeader(t, "Cache-Control", "no-cache")
		if !bytes.Equal(r.body, css) {
			t.Error("a wrong hash serves another body")
		}
	})
	t.Run("NotFound", func(t *testing.T) {
		for _, p := range []string{"/static/css/none.css", "/static/css/none.00000000.css", "/static/css/site.0000.css", "/static/css/site.zzzzzzzz.css", "/static/", "/static/css"} {
			ts.do("GET", p, nil, "").want(t, 404)
		}
	})
	t.Run("NotModified", func(t *testing.T) {
		etag := ts.do("GET", cssURL, nil, "").want(t, 200).header.Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		ts.do("GET", cssURL, nil, "", "If-None-Match", etag).want(t, 304)
		ts.do("GET", cssURL, nil, "", "If-None-Match", `W/"00000000"`).want(t, 200)
	})
	t.Run("CompressedOnce", func(t *testing.T) {
		for _, c := range []struct{ accept, want string }{
			{"", ""}, {"gzip, deflate, br", "br"}, {"gzip", "gzip"}, {"br;q=0.5, gzip", "br"}, {"br;q=0, gzip", "gzip"}, {"br;q=0, gzip;q=0", ""}, {"identity", ""},
		} {
			r := ts.do("GET", cssURL, nil, "", "Accept-Encoding", c.accept).want(t, 200).
				wantHeader(t, "Content-Encoding", c.want).wantHeader(t, "Vary", "Accept-Encoding")
			if !bytes.Equal(decoded(t, r), css) {
				t.Errorf("Accept-Encoding %q: the body does not decode to site.css", c.accept)
			}
			if c.want != "" && len(r.body) > len(css)/3 {
				t.Errorf("Accept-Encoding %q: %d bytes of %d", c.accept, len(r.body), len(css))
			}
		}
	})
}

// TestCompression checks that pages, JSON and error pages come compressed
// when the request accepts it, and only then.
func TestCompression(t *testing.T) {
	ts := newTestServer(t)
	for _, c := range []struct {
		path, ctype, contains string
		status                int
	}{
		{"/", "text/html; charset=utf-8", "<!doctype html>", 200},
		{"/no-such-page", "text/html; charset=utf-8", "<!doctype html>", 404},
		{"/api/v1/openapi.json", "application/json; charset=utf-8", `"openapi"`, 200},
	} {
		// Pages and JSON are made on each request: gzip, not brotli (compress).
		for asked, enc := range map[string]string{"gzip, deflate, br, zstd": "gzip", "gzip": "gzip", "br": "", "": ""} {
			r := ts.do("GET", c.path, nil, "", "Accept-Encoding", asked).want(t, c.status).
				wantHeader(t, "Content-Encoding", enc).wantHeader(t, "Content-Type", c.ctype)
			if body := decoded(t, r); !bytes.Contains(body, []byte(c.contains)) {
				t.Errorf("%s with Accept-Encoding %q: no %s in %.100q", c.path, enc, c.contains, body)
			}
			if enc != "" && !strings.Contains(r.header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("%s: Vary %q", c.path, r.header.Get("Vary"))
			}
		}
	}
}

// BenchmarkStatic compares the stylesheet served as static.go does (copies
// compressed once) with fiber's compress middleware in front of its
// filesystem middleware (compressed on each request), as a browser asks:
// go test -run '^$' -bench Static ./server/
func BenchmarkStatic(b *testing.B) {
	perRequest := fiber.New()
	perRequest.Use(compress.New())
	perRequest.Use("/static", filesystem.New(filesystem.Config{Root: http.FS(frontend.Static)}))
	for _, c := range []struct {
		name string
		app  *fiber.App
		path string
	}{
		{"CompressedOnce", newTestServer(b).App, staticPath(b, "css/site.css")},
		{"CompressedPerRequest", perRequest, "/static/css/site.css"},
	} {
		for _, enc := range []string{"br", "gzip"} {
			b.Run(c.name+"/"+enc, func(b *testing.B) {
				handler := c.app.Handler()
				var ctx fasthttp.RequestCtx
				var req fasthttp.Request
				req.SetRequestURI(c.path)
				req.Header.Set("Accept-Encoding", enc)
				ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1234}, nil)
				size := 0
				for b.Loop() {
					handler(&ctx)
					if ctx.Response.StatusCode() != 200 || string(ctx.Response.Header.ContentEncoding()) != enc {
						b.Fatalf("%d %q", ctx.Response.StatusCode(), ctx.Response.Header.ContentEncoding())
					}
					size = len(ctx.Response.Body())
					ctx.Response.Reset()
				}
				b.ReportMetric(float64(size), "bytes/op")
			})
		}
	}
}
