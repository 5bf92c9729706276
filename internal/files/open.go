package files

import (
	"context"
	"io"
)

// Open finds a municipality's file and opens its content: the record and
// the blob in one call, for the handlers that serve files.
func (s *Store) Open(ctx context.Context, munID, id int64) (Meta, io.ReadCloser, error) {
	meta, err := s.Get(ctx, munID, id)
	if err != nil {
		return meta, nil, err
	}
	body, err := s.Storage.Open(ctx, meta.Key)
	if err != nil {
		return meta, nil, err
	}
	return meta, body, nil
}
