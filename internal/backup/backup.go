// Package backup writes an installation (its database and its uploaded
// files) into one tar.gz archive and restores it into a new installation.
//
// SQLite is copied online with VACUUM INTO: one consistent snapshot while
// the portal keeps writing. PostgreSQL is copied with pg_dump (custom
// format) when it is on PATH; otherwise the archive holds the files only
// and the operator dumps the database separately (docs/operations.md).
// Files are the ones the database's files table names, read through
// files.Storage, so a backup of a folder can be restored into a bucket and
// back. Uploads are never changed once stored, so every file that the
// snapshot names is still there to be read after it.
//
// The archive ends with manifest.json: program version, engine, migration
// level, time, and the size and SHA-256 of every other entry. Restore
// checks all of them before it changes anything.
package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/progress"
)

// Format is the archive layout's version.
const Format = 1

// Names of entries in the archive.
const (
	ManifestName = "manifest.json"
	SQLiteName   = "database/glasnost.db"
	PGDumpName   = "database/postgres.dump"
	filesDir     = "files/"
	configDir    = "config/"
)

// configFiles are the installation's settings kept beside its data that
// a restore should bring back too.
var configFiles = []string{"consult-procedures.txt"}

// Manifest describes an archive.
type Manifest struct {
	Format    int       `json:"format"`
	Version   string    `json:"version"`
	Engine    string    `json:"engine"`
	Migration string    `json:"migration"`
	CreatedAt time.Time `json:"created_at"`
	// Database is the entry holding the database, empty when the archive
	// has the files only (PostgreSQL without pg_dump).
	Database string  `json:"database"`
	Files    int     `json:"files"`
	Entries  []Entry `json:"entries"`
}

// Entry is one file of the archive with its checksum.
type Entry struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// FileBytes is the total size of the uploaded files in the archive.
func (m Manifest) FileBytes() int64 {
	var n int64
	for _, e := range m.Entries {
		if strings.HasPrefix(e.Name, filesDir) {
			n += e.Size
		}
	}
	return n
}

// Source is the installation to copy.
type Source struct {
	DB      *db.DB
	URL     string // the database URL or SQLite path, for pg_dump
	Storage files.Storage
	DataDir string
	Version string
	// PGDump is the pg_dump program; empty looks it up on PATH, and when
	// it is not found the archive holds the files only.
	PGDump string
}

// ErrNoPGDump is reported (with the archive written) when a PostgreSQL
// database could not be dumped because pg_dump is missing.
var ErrNoPGDump = errors.New("pg_dump не найден: в копию вошли только файлы, базу данных сохраните командой pg_dump (см. docs/operations.md)")

// Write copies the installation into w. Temporary files go to tmpDir
// (best beside the archive: the database copy is as large as the database).
// It may return ErrNoPGDump together with a complete files-only manifest.
func Write(ctx context.Context, src Source, tmpDir string, w io.Writer) (Manifest, error) {
	rep := progress.From(ctx)
	m := Manifest{Format: Format, Version: src.Version, Engine: string(src.DB.Dialect), CreatedAt: time.Now().UTC().Truncate(time.Second)}
	work, err := os.MkdirTemp(tmpDir, ".glasnost-backup-*")
	if err != nil {
		return m, fmt.Errorf("temporary folder: %w", err)
	}
	defer os.RemoveAll(work)

	rep.Start("База данных", 0)
	var dbFile string
	var noDump error
	var keys []string
	switch src.DB.Dialect {
	case db.SQLite:
		dbFile, keys, err = copySQLite(ctx, src.DB, work, &m)
	case db.Postgres:
		dbFile, keys, err = dumpPostgres(ctx, src, work, &m)
		if errors.Is(err, ErrNoPGDump) {
			noDump, err = err, nil
		}
	}
	if err != nil {
		return m, err
	}
	rep.Done()

	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	if dbFile != "" {
		e, err := addFile(tw, m.Database, dbFile)
		if err != nil {
			return m, err
		}
		m.Entries = append(m.Entries, e)
	}
	for _, name := range configFiles {
		e, err := addFile(tw, configDir+name, filepath.Join(src.DataDir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return m, err
		}
		m.Entries = append(m.Entries, e)
	}
	if err := addStoredFiles(ctx, tw, src.Storage, keys, &m); err != nil {
		return m, err
	}
	if err := finishArchive(tw, gz, m); err != nil {
		return m, err
	}
	return m, noDump
}

// copySQLite copies the SQLite database into work, and sets the manifest's
// migration level and database entry name from the copy. It returns the
// copy's path and the keys of the stored files the copy names.
func copySQLite(ctx context.Context, d *db.DB, work string, m *Manifest) (string, []string, error) {
	dbFile := filepath.Join(work, "glasnost.db")
	// VACUUM INTO reads one snapshot under a read transaction: writers
	// in other processes go on (WAL), and the copy is compact.
	if _, err := d.Write.ExecContext(ctx, `VACUUM INTO ?`, dbFile); err != nil {
		return "", nil, fmt.Errorf("copy sqlite database: %w", err)
	}
	snap, err := sql.Open("sqlite", "file:"+dbFile+"?mode=ro")
	if err != nil {
		return "", nil, fmt.Errorf("open database copy: %w", err)
	}
	var keys []string
	m.Migration, keys, err = describe(ctx, snap)
	snap.Close()
	if err != nil {
		return "", nil, err
	}
	m.Database = SQLiteName
	return dbFile, keys, nil
}

// dumpPostgres dumps the PostgreSQL database into work with pg_dump, and
// sets the manifest's migration level and database entry name. It returns
// the dump's path and the keys of the stored files; without pg_dump the
// path is empty and the error ErrNoPGDump, with the keys still read.
func dumpPostgres(ctx context.Context, src Source, work string, m *Manifest) (string, []string, error) {
	pgDump := src.PGDump
	if pgDump == "" {
		pgDump, _ = exec.LookPath("pg_dump")
	}
	var dbFile string
	var noDump error
	if pgDump == "" {
		noDump = ErrNoPGDump
	} else {
		dbFile = filepath.Join(work, "postgres.dump")
		if err := runPG(ctx, pgDump, src.URL, "--format=custom", "--no-owner", "--no-privileges", "--file="+dbFile); err != nil {
			return "", nil, err
		}
		m.Database = PGDumpName
	}
	// Read after the dump: the list then holds every file the dump
	// names (and perhaps a few newer, which do no harm).
	var keys []string
	var err error
	m.Migration, keys, err = describe(ctx, src.DB.Read)
	if err != nil {
		return "", nil, err
	}
	return dbFile, keys, noDump
}

// addFile adds the local file at path to the archive as name.
func addFile(tw *tar.Writer, name, path string) (Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return Entry{}, err
	}
	defer f.Close()
	return addEntry(tw, name, f, -1)
}

