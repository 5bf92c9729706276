package files

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"

	"github.com/glasnost/glasnost/internal/db"
)

// RemoveRecords deletes the records of a municipality's files in tx and
// returns their storage keys, for DeleteBlobs once nothing refers to them.
// Rows that refer to the files (an area's attachment links) must be gone
// first; the caller deletes them in the same transaction.
func (s *Store) RemoveRecords(ctx context.Context, tx *db.Tx, munID int64, ids []int64) ([]string, error) {
	var keys []string
	for _, id := range ids {
		var key string
		err := tx.QueryRow(ctx, `DELETE FROM files WHERE municipality_id = ? AND id = ? RETURNING storage_key`, munID, id).Scan(&key)
		if err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			return keys, fmt.Errorf("remove file %d: %w", id, err)
		}
		keys = append(keys, key)
	}
	return keys, nil
}

// DeleteBlobs removes stored contents; a blob already gone is not an error,
// so that a retried removal completes.
func (s *Store) DeleteBlobs(ctx context.Context, keys []string) error {
	var errs []error
	for _, k := range keys {
		if err := s.Storage.Delete(ctx, k); err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, db.ErrNotFound) {
			errs = append(errs, fmt.Errorf("delete blob %s: %w", k, err))
		}
	}
	return errors.Join(errs...)
}
