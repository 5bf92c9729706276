package files_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/files/filestest"
)

func TestParseURL(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	cases := []struct {
		name, url string
		env       map[string]string
		want      files.S3Config
		err       string
	}{
		{"full", "s3://docs/glasnost/uploads?endpoint=storage.yandexcloud.net&region=ru-central1",
			map[string]string{"GLASNOST_S3_ACCESS_KEY": "a", "GLASNOST_S3_SECRET_KEY": "s"},
			files.S3Config{Endpoint: "storage.yandexcloud.net", Region: "ru-central1", Bucket: "docs", Prefix: "glasnost/uploads", AccessKey: "a", SecretKey: "s"}, ""},
		{"aws variables and default endpoint", "s3://docs",
			map[string]string{"AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "t"},
			files.S3Config{Endpoint: "s3.amazonaws.com", Bucket: "docs", AccessKey: "k", SecretKey: "s", SessionToken: "t"}, ""},
		{"insecure local", "s3://b/p/?endpoint=10.0.0.5:9000&insecure=1", nil,
			files.S3Config{Endpoint: "10.0.0.5:9000", Bucket: "b", Prefix: "p", Insecure: true}, ""},
		{"prefix cannot climb", "s3://b/../../x?endpoint=h:1", nil, files.S3Config{Endpoint: "h:1", Bucket: "b", Prefix: "x"}, ""},
		{"not s3", "https://b/p", nil, files.S3Config{}, "s3://"},
		{"no bucket", "s3:///p", nil, files.S3Config{}, "s3://"},
		{"keys in the url", "s3://k:s@b/p", nil, files.S3Config{}, "s3://"},
		{"unknown parameter", "s3://b?endpoint=h:1&secret=x", nil, files.S3Config{}, "неизвестный параметр"},
		{"endpoint with scheme", "s3://b?endpoint=https://h", nil, files.S3Config{}, "без схемы"},
		{"half the keys", "s3://b", map[string]string{"GLASNOST_S3_ACCESS_KEY": "a"}, files.S3Config{}, "секретный ключ"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env = c.env
			got, err := files.ParseURL(c.url, getenv)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want one saying %q", err, c.err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %+v %v, want %+v", got, err, c.want)
			}
			if strings.Contains(got.String(), got.SecretKey+"@") && got.SecretKey != "" {
				t.Fatalf("String shows the secret: %s", got)
			}
		})
	}
}

// storages are both implementations, each fresh, so that one contract
// holds for the folder and for the bucket.
func storages(t *testing.T) map[string]files.Storage {
	u, getenv := filestest.S3(t)
	s3, err := files.OpenStorage(context.Background(), u, "", getenv)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]files.Storage{"disk": files.Disk{Dir: t.TempDir()}, "s3": s3}
}

func TestStorageContract(t *testing.T) {
	ctx := context.Background()
	for name, st := range storages(t) {
		t.Run(name, func(t *testing.T) {
			key := "0123456789abcdef0123456789abcdef.pdf"
			if _, err := st.Open(ctx, key); !errors.Is(err, db.ErrNotFound) {
				t.Fatalf("open missing: %v", err)
			}
			if _, err := st.Stat(ctx, key); !errors.Is(err, db.ErrNotFound) {
				t.Fatalf("stat missing: %v", err)
			}
			if err := st.Delete(ctx, key); err != nil {
				t.Fatalf("delete missing: %v", err)
			}
			// A reader without a length goes up in parts on S3.
			if err := st.Put(ctx, key, io.MultiReader(strings.NewReader("%PDF-1.4\n"), strings.NewReader("body"))); err != nil {
				t.Fatal(err)
			}
			info, err := st.Stat(ctx, key)
			if err != nil || info.Size != int64(len("%PDF-1.4\nbody")) || info.Modified.IsZero() {
				t.Fatalf("stat: %+v %v", info, err)
			}
			rc, err := st.Open(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			// Handlers answer range requests by seeking.
			rs, ok := rc.(io.ReadSeeker)
			if !ok {
				t.Fatalf("%T does not seek", rc)
			}
			if _, err := rs.Seek(9, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			tail, _ := io.ReadAll(rs)
			rc.Close()
			if string(tail) != "body" {
				t.Fatalf("read after seek = %q", tail)
			}
			if err := st.Delete(ctx, key); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Open(ctx, key); !errors.Is(err, db.ErrNotFound) {
				t.Fatalf("open after delete: %v", err)
			}
			for _, bad := range []string{"", "../etc/passwd", "a/b.pdf", ".hidden"} {
				if err := st.Put(ctx, bad, strings.NewReader("x")); err == nil {
					t.Errorf("key %q accepted", bad)
				}
			}
		})
	}
}

// TestStoreOnS3 runs uploads through files.Store with the bucket behind it,
// on both engines: what an area saves is what it reads back, a file of the
// largest allowed size goes up and down whole, and a refused upload leaves
// no object behind.
func TestStoreOnS3(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		munID := municipality(t, d)
		u, getenv := filestest.S3(t)
		st, err := files.OpenStorage(ctx, u, t.TempDir(), getenv)
		if err != nil {
			t.Fatal(err)
		}
		const limit = 6 << 20
		s := &files.Store{DB: d, Storage: st, MaxSize: limit}
		big := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("0123456789abcdef"), limit/16)...)[:limit]
		m, err := s.Save(ctx, munID, 0, "бюджет.pdf", bytes.NewReader(big), files.PDF)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, munID, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := s.Storage.Open(ctx, got.Key)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		n, err := io.Copy(h, rc)
		rc.Close()
		if err != nil || n != int64(len(big)) || hex.EncodeToString(h.Sum(nil)) != got.SHA256 {
			t.Fatalf("downloaded %d bytes (%v), checksum match %v", n, err, hex.EncodeToString(h.Sum(nil)) == got.SHA256)
		}
		if info, err := s.Storage.Stat(ctx, got.Key); err != nil || info.Size != got.Size {
			t.Fatalf("stat: %+v %v", info, err)
		}
		// One byte over the limit is refused before anything is stored.
		over := append(big, 'x')
		if _, err := s.Save(ctx, munID, 0, "over.pdf", bytes.NewReader(over), files.PDF); !errors.Is(err, files.ErrSize) {
			t.Fatalf("oversize: %v", err)
		}
		s3 := st.(*files.S3)
		var objects int
		for obj := range s3.Client.ListObjects(ctx, s3.Bucket, minioListAll()) {
			if obj.Err != nil {
				t.Fatal(obj.Err)
			}
			if !strings.HasPrefix(obj.Key, "uploads/") {
				t.Errorf("object %q outside the prefix", obj.Key)
			}
			objects++
		}
		if objects != 1 {
			t.Fatalf("bucket holds %d objects, want the one saved", objects)
		}
		if err := s.Storage.Delete(ctx, got.Key); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Storage.Open(ctx, got.Key); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("open after delete: %v", err)
		}
	})
}

func minioListAll() minio.ListObjectsOptions { return minio.ListObjectsOptions{Recursive: true} }

// municipality creates the municipality that files belong to.
func municipality(t *testing.T, d *db.DB) int64 {
	t.Helper()
	var id int64
	if err := d.WriteRow(context.Background(), `INSERT INTO municipalities (slug, name, time_zone, created_at) VALUES ('m', 'M', 'UTC', ?) RETURNING id`, d.Now()).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
