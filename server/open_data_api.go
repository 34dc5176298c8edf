package server

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// openDataAPI registers the open data export of API.md ("Open data"),
// when the server has an OpenData service.
func (s *Server) openDataAPI(api fiber.Router) {
	if s.svc.OpenData == nil {
		return
	}
	api.Get("/processes/:slug/export.zip", s.apiOpenDataExport)
}

// openDataFilename is the name a process's export is saved under.
func openDataFilename(slug string) string { return slug + "-open-data.zip" }

// apiOpenDataExport answers a process's public items as a ZIP of CSV files
// and manifest.json. The items are read first, in one snapshot, so that an
// error is still a JSON error; the ZIP is then streamed to the response.
func (s *Server) apiOpenDataExport(c *fiber.Ctx) error {
	slug := copyString(c.Params("slug"))
	d, err := s.svc.OpenData.ExportOpenData(c.UserContext(), slug)
	if err != nil {
		return err
	}
	c.Attachment(openDataFilename(slug))
	c.Set(fiber.HeaderContentType, "application/zip")
	log := s.log
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		if err := writeOpenData(w, d); err != nil {
			// The status is sent; a client sees a broken ZIP.
			log.Warn("open data export", "process", slug, "err", err)
		}
	})
	return nil
}

// writeOpenData writes the export as a ZIP: manifest.json, then each CSV
// file (UTF-8, a header row, then the rows).
func writeOpenData(w io.Writer, d *participation.OpenData) error {
	z := zip.NewWriter(w)
	create := func(name string) (io.Writer, error) {
		return z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: d.ExportedAt})
	}
	f, err := create("manifest.json")
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d.Manifest()); err != nil {
		return err
	}
	for _, t := range d.Tables {
		f, err := create(t.File.Name)
		if err != nil {
			return err
		}
		cw := csv.NewWriter(f)
		if err := cw.Write(t.File.Header()); err != nil {
			return err
		}
		if err := cw.WriteAll(t.Rows); err != nil {
			return err
		}
	}
	return z.Close()
}