// addStoredFiles adds the stored files of keys to the archive and to the
// manifest, reporting progress file by file.
func addStoredFiles(ctx context.Context, tw *tar.Writer, storage files.Storage, keys []string, m *Manifest) error {
	rep := progress.From(ctx)
	rep.Start("Файлы", len(keys))
	for _, key := range keys {
		info, err := storage.Stat(ctx, key)
		if err != nil {
			return fmt.Errorf("file %s: %w", key, err)
		}
		rc, err := storage.Open(ctx, key)
		if err != nil {
			return fmt.Errorf("file %s: %w", key, err)
		}
		e, err := addEntry(tw, filesDir+key, rc, info.Size)
		rc.Close()
		if err != nil {
			return err
		}
		m.Entries = append(m.Entries, e)
		m.Files++
		rep.Add(1)
	}
	rep.Done()
	return nil
}

// finishArchive writes the manifest as the archive's last entry and closes
// the archive.
func finishArchive(tw *tar.Writer, gz *gzip.Writer, m Manifest) error {
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: ManifestName, Mode: 0o640, Size: int64(len(mj)), ModTime: m.CreatedAt, Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	if _, err := tw.Write(mj); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("finish archive: %w", err)
	}
	if err := gz.Close(); err != nil {
		return fmt.Errorf("finish archive: %w", err)
	}
	return nil
}

// describe reads the migration level and the stored files' keys.
func describe(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (string, []string, error) {
	var level string
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), '') FROM schema_migrations`).Scan(&level); err != nil {
		return "", nil, fmt.Errorf("read migration level: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT storage_key FROM files ORDER BY id`)
	if err != nil {
		return "", nil, fmt.Errorf("list files: %w", err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return "", nil, err
		}
		keys = append(keys, k)
	}
	return level, keys, rows.Err()
}

// addEntry copies r into the archive. size is the length when known (an
// upload's); otherwise r must be a file, whose length is taken from it.
func addEntry(tw *tar.Writer, name string, r io.Reader, size int64) (Entry, error) {
	if size < 0 {
		st, err := r.(*os.File).Stat()
		if err != nil {
			return Entry{}, err
		}
		size = st.Size()
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o640, Size: size, ModTime: time.Now().UTC(), Typeflag: tar.TypeReg}); err != nil {
		return Entry{}, fmt.Errorf("archive %s: %w", name, err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tw, h), r)
	if err != nil {
		return Entry{}, fmt.Errorf("archive %s: %w", name, err)
	}
	if n != size {
		return Entry{}, fmt.Errorf("archive %s: read %d bytes of %d", name, n, size)
	}
	return Entry{Name: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// runPG runs pg_dump or pg_restore against the database at rawURL. The
// password goes through PGPASSWORD (not the command line, which others on
// the machine can read); pgx's own parameters are dropped, and a
// search_path (one schema) becomes --schema for pg_dump.
func runPG(ctx context.Context, program, rawURL string, args ...string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("database url: %w", err)
	}
	env := os.Environ()
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	q := u.Query()
	if sp := q.Get("search_path"); sp != "" && filepath.Base(program) == "pg_dump" {
		args = append(args, "--schema="+sp)
	}
	for k := range q {
		if k == "search_path" || strings.HasPrefix(k, "pool_") || strings.HasPrefix(k, "statement_cache") || k == "default_query_exec_mode" {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	cmd := exec.CommandContext(ctx, program, append(args, "--dbname="+u.String())...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", filepath.Base(program), err, strings.TrimSpace(string(out)))
	}
	return nil
}
