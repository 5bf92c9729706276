package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/glasnost/glasnost/internal/db"
)

// S3 is Storage in a bucket of an S3-compatible service (Yandex Object
// Storage, VK Cloud, MinIO, Ceph, AWS). Objects are named prefix/key.
type S3 struct {
	Client *minio.Client
	Bucket string
	Prefix string
}

// S3Config is what GLASNOST_FILES_URL says about a bucket.
type S3Config struct {
	Endpoint string // host:port; s3.amazonaws.com when empty
	Region   string
	Bucket   string
	Prefix   string
	Insecure bool // plain HTTP, for a store on the local network or in tests
	// AccessKey and SecretKey come from the environment, never the URL, so
	// that the URL can be logged and shown.
	AccessKey, SecretKey, SessionToken string
}

// ParseURL reads s3://bucket/prefix?endpoint=host:port&region=…&insecure=1.
// Credentials are taken from GLASNOST_S3_ACCESS_KEY and
// GLASNOST_S3_SECRET_KEY, or else the usual AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
func ParseURL(raw string, getenv func(string) string) (S3Config, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" || u.User != nil || u.Fragment != "" {
		return S3Config{}, errors.New("GLASNOST_FILES_URL: ожидается адрес вида s3://корзина/префикс?endpoint=сервер:порт&region=…")
	}
	q := u.Query()
	for k := range q {
		switch k {
		case "endpoint", "region", "insecure":
		default:
			return S3Config{}, fmt.Errorf("GLASNOST_FILES_URL: неизвестный параметр %q (возможны endpoint, region, insecure)", k)
		}
	}
	c := S3Config{
		Endpoint: q.Get("endpoint"),
		Region:   q.Get("region"),
		Bucket:   u.Host,
		Prefix:   strings.Trim(path.Clean("/"+u.Path), "/"),
	}
	switch q.Get("insecure") {
	case "", "0", "false":
	case "1", "true":
		c.Insecure = true
	default:
		return S3Config{}, errors.New("GLASNOST_FILES_URL: insecure принимает значения 1 или 0")
	}
	if c.Endpoint == "" {
		c.Endpoint = "s3.amazonaws.com"
	}
	if strings.Contains(c.Endpoint, "/") {
		return S3Config{}, errors.New("GLASNOST_FILES_URL: endpoint — это сервер и порт без схемы, например storage.yandexcloud.net или 10.0.0.5:9000")
	}
	c.AccessKey, c.SecretKey = getenv("GLASNOST_S3_ACCESS_KEY"), getenv("GLASNOST_S3_SECRET_KEY")
	if c.AccessKey == "" && c.SecretKey == "" {
		c.AccessKey, c.SecretKey, c.SessionToken = getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY"), getenv("AWS_SESSION_TOKEN")
	}
	if (c.AccessKey == "") != (c.SecretKey == "") {
		return S3Config{}, errors.New("хранилище S3: укажите и ключ доступа, и секретный ключ (GLASNOST_S3_ACCESS_KEY и GLASNOST_S3_SECRET_KEY)")
	}
	return c, nil
}

// String names the bucket without credentials, for logs.
func (c S3Config) String() string {
	s := "s3://" + c.Bucket
	if c.Prefix != "" {
		s += "/" + c.Prefix
	}
	return s + " at " + c.Endpoint
}

