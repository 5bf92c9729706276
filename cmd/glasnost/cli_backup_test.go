package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/files/filestest"
)

// install is one installation for the commands: its database and data folder.
type install struct {
	url, dir string
	// filesURL and env name an S3 bucket for the files (none: the folder).
	filesURL string
	env      func(string) string
}

func (in install) run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	t.Setenv("GLASNOST_DATABASE_URL", in.url)
	t.Setenv("GLASNOST_DATA_DIR", in.dir)
	t.Setenv("GLASNOST_FILES_URL", in.filesURL)
	for _, k := range []string{"GLASNOST_S3_ACCESS_KEY", "GLASNOST_S3_SECRET_KEY"} {
		if in.env != nil {
			t.Setenv(k, in.env(k))
		}
	}
	var out bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &out)
	return out.String(), err
}

func (in install) storage(t *testing.T) files.Storage {
	t.Helper()
	st, err := files.OpenStorage(context.Background(), in.filesURL, in.dir, in.env)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// writer keeps adding news and uploads to an installation, as the running
// portal would, through its own connection.
type writer struct {
	n    atomic.Int64
	stop chan struct{}
	wg   sync.WaitGroup
	err  error
}

// written are the tables the writer inserts into; every other table must
// come back from a backup exactly as it is.
var written = []string{"site_news", "files"}

func startWriter(t *testing.T, in install) *writer {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, in.url)
	if err != nil {
		t.Fatal(err)
	}
	var munID int64
	if err := d.QueryRow(ctx, `SELECT MIN(id) FROM municipalities`).Scan(&munID); err != nil {
		t.Fatal(err)
	}
	store := &files.Store{DB: d, Storage: in.storage(t), MaxSize: 1 << 20}
	w := &writer{stop: make(chan struct{})}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer d.Close()
		for i := 0; ; i++ {
			select {
			case <-w.stop:
				return
			default:
			}
			now := d.Now()
			if _, err := d.Exec(ctx, `INSERT INTO site_news (municipality_id, title, state, created_at, updated_at) VALUES (?, ?, 'draft', ?, ?)`, munID, fmt.Sprintf("Новость под нагрузкой %d", i), now, now); err != nil {
				w.err = err
				return
			}
			body := make([]byte, 2000+i%5000)
			_, _ = rand.Read(body)
			if _, err := store.Save(ctx, munID, 0, fmt.Sprintf("приложение-%d.pdf", i), bytes.NewReader(append([]byte("%PDF-1.4\n"), body...)), files.PDF); err != nil {
				w.err = err
				return
			}
			w.n.Add(1)
			time.Sleep(2 * time.Millisecond)
		}
	}()
	t.Cleanup(w.halt)
	return w
}

