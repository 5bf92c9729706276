package site

import (
	"context"
	"fmt"

	"github.com/glasnost/glasnost/internal/db"
)

const attachmentColumns = `na.id, na.news_id, na.file_id, na.kind, na.alt, na.caption, f.name, f.content_type, f.size`

const attachmentFrom = ` FROM site_news_attachments na JOIN files f ON f.id = na.file_id`

func scanAttachment(row interface{ Scan(...any) error }) (Attachment, error) {
	var a Attachment
	err := row.Scan(&a.ID, &a.NewsID, &a.FileID, &a.Kind, &a.Alt, &a.Caption, &a.Name, &a.ContentType, &a.Size)
	return a, err
}

// NewsAttachments lists a news item's photos and documents in the order
// they were added.
func (st *Store) NewsAttachments(ctx context.Context, q db.Querier, munID, newsID int64) ([]Attachment, error) {
	rows, err := q.Query(ctx, `SELECT `+attachmentColumns+attachmentFrom+` WHERE na.municipality_id = ? AND na.news_id = ? ORDER BY na.kind DESC, na.position, na.id`, munID, newsID)
	if err != nil {
		return nil, fmt.Errorf("news %d attachments: %w", newsID, err)
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return nil, fmt.Errorf("scan attachment: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// NewsAttachment finds the attachment of file fileID to a news item.
func (st *Store) NewsAttachment(ctx context.Context, q db.Querier, munID, newsID, fileID int64) (Attachment, error) {
	a, err := scanAttachment(q.QueryRow(ctx, `SELECT `+attachmentColumns+attachmentFrom+` WHERE na.municipality_id = ? AND na.news_id = ? AND na.file_id = ?`, munID, newsID, fileID))
	return a, notFound("news attachment", err)
}

// CountNewsAttachments counts a news item's attachments of a kind, in the
// transaction that adds one, so that the limit holds.
func (st *Store) CountNewsAttachments(ctx context.Context, q db.Querier, newsID int64, kind string) (int, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM site_news_attachments WHERE news_id = ? AND kind = ?`, newsID, kind).Scan(&n); err != nil {
		return 0, fmt.Errorf("count attachments: %w", err)
	}
	return n, nil
}

// AddNewsAttachment attaches a stored file to a news item, last in order,
// and marks the item changed (the sitemap's date, the feed's «updated»).
func (st *Store) AddNewsAttachment(ctx context.Context, tx *db.Tx, munID int64, a *Attachment, by int64) error {
	now := st.DB.Now()
	id, err := db.InsertID(ctx, tx, `INSERT INTO site_news_attachments (municipality_id, news_id, file_id, kind, alt, caption, position, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM site_news_attachments WHERE news_id = ?), ?, ?)`,
		munID, a.NewsID, a.FileID, a.Kind, a.Alt, a.Caption, a.NewsID, nullID(by), now)
	if err != nil {
		return fmt.Errorf("attach file %d to news %d: %w", a.FileID, a.NewsID, err)
	}
	a.ID = id
	return st.touchNews(ctx, tx, munID, a.NewsID)
}

// RemoveNewsAttachment detaches a file from a news item. The stored file
// stays: the audit log names it.
func (st *Store) RemoveNewsAttachment(ctx context.Context, tx *db.Tx, munID, newsID, fileID int64) error {
	res, err := tx.Exec(ctx, `DELETE FROM site_news_attachments WHERE municipality_id = ? AND news_id = ? AND file_id = ?`, munID, newsID, fileID)
	if err != nil {
		return fmt.Errorf("detach file %d from news %d: %w", fileID, newsID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("news attachment %d: %w", fileID, db.ErrNotFound)
	}
	return st.touchNews(ctx, tx, munID, newsID)
}

func (st *Store) touchNews(ctx context.Context, tx *db.Tx, munID, newsID int64) error {
	if _, err := tx.Exec(ctx, `UPDATE site_news SET updated_at = ? WHERE id = ? AND municipality_id = ?`, st.DB.Now(), newsID, munID); err != nil {
		return fmt.Errorf("touch news %d: %w", newsID, err)
	}
	return nil
}
