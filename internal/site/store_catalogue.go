package site

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
)

func parseDate(s string) deadline.Date {
	if s == "" {
		return deadline.Date{}
	}
	d, err := deadline.ParseDate(s)
	if err != nil {
		return deadline.Date{}
	}
	return d
}

func dateText(d deadline.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

const itemColumns = `c.id, c.municipality_id, c.code, c.category, c.position, c.title, COALESCE(c.department_id, 0), COALESCE(d.name, ''), c.rule, c.rule_days, c.updated_on, c.changed_on, c.opendata_code`

const itemFrom = ` FROM site_catalogue_items c LEFT JOIN departments d ON d.id = c.department_id`

func scanItem(row interface{ Scan(...any) error }) (CatalogueItem, error) {
	var it CatalogueItem
	var upd, chg string
	err := row.Scan(&it.ID, &it.MunicipalityID, &it.Code, &it.Category, &it.Position, &it.Title, &it.DepartmentID, &it.Department, &it.Rule, &it.RuleDays, &upd, &chg, &it.OpenData)
	it.UpdatedOn, it.ChangedOn = parseDate(upd), parseDate(chg)
	return it, err
}

// Catalogue lists a municipality's catalogue items in the law's order with
// their links (two queries in all); departments, when not nil, keeps only
// items those departments own.
func (st *Store) Catalogue(ctx context.Context, munID int64, departments []int64) ([]CatalogueItem, error) {
	w := `c.municipality_id = ?`
	args := []any{munID}
	if departments != nil {
		if len(departments) == 0 {
			return nil, nil
		}
		w += ` AND c.department_id IN (` + db.Placeholders(len(departments)) + `)`
		for _, d := range departments {
			args = append(args, d)
		}
	}
	rows, err := st.DB.Query(ctx, `SELECT `+itemColumns+itemFrom+` WHERE `+w+` ORDER BY c.position, c.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list catalogue: %w", err)
	}
	var out []CatalogueItem
	idx := map[int64]int{}
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan catalogue item: %w", err)
		}
		idx[it.ID] = len(out)
		out = append(out, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	lrows, err := st.DB.Query(ctx, `SELECT l.item_id, l.id, COALESCE(l.page_id, 0), l.title, l.url FROM site_catalogue_links l JOIN site_catalogue_items c ON c.id = l.item_id WHERE `+w+` ORDER BY l.item_id, l.position, l.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list catalogue links: %w", err)
	}
	defer lrows.Close()
	for lrows.Next() {
		var itemID int64
		var l CatalogueLink
		if err := lrows.Scan(&itemID, &l.ID, &l.PageID, &l.Title, &l.URL); err != nil {
			return nil, err
		}
		if i, ok := idx[itemID]; ok {
			out[i].Links = append(out[i].Links, l)
		}
	}
	return out, lrows.Err()
}

// CatalogueItemByID finds an item with its links.
func (st *Store) CatalogueItemByID(ctx context.Context, q db.Querier, munID, id int64) (CatalogueItem, error) {
	it, err := scanItem(q.QueryRow(ctx, `SELECT `+itemColumns+itemFrom+` WHERE c.municipality_id = ? AND c.id = ?`, munID, id))
	if err != nil {
		return it, notFound("catalogue item", err)
	}
	rows, err := q.Query(ctx, `SELECT id, COALESCE(page_id, 0), title, url FROM site_catalogue_links WHERE item_id = ? ORDER BY position, id`, id)
	if err != nil {
		return it, fmt.Errorf("item links: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l CatalogueLink
		if err := rows.Scan(&l.ID, &l.PageID, &l.Title, &l.URL); err != nil {
			return it, err
		}
		it.Links = append(it.Links, l)
	}
	return it, rows.Err()
}

// InsertCatalogueItem creates an item (the demo and new installations).
func (st *Store) InsertCatalogueItem(ctx context.Context, tx *db.Tx, it *CatalogueItem) error {
	now := st.DB.Now()
	id, err := db.InsertID(ctx, tx, `INSERT INTO site_catalogue_items (municipality_id, code, category, position, title, department_id, rule, rule_days, updated_on, changed_on, opendata_code, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		it.MunicipalityID, it.Code, it.Category, it.Position, it.Title, nullID(it.DepartmentID), it.Rule, it.RuleDays, dateText(it.UpdatedOn), dateText(it.ChangedOn), it.OpenData, now, now)
	if err != nil {
		return fmt.Errorf("create catalogue item %s: %w", it.Code, err)
	}
	it.ID = id
	return nil
}

// UpdateCatalogueItem saves an item's owner, rule, dates and links.
func (st *Store) UpdateCatalogueItem(ctx context.Context, tx *db.Tx, it CatalogueItem) error {
	_, err := tx.Exec(ctx, `UPDATE site_catalogue_items SET department_id = ?, rule = ?, rule_days = ?, updated_on = ?, changed_on = ?, opendata_code = ?, updated_at = ? WHERE id = ? AND municipality_id = ?`,
		nullID(it.DepartmentID), it.Rule, it.RuleDays, dateText(it.UpdatedOn), dateText(it.ChangedOn), it.OpenData, st.DB.Now(), it.ID, it.MunicipalityID)
	if err != nil {
		return fmt.Errorf("update catalogue item: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM site_catalogue_links WHERE item_id = ?`, it.ID); err != nil {
		return fmt.Errorf("clear catalogue links: %w", err)
	}
	for i, l := range it.Links {
		if _, err := tx.Exec(ctx, `INSERT INTO site_catalogue_links (item_id, page_id, title, url, position) VALUES (?, ?, ?, ?, ?)`, it.ID, nullID(l.PageID), l.Title, l.URL, i); err != nil {
			return fmt.Errorf("add catalogue link: %w", err)
		}
	}
	return nil
}

// TouchItemsForPage marks the items a page fulfils as brought up to date on
// day: publishing or editing a linked page is the update the law asks for.
func (st *Store) TouchItemsForPage(ctx context.Context, tx *db.Tx, pageID int64, day deadline.Date) error {
	_, err := tx.Exec(ctx, `UPDATE site_catalogue_items SET updated_on = ?, updated_at = ? WHERE updated_on < ? AND id IN (SELECT item_id FROM site_catalogue_links WHERE page_id = ?)`,
		day.String(), st.DB.Now(), day.String(), pageID)
	if err != nil {
		return fmt.Errorf("touch catalogue items: %w", err)
	}
	return nil
}

// CatalogueCodeExists reports whether the municipality has an item with the code.
func (st *Store) CatalogueCodeExists(ctx context.Context, munID int64, code string) (bool, error) {
	var n int
	err := st.DB.QueryRow(ctx, `SELECT COUNT(*) FROM site_catalogue_items WHERE municipality_id = ? AND code = ?`, munID, code).Scan(&n)
	return n > 0, err
}

// LastReminder is when a department was last reminded (zero if never).
func (st *Store) LastReminder(ctx context.Context, q db.Querier, munID, deptID int64) (time.Time, error) {
	var t time.Time
	err := q.QueryRow(ctx, `SELECT sent_at FROM site_catalogue_reminders WHERE municipality_id = ? AND department_id = ?`, munID, deptID).Scan(&t)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("last reminder: %w", err)
	}
	return t.UTC(), nil
}

// SetReminder records that a department was reminded at t.
func (st *Store) SetReminder(ctx context.Context, tx *db.Tx, munID, deptID int64, t time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO site_catalogue_reminders (municipality_id, department_id, sent_at) VALUES (?, ?, ?) ON CONFLICT (municipality_id, department_id) DO UPDATE SET sent_at = excluded.sent_at`, munID, deptID, t.UTC())
	if err != nil {
		return fmt.Errorf("record reminder: %w", err)
	}
	return nil
}

// FeedbackSecret returns the municipality's key for rating hashes, making
// one on first use.
func (st *Store) FeedbackSecret(ctx context.Context, munID int64) ([]byte, error) {
	var key string
	err := st.DB.QueryRow(ctx, `SELECT feedback_key FROM site_secrets WHERE municipality_id = ?`, munID).Scan(&key)
	if err == nil {
		return []byte(key), nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read feedback key: %w", err)
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	if _, err := st.DB.Exec(ctx, `INSERT INTO site_secrets (municipality_id, feedback_key) VALUES (?, ?) ON CONFLICT (municipality_id) DO NOTHING`, munID, hex.EncodeToString(b[:])); err != nil {
		return nil, fmt.Errorf("create feedback key: %w", err)
	}
	if err := st.DB.QueryRow(ctx, `SELECT feedback_key FROM site_secrets WHERE municipality_id = ?`, munID).Scan(&key); err != nil {
		return nil, fmt.Errorf("read feedback key: %w", err)
	}
	return []byte(key), nil
}

// OpenDataset is a dataset of the open data register, as the catalogue
// links to it.
type OpenDataset struct {
	Code, Title string
	// Identifier is <INN of the publisher>-<code>, the dataset's address
	// under /opendata/.
	Identifier string
}

// placeholderINN stands in until the open data settings name the INN (the
// same rule as the open data register's).
const placeholderINN = "0000000000"

// OpenDatasets lists the municipality's open datasets by code (two queries).
// The site reads the register's tables, never its package.
func (st *Store) OpenDatasets(ctx context.Context, munID int64) ([]OpenDataset, error) {
	inn := placeholderINN
	err := st.DB.QueryRow(ctx, `SELECT inn FROM opendata_settings WHERE municipality_id = ?`, munID).Scan(&inn)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("open data settings: %w", err)
	}
	rows, err := st.DB.Query(ctx, `SELECT code, title FROM opendata_datasets WHERE municipality_id = ? ORDER BY title, code`, munID)
	if err != nil {
		return nil, fmt.Errorf("list open datasets: %w", err)
	}
	defer rows.Close()
	var out []OpenDataset
	for rows.Next() {
		var d OpenDataset
		if err := rows.Scan(&d.Code, &d.Title); err != nil {
			return nil, err
		}
		d.Identifier = inn + "-" + d.Code
		out = append(out, d)
	}
	return out, rows.Err()
}
