package site

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/web"
)

// Store is the site's SQL.
type Store struct{ DB *db.DB }

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

func timeOf(n sql.NullTime) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return n.Time.UTC()
}

func notFound(what string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, db.ErrNotFound)
	}
	return err
}

// --- Sections ---

const sectionColumns = `s.id, s.municipality_id, COALESCE(s.parent_id, 0), s.slug, s.path, s.title, s.description, COALESCE(s.department_id, 0), COALESCE(d.name, ''), s.position, s.in_menu, s.updated_at`

const sectionFrom = ` FROM site_sections s LEFT JOIN departments d ON d.id = s.department_id`

func scanSection(row interface{ Scan(...any) error }) (Section, error) {
	var s Section
	err := row.Scan(&s.ID, &s.MunicipalityID, &s.ParentID, &s.Slug, &s.Path, &s.Title, &s.Description, &s.DepartmentID, &s.Department, &s.Position, &s.InMenu, &s.UpdatedAt)
	return s, err
}

func (st *Store) sections(ctx context.Context, q db.Querier, where string, args ...any) ([]Section, error) {
	rows, err := q.Query(ctx, `SELECT `+sectionColumns+sectionFrom+` WHERE `+where+` ORDER BY s.position, s.title, s.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list sections: %w", err)
	}
	defer rows.Close()
	var out []Section
	for rows.Next() {
		s, err := scanSection(rows)
		if err != nil {
			return nil, fmt.Errorf("scan section: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Sections lists every section of a municipality in tree order, each with
// its depth.
func (st *Store) Sections(ctx context.Context, munID int64) ([]Section, error) {
	all, err := st.sections(ctx, st.DB, `s.municipality_id = ?`, munID)
	if err != nil {
		return nil, err
	}
	return Tree(all), nil
}

// Tree orders sections depth-first, children by position, and sets Depth.
func Tree(all []Section) []Section {
	children := map[int64][]Section{}
	for _, s := range all {
		children[s.ParentID] = append(children[s.ParentID], s)
	}
	for k := range children {
		c := children[k]
		sort.SliceStable(c, func(i, j int) bool {
			if c[i].Position != c[j].Position {
				return c[i].Position < c[j].Position
			}
			return c[i].Title < c[j].Title
		})
	}
	out := make([]Section, 0, len(all))
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		for _, s := range children[parent] {
			s.Depth = depth
			out = append(out, s)
			walk(s.ID, depth+1)
		}
	}
	walk(0, 0)
	return out
}

// MenuSections lists the sections shown in the site menu.
func (st *Store) MenuSections(ctx context.Context, munID int64) ([]Section, error) {
	return st.sections(ctx, st.DB, `s.municipality_id = ? AND s.in_menu = ?`, munID, true)
}

// Children lists a section's direct subsections (parent 0 for the roots).
func (st *Store) Children(ctx context.Context, munID, parentID int64) ([]Section, error) {
	if parentID == 0 {
		return st.sections(ctx, st.DB, `s.municipality_id = ? AND s.parent_id IS NULL`, munID)
	}
	return st.sections(ctx, st.DB, `s.municipality_id = ? AND s.parent_id = ?`, munID, parentID)
}

// SectionByID finds a section.
func (st *Store) SectionByID(ctx context.Context, q db.Querier, munID, id int64) (Section, error) {
	s, err := scanSection(q.QueryRow(ctx, `SELECT `+sectionColumns+sectionFrom+` WHERE s.municipality_id = ? AND s.id = ?`, munID, id))
	return s, notFound("section", err)
}

// SectionByPath finds a section by its slug path.
func (st *Store) SectionByPath(ctx context.Context, munID int64, path string) (Section, error) {
	s, err := scanSection(st.DB.QueryRow(ctx, `SELECT `+sectionColumns+sectionFrom+` WHERE s.municipality_id = ? AND s.path = ?`, munID, path))
	return s, notFound("section", err)
}

// ErrPathTaken means another section already has the address.
var ErrPathTaken = web.Invalid("Раздел с таким адресом уже есть. Выберите другой адрес.")

// CreateSection inserts a section; Path must be set.
func (st *Store) CreateSection(ctx context.Context, tx *db.Tx, s *Section) error {
	now := st.DB.Now()
	id, err := db.InsertID(ctx, tx, `INSERT INTO site_sections (municipality_id, parent_id, slug, path, title, description, department_id, position, in_menu, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.MunicipalityID, nullID(s.ParentID), s.Slug, s.Path, s.Title, s.Description, nullID(s.DepartmentID), s.Position, s.InMenu, now, now)
	if db.IsUniqueViolation(err) {
		return ErrPathTaken
	}
	if err != nil {
		return fmt.Errorf("create section: %w", err)
	}
	s.ID, s.UpdatedAt = id, now
	return nil
}

// UpdateSection saves a section and, when its path changed, the paths of
// everything below it, in the same transaction.
func (st *Store) UpdateSection(ctx context.Context, tx *db.Tx, s Section, oldPath string) error {
	_, err := tx.Exec(ctx, `UPDATE site_sections SET parent_id = ?, slug = ?, path = ?, title = ?, description = ?, department_id = ?, position = ?, in_menu = ?, updated_at = ? WHERE id = ? AND municipality_id = ?`,
		nullID(s.ParentID), s.Slug, s.Path, s.Title, s.Description, nullID(s.DepartmentID), s.Position, s.InMenu, st.DB.Now(), s.ID, s.MunicipalityID)
	if db.IsUniqueViolation(err) {
		return ErrPathTaken
	}
	if err != nil {
		return fmt.Errorf("update section: %w", err)
	}
	if oldPath != s.Path {
		_, err = tx.Exec(ctx, `UPDATE site_sections SET path = ? || SUBSTR(path, ?) WHERE municipality_id = ? AND path LIKE ? ESCAPE '\'`,
			s.Path, len(oldPath)+1, s.MunicipalityID, likePrefix(oldPath+"/"))
		if db.IsUniqueViolation(err) {
			return ErrPathTaken
		}
		if err != nil {
			return fmt.Errorf("move subsections: %w", err)
		}
	}
	return nil
}

func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s) + "%"
}

