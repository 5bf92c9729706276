package webtest

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
)

// Upload posts a multipart form: the fields, and data as the file field
// named name (no file part when data is nil).
func (c *Client) Upload(path string, fields url.Values, field, name string, data []byte) Response {
	c.e.T.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				c.e.T.Fatal(err)
			}
		}
	}
	if data != nil {
		part, err := mw.CreateFormFile(field, name)
		if err != nil {
			c.e.T.Fatal(err)
		}
		if _, err := part.Write(data); err != nil {
			c.e.T.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		c.e.T.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, c.e.Server().URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}
