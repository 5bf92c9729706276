// Package filestest starts an S3-compatible server in the test's process
// (gofakes3 with its in-memory backend), so that the S3 storage is tested
// against a real HTTP protocol without a service on the machine.
package filestest

import (
	"crypto/rand"
	"encoding/hex"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Credentials the fake server is reached with (it checks no signatures, but
// the client signs as it would against a real service).
const (
	AccessKey = "glasnost-test"
	SecretKey = "glasnost-test-secret"
)

// S3 starts a server with one empty bucket and returns a GLASNOST_FILES_URL
// for it (under the prefix "uploads") and a getenv that supplies the keys.
func S3(t testing.TB) (filesURL string, getenv func(string) string) {
	t.Helper()
	backend := s3mem.New()
	var b [4]byte
	_, _ = rand.Read(b[:])
	bucket := "glasnost-" + hex.EncodeToString(b[:])
	if err := backend.CreateBucket(bucket); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	filesURL = "s3://" + bucket + "/uploads?endpoint=" + u.Host + "&region=ru-central1&insecure=1"
	env := map[string]string{"GLASNOST_S3_ACCESS_KEY": AccessKey, "GLASNOST_S3_SECRET_KEY": SecretKey}
	return filesURL, func(k string) string { return env[k] }
}