// --- Pages ---

const pageColumns = `p.id, p.municipality_id, p.section_id, s.path, s.title, COALESCE(s.department_id, 0), p.slug, p.title, p.summary, p.body_md, p.body_html, p.state, p.position, p.publish_at, p.published_at, p.updated_at`

const pageFrom = ` FROM site_pages p JOIN site_sections s ON s.id = p.section_id`

func scanPage(row interface{ Scan(...any) error }) (Page, error) {
	var p Page
	var pubAt, pubd sql.NullTime
	err := row.Scan(&p.ID, &p.MunicipalityID, &p.SectionID, &p.SectionPath, &p.SectionTitle, &p.DepartmentID, &p.Slug, &p.Title, &p.Summary, &p.BodyMD, &p.BodyHTML, &p.State, &p.Position, &pubAt, &pubd, &p.UpdatedAt)
	p.PublishAt, p.PublishedAt = timeOf(pubAt), timeOf(pubd)
	return p, err
}

func (st *Store) pages(ctx context.Context, q db.Querier, tail string, args ...any) ([]Page, error) {
	rows, err := q.Query(ctx, `SELECT `+pageColumns+pageFrom+` WHERE `+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("list pages: %w", err)
	}
	defer rows.Close()
	var out []Page
	for rows.Next() {
		p, err := scanPage(rows)
		if err != nil {
			return nil, fmt.Errorf("scan page: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PageByID finds a page in any state.
func (st *Store) PageByID(ctx context.Context, q db.Querier, munID, id int64) (Page, error) {
	p, err := scanPage(q.QueryRow(ctx, `SELECT `+pageColumns+pageFrom+` WHERE p.municipality_id = ? AND p.id = ?`, munID, id))
	return p, notFound("page", err)
}

// PageBySlug finds a page of a section.
func (st *Store) PageBySlug(ctx context.Context, munID, sectionID int64, slug string) (Page, error) {
	p, err := scanPage(st.DB.QueryRow(ctx, `SELECT `+pageColumns+pageFrom+` WHERE p.municipality_id = ? AND p.section_id = ? AND p.slug = ?`, munID, sectionID, slug))
	return p, notFound("page", err)
}

// SectionPages lists a section's pages; publishedOnly for the public.
func (st *Store) SectionPages(ctx context.Context, munID, sectionID int64, publishedOnly bool) ([]Page, error) {
	if publishedOnly {
		return st.pages(ctx, st.DB, `p.municipality_id = ? AND p.section_id = ? AND p.state = ? ORDER BY p.position, p.title`, munID, sectionID, StatePublished)
	}
	return st.pages(ctx, st.DB, `p.municipality_id = ? AND p.section_id = ? ORDER BY p.position, p.title`, munID, sectionID)
}

// PublishedPages lists every published page, for the sitemap and the API.
func (st *Store) PublishedPages(ctx context.Context, munID int64) ([]Page, error) {
	return st.pages(ctx, st.DB, `p.municipality_id = ? AND p.state = ? ORDER BY s.path, p.position`, munID, StatePublished)
}

// RecentPages lists the most recently updated published pages of a
// section and its subsections, for the section's feed.
func (st *Store) RecentPages(ctx context.Context, munID int64, sectionPath string, limit int) ([]Page, error) {
	return st.pages(ctx, st.DB, `p.municipality_id = ? AND p.state = ? AND (s.path = ? OR s.path LIKE ? ESCAPE '\') ORDER BY p.updated_at DESC, p.id DESC LIMIT ?`,
		munID, StatePublished, sectionPath, likePrefix(sectionPath+"/"), limit)
}

// ErrSlugTaken means the section already has a page with the address.
var ErrSlugTaken = web.Invalid("В разделе уже есть страница с таким адресом.")

// InsertPage creates a page.
func (st *Store) InsertPage(ctx context.Context, tx *db.Tx, p *Page, by int64) error {
	now := st.DB.Now()
	id, err := db.InsertID(ctx, tx, `INSERT INTO site_pages (municipality_id, section_id, slug, title, summary, body_md, body_html, state, position, publish_at, published_at, created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.MunicipalityID, p.SectionID, p.Slug, p.Title, p.Summary, p.BodyMD, p.BodyHTML, p.State, p.Position, nullTime(p.PublishAt), nullTime(p.PublishedAt), now, now, nullID(by))
	if db.IsUniqueViolation(err) {
		return ErrSlugTaken
	}
	if err != nil {
		return fmt.Errorf("create page: %w", err)
	}
	p.ID, p.UpdatedAt = id, now
	return nil
}

// UpdatePage saves a page.
func (st *Store) UpdatePage(ctx context.Context, tx *db.Tx, p *Page, by int64) error {
	now := st.DB.Now()
	_, err := tx.Exec(ctx, `UPDATE site_pages SET section_id = ?, slug = ?, title = ?, summary = ?, body_md = ?, body_html = ?, state = ?, position = ?, publish_at = ?, published_at = ?, updated_at = ?, updated_by = ? WHERE id = ? AND municipality_id = ?`,
		p.SectionID, p.Slug, p.Title, p.Summary, p.BodyMD, p.BodyHTML, p.State, p.Position, nullTime(p.PublishAt), nullTime(p.PublishedAt), now, nullID(by), p.ID, p.MunicipalityID)
	if db.IsUniqueViolation(err) {
		return ErrSlugTaken
	}
	if err != nil {
		return fmt.Errorf("update page: %w", err)
	}
	p.UpdatedAt = now
	return nil
}

// DuePages lists scheduled pages of every municipality whose time has come.
func (st *Store) DuePages(ctx context.Context, now time.Time) ([]Page, error) {
	return st.pages(ctx, st.DB, `p.state = ? AND p.publish_at <= ? ORDER BY p.publish_at, p.id LIMIT 500`, StateScheduled, now.UTC())
}

// --- News ---

const newsColumns = `n.id, n.municipality_id, COALESCE(n.section_id, 0), COALESCE(s.path, ''), COALESCE(s.title, ''), COALESCE(n.department_id, 0), COALESCE(d.name, ''), n.title, n.summary, n.body_md, n.body_html, n.state, n.publish_at, n.published_at, n.updated_at`

const newsFrom = ` FROM site_news n LEFT JOIN site_sections s ON s.id = n.section_id LEFT JOIN departments d ON d.id = n.department_id`

func scanNews(row interface{ Scan(...any) error }) (News, error) {
	var n News
	var pubAt, pubd sql.NullTime
	err := row.Scan(&n.ID, &n.MunicipalityID, &n.SectionID, &n.SectionPath, &n.SectionTitle, &n.DepartmentID, &n.Department, &n.Title, &n.Summary, &n.BodyMD, &n.BodyHTML, &n.State, &pubAt, &pubd, &n.UpdatedAt)
	n.PublishAt, n.PublishedAt = timeOf(pubAt), timeOf(pubd)
	return n, err
}

// NewsFilter narrows a news list.
type NewsFilter struct {
	PublishedOnly bool
	Sphere        string // slug
	SectionPath   string // the section and its subsections
	Departments   []int64
}

func (f NewsFilter) where(munID int64) (string, []any) {
	w := `n.municipality_id = ?`
	args := []any{munID}
	if f.PublishedOnly {
		w += ` AND n.state = ?`
		args = append(args, StatePublished)
	}
	if f.Sphere != "" {
		w += ` AND EXISTS (SELECT 1 FROM site_news_spheres ns JOIN spheres sp ON sp.id = ns.sphere_id WHERE ns.news_id = n.id AND sp.slug = ?)`
		args = append(args, f.Sphere)
	}
	if f.SectionPath != "" {
		w += ` AND (s.path = ? OR s.path LIKE ? ESCAPE '\')`
		args = append(args, f.SectionPath, likePrefix(f.SectionPath+"/"))
	}
	if f.Departments != nil {
		if len(f.Departments) == 0 {
			w += ` AND 1 = 0`
		} else {
			w += ` AND n.department_id IN (` + db.Placeholders(len(f.Departments)) + `)`
			for _, d := range f.Departments {
				args = append(args, d)
			}
		}
	}
	return w, args
}

// ListNews returns one page of news, newest first, with their spheres
// (one more query for the whole page, not one per item), and the total.
func (st *Store) ListNews(ctx context.Context, munID int64, f NewsFilter, limit, offset int) ([]News, int, error) {
	w, args := f.where(munID)
	var total int
	if err := st.DB.QueryRow(ctx, `SELECT COUNT(*)`+newsFrom+` WHERE `+w, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count news: %w", err)
	}
	// Published news always have a date, and ordering by the bare column
	// lets the (municipality, state, published_at) index serve the public
	// lists; staff lists mix drafts in by their last change.
	order := ` ORDER BY COALESCE(n.published_at, n.publish_at, n.updated_at) DESC, n.id DESC LIMIT ? OFFSET ?`
	if f.PublishedOnly {
		order = ` ORDER BY n.published_at DESC, n.id DESC LIMIT ? OFFSET ?`
	}
	rows, err := st.DB.Query(ctx, `SELECT `+newsColumns+newsFrom+` WHERE `+w+order, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list news: %w", err)
	}
	defer rows.Close()
	var out []News
	for rows.Next() {
		n, err := scanNews(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan news: %w", err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if err := st.attachSpheres(ctx, st.DB, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

func (st *Store) attachSpheres(ctx context.Context, q db.Querier, list []News) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]any, len(list))
	idx := map[int64]int{}
	for i, n := range list {
		ids[i] = n.ID
		idx[n.ID] = i
	}
	rows, err := q.Query(ctx, `SELECT ns.news_id, sp.id, sp.slug, sp.name FROM site_news_spheres ns JOIN spheres sp ON sp.id = ns.sphere_id WHERE ns.news_id IN (`+db.Placeholders(len(ids))+`) ORDER BY sp.name`, ids...)
	if err != nil {
		return fmt.Errorf("news spheres: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var nid int64
		var s SphereRef
		if err := rows.Scan(&nid, &s.ID, &s.Slug, &s.Name); err != nil {
			return err
		}
		i := idx[nid]
		list[i].Spheres = append(list[i].Spheres, s)
	}
	return rows.Err()
}

// NewsByID finds a news item in any state, with its spheres.
func (st *Store) NewsByID(ctx context.Context, q db.Querier, munID, id int64) (News, error) {
	n, err := scanNews(q.QueryRow(ctx, `SELECT `+newsColumns+newsFrom+` WHERE n.municipality_id = ? AND n.id = ?`, munID, id))
	if err != nil {
		return n, notFound("news", err)
	}
	list := []News{n}
	if err := st.attachSpheres(ctx, q, list); err != nil {
		return n, err
	}
	return list[0], nil
}

// InsertNews creates a news item with its spheres.
func (st *Store) InsertNews(ctx context.Context, tx *db.Tx, n *News, by int64) error {
	now := st.DB.Now()
	id, err := db.InsertID(ctx, tx, `INSERT INTO site_news (municipality_id, section_id, department_id, title, summary, body_md, body_html, state, publish_at, published_at, created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.MunicipalityID, nullID(n.SectionID), nullID(n.DepartmentID), n.Title, n.Summary, n.BodyMD, n.BodyHTML, n.State, nullTime(n.PublishAt), nullTime(n.PublishedAt), now, now, nullID(by))
	if err != nil {
		return fmt.Errorf("create news: %w", err)
	}
	n.ID, n.UpdatedAt = id, now
	return st.setSpheres(ctx, tx, n.ID, n.Spheres)
}

// UpdateNews saves a news item with its spheres.
func (st *Store) UpdateNews(ctx context.Context, tx *db.Tx, n *News, by int64) error {
	now := st.DB.Now()
	_, err := tx.Exec(ctx, `UPDATE site_news SET section_id = ?, department_id = ?, title = ?, summary = ?, body_md = ?, body_html = ?, state = ?, publish_at = ?, published_at = ?, updated_at = ?, updated_by = ? WHERE id = ? AND municipality_id = ?`,
		nullID(n.SectionID), nullID(n.DepartmentID), n.Title, n.Summary, n.BodyMD, n.BodyHTML, n.State, nullTime(n.PublishAt), nullTime(n.PublishedAt), now, nullID(by), n.ID, n.MunicipalityID)
	if err != nil {
		return fmt.Errorf("update news: %w", err)
	}
	n.UpdatedAt = now
	return st.setSpheres(ctx, tx, n.ID, n.Spheres)
}

func (st *Store) setSpheres(ctx context.Context, tx *db.Tx, newsID int64, spheres []SphereRef) error {
	if _, err := tx.Exec(ctx, `DELETE FROM site_news_spheres WHERE news_id = ?`, newsID); err != nil {
		return fmt.Errorf("clear news spheres: %w", err)
	}
	seen := map[int64]bool{}
	for _, s := range spheres {
		if seen[s.ID] {
			continue
		}
		seen[s.ID] = true
		if _, err := tx.Exec(ctx, `INSERT INTO site_news_spheres (news_id, sphere_id) VALUES (?, ?)`, newsID, s.ID); err != nil {
			return fmt.Errorf("add news sphere: %w", err)
		}
	}
	return nil
}

// DueNews lists scheduled news of every municipality whose time has come.
func (st *Store) DueNews(ctx context.Context, now time.Time) ([]News, error) {
	rows, err := st.DB.Query(ctx, `SELECT `+newsColumns+newsFrom+` WHERE n.state = ? AND n.publish_at <= ? ORDER BY n.publish_at, n.id LIMIT 500`, StateScheduled, now.UTC())
	if err != nil {
		return nil, fmt.Errorf("due news: %w", err)
	}
	defer rows.Close()
	var out []News
	for rows.Next() {
		n, err := scanNews(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// NewsTitleExists reports whether a municipality has a news item with the
// title (the demo's idempotency key).
func (st *Store) NewsTitleExists(ctx context.Context, munID int64, title string) (bool, error) {
	var n int
	err := st.DB.QueryRow(ctx, `SELECT COUNT(*) FROM site_news WHERE municipality_id = ? AND title = ?`, munID, title).Scan(&n)
	return n > 0, err
}

// --- Revisions ---

// AddRevision records a version of a page's or news item's text.
func (st *Store) AddRevision(ctx context.Context, tx *db.Tx, munID int64, objType string, objID int64, title, body string, authorID int64, author string) error {
	_, err := tx.Exec(ctx, `INSERT INTO site_revisions (municipality_id, object_type, object_id, title, body_md, author_id, author, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		munID, objType, objID, title, body, nullID(authorID), author, st.DB.Now())
	if err != nil {
		return fmt.Errorf("add revision: %w", err)
	}
	return nil
}

// Revisions lists an object's revisions, newest first.
func (st *Store) Revisions(ctx context.Context, munID int64, objType string, objID int64) ([]Revision, error) {
	rows, err := st.DB.Query(ctx, `SELECT id, title, body_md, author, created_at FROM site_revisions WHERE municipality_id = ? AND object_type = ? AND object_id = ? ORDER BY id DESC`, munID, objType, objID)
	if err != nil {
		return nil, fmt.Errorf("list revisions: %w", err)
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		var r Revision
		if err := rows.Scan(&r.ID, &r.Title, &r.BodyMD, &r.Author, &r.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
