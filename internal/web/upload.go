package web

import (
	"errors"
	"mime/multipart"
	"net/http"
	"net/url"
)

// ParseUpload reads a multipart form of at most maxBytes (files beyond
// 1 MB are spooled to disk) and returns its fields as a Form and the
// first non-empty file of each file field.
func ParseUpload(w http.ResponseWriter, r *http.Request, maxBytes int64) (*Form, map[string]*multipart.FileHeader, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBytes)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, nil, ErrTooLarge
		}
		return nil, nil, Invalid("Форма отправлена не полностью. Выберите файл и отправьте её ещё раз.")
	}
	uploads := map[string]*multipart.FileHeader{}
	for name, list := range r.MultipartForm.File {
		for _, fh := range list {
			if fh.Size > 0 {
				uploads[name] = fh
				break
			}
		}
	}
	return NewForm(url.Values(r.MultipartForm.Value)), uploads, nil
}
