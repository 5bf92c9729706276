package files_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"io"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/files"
)

func docx(t *testing.T) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml"} {
		w, _ := z.Create(name)
		_, _ = w.Write([]byte("<x/>"))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// odt is an OpenDocument text as LibreOffice writes it: the first entry,
// stored uncompressed, is "mimetype".
func odt(t *testing.T) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, _ := z.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	_, _ = w.Write([]byte("application/vnd.oasis.opendocument.text"))
	w, _ = z.Create("content.xml")
	_, _ = w.Write([]byte("<x/>"))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pngBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDetect(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want files.Kind
	}{
		{"pdf", []byte("%PDF-1.7\n1 0 obj"), files.PDF},
		{"png", pngBytes(t), files.PNG},
		{"docx", docx(t), files.DOCX},
		{"odt", odt(t), files.ODT},
		{"webp", []byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00"), files.WEBP},
		{"exe", []byte("MZ\x90\x00\x03\x00\x00\x00"), files.Kind{ContentType: "application/octet-stream"}},
		{"html", []byte("<html><script>alert(1)</script>"), files.Kind{ContentType: "text/html; charset=utf-8"}},
	}
	for _, c := range cases {
		if got := files.Detect(c.data); got.ContentType != c.want.ContentType {
			t.Errorf("%s: detected %q, want %q", c.name, got.ContentType, c.want.ContentType)
		}
	}
}

func TestSaveChecksContentNotName(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		munID := municipality(t, d)
		s := &files.Store{DB: d, Storage: files.Disk{Dir: t.TempDir()}, MaxSize: 1024}
		// An executable named .pdf is refused.
		if _, err := s.Save(ctx, munID, 0, "приказ.pdf", bytes.NewReader([]byte("MZ\x90\x00 pretending")), files.PDF); !errors.Is(err, files.ErrType) {
			t.Fatalf("disguised file: err = %v", err)
		}
		// Too large is refused.
		big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 2048)...)
		if _, err := s.Save(ctx, munID, 0, "big.pdf", bytes.NewReader(big), files.PDF); !errors.Is(err, files.ErrSize) {
			t.Fatalf("oversize file: err = %v", err)
		}
		// A PDF with a hostile name is stored under a random key with a clean name.
		m, err := s.Save(ctx, munID, 0, `..\..\etc/passwd<script>.exe`, bytes.NewReader([]byte("%PDF-1.4\nok")), files.PDF, files.DOCX)
		if err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(m.Name, `/\<>`) || !strings.HasSuffix(m.Name, ".pdf") || strings.Contains(m.Key, "passwd") {
			t.Fatalf("unsafe name or key: %+v", m)
		}
		got, err := s.Get(ctx, munID, m.ID)
		if err != nil || got.SHA256 != m.SHA256 {
			t.Fatalf("get: %+v %v", got, err)
		}
		rc, err := s.Storage.Open(ctx, m.Key)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rc)
		rc.Close()
		if string(body) != "%PDF-1.4\nok" {
			t.Fatalf("stored content = %q", body)
		}
		if _, err := s.Get(ctx, munID+1, m.ID); !errors.Is(err, db.ErrNotFound) {
			t.Fatal("a file is visible to another municipality")
		}
	})
}