// NewS3 connects to the bucket and checks that it exists, so that a wrong
// name or key stops the start instead of the first upload.
func NewS3(ctx context.Context, c S3Config) (*S3, error) {
	opts := &minio.Options{Secure: !c.Insecure, Region: c.Region}
	if c.AccessKey != "" {
		opts.Creds = credentials.NewStaticV4(c.AccessKey, c.SecretKey, c.SessionToken)
	} else {
		opts.Creds = credentials.NewStatic("", "", "", credentials.SignatureAnonymous)
	}
	client, err := minio.New(c.Endpoint, opts)
	if err != nil {
		return nil, fmt.Errorf("хранилище S3 %s: %w", c, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	ok, err := client.BucketExists(ctx, c.Bucket)
	if err != nil {
		return nil, fmt.Errorf("хранилище S3 %s недоступно: %w", c, err)
	}
	if !ok {
		return nil, fmt.Errorf("хранилище S3 %s: корзины %q нет, создайте её", c, c.Bucket)
	}
	return &S3{Client: client, Bucket: c.Bucket, Prefix: c.Prefix}, nil
}

func (s *S3) object(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	if s.Prefix == "" {
		return key, nil
	}
	return s.Prefix + "/" + key, nil
}

// Put uploads a blob in one request of known length. A reader that does
// not tell its length (Save passes a bytes.Reader, which does) is first
// spooled to a temporary file: streamed uploads of unknown length use
// chunked signing that not every S3-compatible service accepts.
func (s *S3) Put(ctx context.Context, key string, r io.Reader) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	var size int64
	if l, ok := r.(interface{ Len() int }); ok {
		size = int64(l.Len())
	} else {
		tmp, err := os.CreateTemp("", "glasnost-upload-*")
		if err != nil {
			return fmt.Errorf("spool upload: %w", err)
		}
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		if size, err = io.Copy(tmp, r); err != nil {
			return fmt.Errorf("spool upload: %w", err)
		}
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("spool upload: %w", err)
		}
		r = tmp
	}
	if _, err := s.Client.PutObject(ctx, s.Bucket, name, r, size, minio.PutObjectOptions{ContentType: "application/octet-stream"}); err != nil {
		return fmt.Errorf("upload %s to s3: %w", key, err)
	}
	return nil
}

// Open returns the object as a stream that reads from the bucket as the
// caller reads (nothing is buffered whole) and can seek for range requests.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	name, err := s.object(key)
	if err != nil {
		return nil, err
	}
	obj, err := s.Client.GetObject(ctx, s.Bucket, name, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("open %s in s3: %w", key, err)
	}
	// GetObject is lazy: the first request goes out here, so a missing
	// object is reported now and not as a broken body later.
	if _, err := obj.Stat(); err != nil {
		obj.Close()
		return nil, s3Error("open", key, err)
	}
	return obj, nil
}

// Delete removes a blob; S3 reports no error for a missing one.
func (s *S3) Delete(ctx context.Context, key string) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	if err := s.Client.RemoveObject(ctx, s.Bucket, name, minio.RemoveObjectOptions{}); err != nil {
		return s3Error("delete", key, err)
	}
	return nil
}

// Stat describes a blob.
func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	name, err := s.object(key)
	if err != nil {
		return Info{}, err
	}
	st, err := s.Client.StatObject(ctx, s.Bucket, name, minio.StatObjectOptions{})
	if err != nil {
		return Info{}, s3Error("stat", key, err)
	}
	return Info{Size: st.Size, Modified: st.LastModified.UTC()}, nil
}

func s3Error(op, key string, err error) error {
	resp := minio.ToErrorResponse(err)
	if resp.Code == "NoSuchKey" || (resp.StatusCode == http.StatusNotFound && resp.Code != "NoSuchBucket") {
		return fmt.Errorf("%s %s: %w", op, key, db.ErrNotFound)
	}
	return fmt.Errorf("%s %s in s3: %w", op, key, err)
}

// OpenStorage returns the storage that GLASNOST_FILES_URL names: a bucket
// for s3://…, or else the folder "files" under the data directory.
func OpenStorage(ctx context.Context, filesURL, dataDir string, getenv func(string) string) (Storage, error) {
	if filesURL == "" {
		return Disk{Dir: filepath.Join(dataDir, "files")}, nil
	}
	c, err := ParseURL(filesURL, getenv)
	if err != nil {
		return nil, err
	}
	return NewS3(ctx, c)
}

// Describe names a storage for logs and command output.
func Describe(s Storage) string {
	switch s := s.(type) {
	case Disk:
		return s.Dir
	case *S3:
		name := "s3://" + s.Bucket
		if s.Prefix != "" {
			name += "/" + s.Prefix
		}
		return name
	}
	return fmt.Sprintf("%T", s)
}
