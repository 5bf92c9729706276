package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/progress"
)

// Target is the installation to restore into.
type Target struct {
	URL     string // database URL or SQLite path
	Storage files.Storage
	DataDir string
	// Force replaces a database that already holds an installation.
	Force bool
	// Migrate brings the restored database up to this program's schema
	// (the copy may come from an older version).
	Migrate func(ctx context.Context, d *db.DB) error
	// PGRestore is the pg_restore program; empty looks it up on PATH.
	PGRestore string
}

// ErrNotEmpty refuses to overwrite an installation without Force.
var ErrNotEmpty = errors.New("в базе данных уже есть муниципальные образования: восстановление заменило бы их. Укажите пустую базу или добавьте --force")

// Restore reads an archive from r and restores it into t. Nothing is
// changed until the whole archive has been read and every checksum and the
// manifest have been checked.
func Restore(ctx context.Context, t Target, r io.Reader) (Manifest, error) {
	rep := progress.From(ctx)
	var m Manifest
	dialect := db.SQLite
	if db.IsPostgres(t.URL) {
		dialect = db.Postgres
	}
	if !t.Force {
		used, err := inUse(ctx, dialect, t.URL)
		if err != nil {
			return m, err
		}
		if used {
			return m, ErrNotEmpty
		}
	}
	if err := os.MkdirAll(t.DataDir, 0o750); err != nil {
		return m, fmt.Errorf("data folder: %w", err)
	}
	// Staging beside the database keeps the final rename on one file system.
	stage, err := os.MkdirTemp(t.DataDir, ".glasnost-restore-*")
	if err != nil {
		return m, fmt.Errorf("temporary folder: %w", err)
	}
	defer os.RemoveAll(stage)

	rep.Start("Чтение копии", 0)
	got, err := unpack(r, stage)
	if err != nil {
		return m, err
	}
	rep.Done()
	m, err = readManifest(got, dialect)
	if err != nil {
		return m, err
	}
	if err := restoreDatabase(ctx, t, m, got); err != nil {
		return m, err
	}
	if err := restoreStoredFiles(ctx, t.Storage, m, got); err != nil {
		return m, err
	}
	if err := restoreSettings(t.DataDir, m, got); err != nil {
		return m, err
	}
	return m, nil
}

// readManifest reads the unpacked archive's manifest and checks the
// archive against it.
func readManifest(got map[string]unpacked, dialect db.Dialect) (Manifest, error) {
	var m Manifest
	mj, ok := got[ManifestName]
	if !ok {
		return m, errors.New("в архиве нет manifest.json: это не резервная копия glasnost или она обрезана")
	}
	b, err := os.ReadFile(mj.path)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("manifest.json: %w", err)
	}
	if err := m.check(got, dialect); err != nil {
		return m, err
	}
	return m, nil
}

// restoreDatabase puts the archive's database in place of the target's and
// migrates it to this program's schema.
func restoreDatabase(ctx context.Context, t Target, m Manifest, got map[string]unpacked) error {
	rep := progress.From(ctx)
	switch {
	case m.Database == SQLiteName:
		rep.Start("База данных", 0)
		if err := placeSQLite(got[SQLiteName].path, t.URL); err != nil {
			return err
		}
		rep.Done()
	case m.Database == PGDumpName:
		rep.Start("База данных", 0)
		prog := t.PGRestore
		if prog == "" {
			var err error
			if prog, err = exec.LookPath("pg_restore"); err != nil {
				return errors.New("pg_restore не найден: установите клиент PostgreSQL (пакет postgresql-client)")
			}
		}
		// --clean --if-exists: the target is empty or --force was given,
		// and a schema created by «glasnost migrate» is replaced whole.
		if err := runPG(ctx, prog, t.URL, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error", got[PGDumpName].path); err != nil {
			return err
		}
		rep.Done()
	}
	if m.Database != "" && t.Migrate != nil {
		d, err := db.Open(ctx, t.URL)
		if err != nil {
			return err
		}
		err = t.Migrate(ctx, d)
		d.Close()
		if err != nil {
			return fmt.Errorf("migrate restored database: %w", err)
		}
	}
	return nil
}

// restoreStoredFiles puts the archive's stored files into the storage.
func restoreStoredFiles(ctx context.Context, storage files.Storage, m Manifest, got map[string]unpacked) error {
	rep := progress.From(ctx)
	rep.Start("Файлы", m.Files)
	for _, e := range m.Entries {
		if !strings.HasPrefix(e.Name, filesDir) {
			continue
		}
		f, err := os.Open(got[e.Name].path)
		if err != nil {
			return err
		}
		err = storage.Put(ctx, strings.TrimPrefix(e.Name, filesDir), f)
		f.Close()
		if err != nil {
			return err
		}
		rep.Add(1)
	}
	rep.Done()
	return nil
}

// restoreSettings moves the archive's settings files into the data folder,
// in place of the ones there.
func restoreSettings(dataDir string, m Manifest, got map[string]unpacked) error {
	for _, e := range m.Entries {
		if name, ok := strings.CutPrefix(e.Name, configDir); ok {
			if err := os.Rename(got[e.Name].path, filepath.Join(dataDir, name)); err != nil {
				return fmt.Errorf("restore %s: %w", name, err)
			}
		}
	}
	return nil
}