func (w *writer) waitFor(t *testing.T, n int64) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); w.n.Load() < n; {
		if time.Now().After(deadline) || w.err != nil {
			t.Fatalf("writer stuck at %d (want %d): %v", w.n.Load(), n, w.err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (w *writer) halt() {
	select {
	case <-w.stop:
	default:
		close(w.stop)
	}
	w.wg.Wait()
}

// tableRows reads every table of the installation's schema as text rows:
// written tables in id order, the others sorted.
func tableRows(t *testing.T, d *db.DB) map[string][]string {
	t.Helper()
	ctx := context.Background()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if d.Dialect == db.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	rows, err := d.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string][]string{}
	for _, table := range tables {
		order := ""
		if slices.Contains(written, table) {
			order = " ORDER BY id"
		}
		rows, err := d.Query(ctx, `SELECT * FROM "`+table+`"`+order)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		cols, _ := rows.Columns()
		list := []string{}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("%s: %v", table, err)
			}
			var b strings.Builder
			for _, v := range vals {
				if tm, ok := v.(time.Time); ok {
					v = tm.UTC()
				}
				fmt.Fprintf(&b, "%v\x1f", v)
			}
			list = append(list, b.String())
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		rows.Close()
		if order == "" {
			slices.Sort(list)
		}
		out[table] = list
	}
	return out
}

func checksum(rows []string) string {
	h := sha256.New()
	for _, r := range rows {
		io.WriteString(h, r+"\n")
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// compareInstallations checks that the restored installation holds every
// table of the source as it was at one moment: tables the writer did not
// touch are equal (row count and checksum of rows), written tables are a
// prefix of the source's rows holding at least minWritten rows, and every
// file the restored database names is there with its recorded checksum.
func compareInstallations(t *testing.T, src, dst install, minWritten int) {
	t.Helper()
	ctx := context.Background()
	sd, err := db.Open(ctx, src.url)
	if err != nil {
		t.Fatal(err)
	}
	defer sd.Close()
	dd, err := db.Open(ctx, dst.url)
	if err != nil {
		t.Fatal(err)
	}
	defer dd.Close()
	want, got := tableRows(t, sd), tableRows(t, dd)
	if len(want) < 50 {
		t.Fatalf("only %d tables in the source: the comparison would prove little", len(want))
	}
	for table, w := range want {
		g, ok := got[table]
		if !ok {
			t.Errorf("table %s missing after restore", table)
			continue
		}
		if slices.Contains(written, table) {
			if len(g) < minWritten || len(g) > len(w) || checksum(g) != checksum(w[:len(g)]) {
				t.Errorf("%s: restored %d rows (checksum %s), source has %d; want a prefix of at least %d", table, len(g), checksum(g), len(w), minWritten)
			}
			continue
		}
		if len(g) != len(w) || checksum(g) != checksum(w) {
			t.Errorf("%s: restored %d rows (checksum %s), source %d rows (checksum %s)", table, len(g), checksum(g), len(w), checksum(w))
		}
	}
	for table := range got {
		if _, ok := want[table]; !ok {
			t.Errorf("restored database has table %s the source has not", table)
		}
	}
	rows, err := dd.Query(ctx, `SELECT storage_key, sha256, size FROM files ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var key, sum string
		var size int64
		if err := rows.Scan(&key, &sum, &size); err != nil {
			t.Fatal(err)
		}
		for name, st := range map[string]files.Storage{"restored": dst.storage(t), "source": src.storage(t)} {
			rc, err := st.Open(ctx, key)
			if err != nil {
				t.Fatalf("%s file %s: %v", name, key, err)
			}
			h := sha256.New()
			m, _ := io.Copy(h, rc)
			rc.Close()
			if m != size || hex.EncodeToString(h.Sum(nil)) != sum {
				t.Errorf("%s file %s differs from its record", name, key)
			}
		}
		n++
	}
	if n < minWritten {
		t.Fatalf("restored %d files, want at least %d", n, minWritten)
	}
}

// backupUnderLoad takes a backup while the writer runs and returns the
// archive and how many writes had been committed when it started.
func backupUnderLoad(t *testing.T, src install) (string, int) {
	t.Helper()
	w := startWriter(t, src)
	w.waitFor(t, 5)
	before := w.n.Load()
	archive := filepath.Join(t.TempDir(), "glasnost.tar.gz")
	out, err := src.run(t, "backup", "--to", archive)
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	during := w.n.Load() - before
	w.waitFor(t, w.n.Load()+3)
	w.halt()
	if w.err != nil {
		t.Fatal(w.err)
	}
	if during < 1 {
		t.Fatalf("no write was committed while the backup ran: the test proves nothing")
	}
	if !strings.Contains(out, "Резервная копия записана в "+archive) || !strings.Contains(out, "Файлы: готово") {
		t.Fatalf("backup output:\n%s", out)
	}
	if _, err := src.run(t, "backup", "--to", archive); err == nil || !strings.Contains(err.Error(), "уже существует") {
		t.Fatalf("an existing archive overwritten: %v", err)
	}
	return archive, int(before)
}

func TestBackupRestoreSQLite(t *testing.T) {
	src := install{dir: t.TempDir()}
	src.url = filepath.Join(src.dir, "glasnost.db")
	if out, err := src.run(t, "demo"); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	archive, before := backupUnderLoad(t, src)

	dst := install{dir: t.TempDir()}
	dst.url = filepath.Join(dst.dir, "glasnost.db")
	out, err := dst.run(t, "restore", "--from", archive)
	if err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	if !strings.Contains(out, "Восстановлено из копии от ") || !strings.Contains(out, "база данных SQLite") {
		t.Fatalf("restore output:\n%s", out)
	}
	compareInstallations(t, src, dst, before)

	// A copy of a folder restores into an S3 bucket as well.
	inBucket := install{dir: t.TempDir()}
	inBucket.url = filepath.Join(inBucket.dir, "glasnost.db")
	inBucket.filesURL, inBucket.env = filestest.S3(t)
	if out, err := inBucket.run(t, "restore", "--from", archive); err != nil || !strings.Contains(out, "в s3://") {
		t.Fatalf("restore into a bucket: %v\n%s", err, out)
	}
	compareInstallations(t, src, inBucket, before)

	// The restored installation is now in use: a second restore needs --force.
	if _, err := dst.run(t, "restore", "--from", archive); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("restore over an installation: %v", err)
	}
	if out, err := dst.run(t, "restore", "--from", archive, "--force"); err != nil {
		t.Fatalf("restore --force: %v\n%s", err, out)
	}
	compareInstallations(t, src, dst, before)

	// A damaged archive changes nothing.
	bad := filepath.Join(t.TempDir(), "bad.tar.gz")
	b, _ := os.ReadFile(archive)
	if err := os.WriteFile(bad, b[:len(b)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	empty := install{dir: t.TempDir()}
	empty.url = filepath.Join(empty.dir, "glasnost.db")
	if _, err := empty.run(t, "restore", "--from", bad); err == nil {
		t.Fatal("a truncated archive restored")
	}
	if _, err := os.Stat(empty.url); !os.IsNotExist(err) {
		t.Fatalf("a failed restore left a database behind: %v", err)
	}
}

// TestBackupRestorePostgres copies a PostgreSQL installation under load:
// the database through pg_dump and pg_restore (which CI must have), the
// files through the archive.
func TestBackupRestorePostgres(t *testing.T) {
	base := dbtest.PostgresURL(t)
	if base == "" {
		t.Skip("PostgreSQL not configured (set GLASNOST_TEST_POSTGRES_URL)")
	}
	_, dumpErr := exec.LookPath("pg_dump")
	if dumpErr != nil && os.Getenv("CI") == "true" {
		t.Fatal("CI=true but pg_dump is not on PATH: install postgresql-client")
	}
	src := install{url: dbtest.URL(t, db.Postgres), dir: t.TempDir()}
	for _, cmd := range []string{"migrate", "demo"} {
		if out, err := src.run(t, cmd); err != nil {
			t.Fatalf("%s: %v\n%s", cmd, err, out)
		}
	}
	archive, before := backupUnderLoad(t, src)

	// The copy goes into a new database, into the schema of the same name.
	ctx := context.Background()
	admin, err := db.Open(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	var rb [4]byte
	_, _ = rand.Read(rb[:])
	name := "restore_" + hex.EncodeToString(rb[:])
	// The connection is closed in the clean-up that drops the database,
	// not deferred: a deferred close ran before the clean-up, and every
	// run left its restored database behind on the server.
	t.Cleanup(func() {
		if _, err := admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop the restored database %s: %v", name, err)
		}
		admin.Close()
	})
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	su, _ := url.Parse(src.url)
	du := *su
	du.Path = "/" + name
	dst := install{url: du.String(), dir: t.TempDir()}

	out, err := dst.run(t, "restore", "--from", archive)
	if dumpErr != nil {
		// Without pg_dump the archive holds the files and says so.
		if err != nil || !strings.Contains(out, "только файлы") {
			t.Fatalf("files-only restore: %v\n%s", err, out)
		}
		return
	}
	if err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	if !strings.Contains(out, "база данных PostgreSQL") {
		t.Fatalf("restore output:\n%s", out)
	}
	compareInstallations(t, src, dst, before)
	if _, err := dst.run(t, "restore", "--from", archive); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("restore over an installation: %v", err)
	}
}
