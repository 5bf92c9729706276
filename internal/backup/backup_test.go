package backup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/files"
)

type entry struct {
	name string
	data []byte
}

// archive builds a tar.gz of entries, with a manifest made by edit from
// the true one (nil edit: the manifest as Write would make it).
func archive(t *testing.T, entries []entry, edit func(*Manifest)) []byte {
	t.Helper()
	m := Manifest{Format: Format, Version: "test", Engine: "sqlite", Migration: "0001_kernel_create", CreatedAt: time.Now().UTC()}
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	put := func(name string, data []byte) {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		_, _ = tw.Write(data)
	}
	for _, e := range entries {
		put(e.name, e.data)
		sum := sha256.Sum256(e.data)
		m.Entries = append(m.Entries, Entry{Name: e.name, Size: int64(len(e.data)), SHA256: hex.EncodeToString(sum[:])})
		if strings.HasPrefix(e.name, filesDir) {
			m.Files++
		}
	}
	if edit != nil {
		edit(&m)
	}
	mj, _ := json.Marshal(m)
	put(ManifestName, mj)
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

// TestRestoreRefuses checks each reason to refuse an archive, and that a
// refused restore leaves the target untouched.
func TestRestoreRefuses(t *testing.T) {
	file := entry{filesDir + "0123456789abcdef0123456789abcdef.pdf", []byte("%PDF-1.4\nx")}
	cases := []struct {
		name    string
		entries []entry
		edit    func(*Manifest)
		raw     []byte
		want    string
	}{
		{"not an archive", nil, nil, []byte("hello"), "не архив"},
		{"no manifest", nil, nil, func() []byte {
			var b bytes.Buffer
			gz := gzip.NewWriter(&b)
			tar.NewWriter(gz).Close()
			gz.Close()
			return b.Bytes()
		}(), "manifest.json"},
		{"climbing entry", []entry{{"files/../../etc/passwd", []byte("x")}}, nil, nil, "лишняя запись"},
		{"foreign entry", []entry{{"notes.txt", []byte("x")}}, nil, nil, "лишняя запись"},
		{"changed file", []entry{file}, func(m *Manifest) { m.Entries[0].SHA256 = strings.Repeat("0", 64) }, nil, "контрольная сумма"},
		{"unlisted file", []entry{file}, func(m *Manifest) { m.Entries = nil }, nil, "не указана"},
		{"listed but absent", nil, func(m *Manifest) { m.Entries = []Entry{{Name: file.name, Size: 1}} }, nil, "нет " + file.name},
		{"other engine", []entry{file}, func(m *Manifest) { m.Engine = "postgres" }, nil, "PostgreSQL"},
		{"newer version", []entry{file}, func(m *Manifest) { m.Migration = "9999_future" }, nil, "более новой версией"},
		{"other format", []entry{file}, func(m *Manifest) { m.Format = 2 }, nil, "формат"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			data := c.raw
			if data == nil {
				data = archive(t, c.entries, c.edit)
			}
			target := Target{URL: filepath.Join(dir, "glasnost.db"), Storage: files.Disk{Dir: filepath.Join(dir, "files")}, DataDir: dir}
			_, err := Restore(context.Background(), target, bytes.NewReader(data))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one saying %q", err, c.want)
			}
			left, _ := os.ReadDir(dir)
			if len(left) != 0 {
				t.Fatalf("a refused restore left %v", left)
			}
		})
	}
}

// TestRestoreFilesOnly restores an archive without a database (PostgreSQL
// backed up where pg_dump was missing): the files arrive, byte for byte.
func TestRestoreFilesOnly(t *testing.T) {
	file := entry{filesDir + "0123456789abcdef0123456789abcdef.pdf", []byte("%PDF-1.4\nx")}
	conf := entry{configDir + "consult-procedures.txt", []byte("# настройки\n")}
	dir := t.TempDir()
	st := files.Disk{Dir: filepath.Join(dir, "files")}
	m, err := Restore(context.Background(), Target{URL: filepath.Join(dir, "glasnost.db"), Storage: st, DataDir: dir}, bytes.NewReader(archive(t, []entry{file, conf}, nil)))
	if err != nil || m.Files != 1 || m.Database != "" {
		t.Fatalf("restore: %+v %v", m, err)
	}
	rc, err := st.Open(context.Background(), strings.TrimPrefix(file.name, filesDir))
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	_, _ = got.ReadFrom(rc)
	rc.Close()
	if !bytes.Equal(got.Bytes(), file.data) {
		t.Fatalf("restored file = %q", got.Bytes())
	}
	if b, err := os.ReadFile(filepath.Join(dir, "consult-procedures.txt")); err != nil || !bytes.Equal(b, conf.data) {
		t.Fatalf("settings file: %q %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "glasnost.db")); !os.IsNotExist(err) {
		t.Fatal("a files-only restore created a database")
	}
}