type unpacked struct {
	path   string
	size   int64
	sha256 string
}

// unpack extracts every entry into dir under a name of its own making and
// returns them by archive name with their checksums.
func unpack(r io.Reader, dir string) (map[string]unpacked, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("это не архив tar.gz: %w", err)
	}
	tr := tar.NewReader(gz)
	got := map[string]unpacked{}
	for i := 0; ; i++ {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("архив повреждён: %w", err)
		}
		if h.Typeflag != tar.TypeReg || !validName(h.Name) {
			return nil, fmt.Errorf("в архиве лишняя запись %q", h.Name)
		}
		if _, dup := got[h.Name]; dup {
			return nil, fmt.Errorf("запись %q в архиве дважды", h.Name)
		}
		p := filepath.Join(dir, fmt.Sprintf("%08d", i))
		f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
		if err != nil {
			return nil, err
		}
		hash := sha256.New()
		n, err := io.Copy(io.MultiWriter(f, hash), tr)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("архив повреждён (%s): %w", h.Name, err)
		}
		got[h.Name] = unpacked{path: p, size: n, sha256: hex.EncodeToString(hash.Sum(nil))}
	}
	return got, nil
}

// validName admits the entries this package writes and nothing that could
// climb out of a folder.
func validName(name string) bool {
	if name != path.Clean(name) || strings.Contains(name, "..") || strings.HasPrefix(name, "/") {
		return false
	}
	switch {
	case name == ManifestName, name == SQLiteName, name == PGDumpName:
		return true
	case strings.HasPrefix(name, filesDir):
		return !strings.Contains(strings.TrimPrefix(name, filesDir), "/")
	case strings.HasPrefix(name, configDir):
		for _, c := range configFiles {
			if name == configDir+c {
				return true
			}
		}
	}
	return false
}

// check compares the manifest with what was read and with this program.
func (m Manifest) check(got map[string]unpacked, dialect db.Dialect) error {
	if m.Format != Format {
		return fmt.Errorf("формат копии %d не поддерживается этой версией (ожидается %d)", m.Format, Format)
	}
	if m.Engine != string(dialect) {
		return fmt.Errorf("копия снята с %s, а эта установка работает на %s: восстановите в установку того же вида", engineName(m.Engine), engineName(string(dialect)))
	}
	listed := map[string]bool{ManifestName: true}
	for _, e := range m.Entries {
		g, ok := got[e.Name]
		if !ok {
			return fmt.Errorf("в архиве нет %s, указанного в описании копии", e.Name)
		}
		if g.size != e.Size || g.sha256 != e.SHA256 {
			return fmt.Errorf("контрольная сумма %s не совпадает: копия повреждена", e.Name)
		}
		listed[e.Name] = true
	}
	for name := range got {
		if !listed[name] {
			return fmt.Errorf("запись %s не указана в описании копии", name)
		}
	}
	if m.Database != "" && !listed[m.Database] {
		return fmt.Errorf("в архиве нет базы данных %s", m.Database)
	}
	known, err := db.Known(dialect)
	if err != nil {
		return err
	}
	if len(known) > 0 && m.Migration > known[len(known)-1] {
		return fmt.Errorf("копия снята более новой версией glasnost (%s, миграция %s): обновите программу перед восстановлением", m.Version, m.Migration)
	}
	return nil
}

func engineName(e string) string {
	if e == string(db.Postgres) {
		return "PostgreSQL"
	}
	return "SQLite"
}

// inUse reports whether the target database already holds an installation
// (at least one municipality). A missing or freshly migrated database is
// not in use.
func inUse(ctx context.Context, dialect db.Dialect, url string) (bool, error) {
	if dialect == db.SQLite {
		if _, err := os.Stat(url); errors.Is(err, os.ErrNotExist) {
			return false, nil
		}
	}
	d, err := db.Open(ctx, url)
	if err != nil {
		return false, err
	}
	defer d.Close()
	var n int
	err = d.QueryRow(ctx, `SELECT COUNT(*) FROM municipalities`).Scan(&n)
	if err != nil {
		// No table: nothing was ever installed there. Anything else is a
		// real failure.
		var exists bool
		if dialect == db.SQLite {
			exists = d.QueryRow(ctx, `SELECT COUNT(*) > 0 FROM sqlite_master WHERE name = 'municipalities'`).Scan(&exists) == nil && exists
		} else {
			exists = d.QueryRow(ctx, `SELECT to_regclass('municipalities') IS NOT NULL`).Scan(&exists) == nil && exists
		}
		if !exists {
			return false, nil
		}
		return false, fmt.Errorf("check target database: %w", err)
	}
	return n > 0, nil
}

// placeSQLite moves the restored copy to the database path, removing the
// old database and its WAL files (the caller has checked it may).
func placeSQLite(copyPath, dbPath string) error {
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o750); err != nil {
		return err
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(dbPath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove old database: %w", err)
		}
	}
	if err := os.Rename(copyPath, dbPath); err != nil {
		// Another file system: copy instead.
		return copyFile(copyPath, dbPath)
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := to + ".restoring"
	out, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy database: %w", err)
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, to)
}
