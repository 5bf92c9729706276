// Package files stores uploads behind a small interface with two
// implementations: a folder under the data directory (the default) and an
// S3-compatible bucket (GLASNOST_FILES_URL=s3://…), which several
// application processes can share. Sizes are limited, types are detected
// from the content against an allow-list, and file names from users are
// never used as paths or object names.
package files

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/web"
)

// Storage keeps blobs by key. Open and Stat return db.ErrNotFound for a
// missing key; Delete of a missing key is not an error, so that a retried
// clean-up succeeds. What Open returns may also be an io.Seeker (both
// implementations' are), which lets handlers answer range requests.
type Storage interface {
	Put(ctx context.Context, key string, r io.Reader) error
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	Delete(ctx context.Context, key string) error
	Stat(ctx context.Context, key string) (Info, error)
}

// Info describes a stored blob.
type Info struct {
	Size     int64
	Modified time.Time
}

// checkKey refuses keys that could name anything but a blob of ours: keys
// are made by Save (random hex and an extension), never by users.
func checkKey(key string) error {
	if len(key) < 3 || strings.ContainsAny(key, `/\`) || strings.HasPrefix(key, ".") {
		return fmt.Errorf("invalid storage key %q", key)
	}
	return nil
}

// Disk is Storage in a local directory.
type Disk struct{ Dir string }

func (d Disk) path(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	return filepath.Join(d.Dir, key[:2], key), nil
}

// Put writes the blob atomically.
func (d Disk) Put(_ context.Context, key string, r io.Reader) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return fmt.Errorf("create upload directory: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".upload-*")
	if err != nil {
		return fmt.Errorf("create upload: %w", err)
	}
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("write upload: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), p)
}

// Open reads a blob.
func (d Disk) Open(_ context.Context, key string) (io.ReadCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, db.ErrNotFound
	}
	return f, err
}

// Delete removes a blob.
func (d Disk) Delete(_ context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("delete upload: %w", err)
	}
	return nil
}

// Stat describes a blob.
func (d Disk) Stat(_ context.Context, key string) (Info, error) {
	p, err := d.path(key)
	if err != nil {
		return Info{}, err
	}
	st, err := os.Stat(p)
	if errors.Is(err, os.ErrNotExist) {
		return Info{}, db.ErrNotFound
	}
	if err != nil {
		return Info{}, fmt.Errorf("stat upload: %w", err)
	}
	return Info{Size: st.Size(), Modified: st.ModTime().UTC()}, nil
}

// Kind is an allowed type of upload.
type Kind struct {
	ContentType string
	Ext         string
}

// Allowed types by detected content type. DOCX and XLSX are ZIP archives;
// they are told apart by the archive's content-types part.
var (
	PDF  = Kind{"application/pdf", ".pdf"}
	DOCX = Kind{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"}
	XLSX = Kind{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"}
	PNG  = Kind{"image/png", ".png"}
	JPEG = Kind{"image/jpeg", ".jpg"}
	WAV  = Kind{"audio/wav", ".wav"}
	MP3  = Kind{"audio/mpeg", ".mp3"}
	OGG  = Kind{"audio/ogg", ".ogg"}
	MP4  = Kind{"video/mp4", ".mp4"}
	WEBM = Kind{"video/webm", ".webm"}
	CSV  = Kind{"text/csv", ".csv"}
	WEBP = Kind{"image/webp", ".webp"}
	ODT  = Kind{"application/vnd.oasis.opendocument.text", ".odt"}
)

// ErrType and ErrSize are shown to users.
var (
	ErrType = web.Invalid("Недопустимый тип файла.")
	ErrSize = web.Invalid("Файл слишком большой.")
)

// Detect determines a file's type from its first bytes.
func Detect(head []byte) Kind {
	ct := http.DetectContentType(head)
	switch {
	case strings.HasPrefix(ct, "application/pdf"):
		return PDF
	case ct == "image/png":
		return PNG
	case ct == "image/jpeg":
		return JPEG
	case ct == "image/webp":
		return WEBP
	case ct == "audio/wave":
		return WAV
	case ct == "audio/mpeg":
		return MP3
	case ct == "application/ogg":
		return OGG
	case ct == "video/mp4":
		return MP4
	case ct == "video/webm":
		return WEBM
	case ct == "application/zip":
		// An OpenDocument file stores its type, uncompressed, as the
		// archive's first entry "mimetype".
		if bytes.Contains(head, []byte("mimetype"+ODT.ContentType)) {
			return ODT
		}
		switch {
		case bytes.Contains(head, []byte("word/")):
			return DOCX
		case bytes.Contains(head, []byte("xl/")):
			return XLSX
		}
		// The parts list may lie beyond the sniffed head; [Content_Types].xml
		// comes first in files written by Word and LibreOffice.
		if bytes.Contains(head, []byte("[Content_Types].xml")) {
			return DOCX
		}
	case strings.HasPrefix(ct, "text/plain"):
		return CSV
	}
	return Kind{ContentType: ct}
}

// Meta is a stored file's record.
type Meta struct {
	ID          int64
	Key         string
	Name        string
	ContentType string
	Size        int64
	SHA256      string
}

// Store saves uploads and their records.
type Store struct {
	DB      *db.DB
	Storage Storage
	MaxSize int64
}

// Save checks and stores an upload. name is only shown, never used as a path.
func (s *Store) Save(ctx context.Context, munID, accountID int64, name string, r io.Reader, allowed ...Kind) (Meta, error) {
	limit := s.MaxSize
	if limit <= 0 {
		limit = 20 << 20
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return Meta{}, fmt.Errorf("read upload: %w", err)
	}
	if int64(len(data)) > limit {
		return Meta{}, ErrSize
	}
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	kind := Detect(head)
	ok := false
	for _, a := range allowed {
		if a.ContentType == kind.ContentType {
			ok = true
		}
	}
	if !ok {
		return Meta{}, ErrType
	}
	var rb [16]byte
	_, _ = rand.Read(rb[:])
	key := hex.EncodeToString(rb[:]) + kind.Ext
	if err := s.Storage.Put(ctx, key, bytes.NewReader(data)); err != nil {
		return Meta{}, err
	}
	sum := sha256.Sum256(data)
	m := Meta{Key: key, Name: CleanName(name, kind.Ext), ContentType: kind.ContentType, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
	var acc any
	if accountID != 0 {
		acc = accountID
	}
	m.ID, err = db.InsertID(ctx, s.DB, `INSERT INTO files (municipality_id, storage_key, name, content_type, size, sha256, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		munID, m.Key, m.Name, m.ContentType, m.Size, m.SHA256, acc, time.Now().UTC().Truncate(time.Second))
	if err != nil {
		_ = s.Storage.Delete(ctx, key)
		return Meta{}, fmt.Errorf("record upload: %w", err)
	}
	return m, nil
}

// Get returns a file's record within a municipality.
func (s *Store) Get(ctx context.Context, munID, id int64) (Meta, error) {
	var m Meta
	err := s.DB.QueryRow(ctx, `SELECT id, storage_key, name, content_type, size, sha256 FROM files WHERE municipality_id = ? AND id = ?`, munID, id).
		Scan(&m.ID, &m.Key, &m.Name, &m.ContentType, &m.Size, &m.SHA256)
	if err != nil {
		return m, fmt.Errorf("file %d: %w", id, db.ErrNotFound)
	}
	return m, nil
}

// CleanName keeps a display name printable and short, with the true extension.
func CleanName(name, ext string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || strings.ContainsRune(`<>:"/\|?*`, r) {
			return '_'
		}
		return r
	}, name)
	name = strings.TrimSuffix(name, filepath.Ext(name))
	if r := []rune(name); len(r) > 100 {
		name = string(r[:100])
	}
	if name == "" || name == "." {
		name = "file"
	}
	return name + ext
}
