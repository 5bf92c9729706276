// Package tenant knows the municipalities of an installation, their spheres
// of activity and their departments, and which municipality a request is for.
package tenant

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/glasnost/glasnost/internal/db"
)

// Municipality is one municipal formation served by the installation.
type Municipality struct {
	ID        int64
	Slug      string
	Name      string
	ShortName string
	Hosts     []string
	TimeZone  string
	Location  *time.Location
}

// Sphere is a sphere of activity (образование, ЖКХ, …) that areas tag and
// that residents subscribe to.
type Sphere struct {
	ID   int64
	Slug string
	Name string
}

// Department is a structural unit of the administration.
type Department struct {
	ID   int64
	Slug string
	Name string
}

// Store reads and writes municipalities, spheres and departments.
type Store struct {
	db *db.DB

	mu      sync.Mutex
	cache   []Municipality
	loaded  time.Time
	refresh time.Duration
}

// NewStore returns a store over d.
func NewStore(d *db.DB) *Store { return &Store{db: d, refresh: 30 * time.Second} }

// Create inserts a municipality.
func (s *Store) Create(ctx context.Context, q db.Querier, m *Municipality) error {
	if _, err := time.LoadLocation(m.TimeZone); err != nil {
		return fmt.Errorf("municipality %s: unknown time zone %q: %w", m.Slug, m.TimeZone, err)
	}
	id, err := db.InsertID(ctx, q, `INSERT INTO municipalities (slug, name, short_name, hosts, time_zone, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		m.Slug, m.Name, m.ShortName, strings.Join(m.Hosts, ","), m.TimeZone, s.db.Now())
	if err != nil {
		return fmt.Errorf("create municipality %s: %w", m.Slug, err)
	}
	m.ID = id
	s.invalidate()
	return nil
}

// Forget drops the cached list so that the next request reads the
// municipalities again (after a change made outside this store).
func (s *Store) Forget() { s.invalidate() }

func (s *Store) invalidate() {
	s.mu.Lock()
	s.loaded = time.Time{}
	s.mu.Unlock()
}

// All returns every municipality, cached briefly since every request needs it.
func (s *Store) All(ctx context.Context) ([]Municipality, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cache != nil && time.Since(s.loaded) < s.refresh {
		return s.cache, nil
	}
	rows, err := s.db.Query(ctx, `SELECT id, slug, name, short_name, hosts, time_zone FROM municipalities ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list municipalities: %w", err)
	}
	defer rows.Close()
	var ms []Municipality
	for rows.Next() {
		var m Municipality
		var hosts string
		if err := rows.Scan(&m.ID, &m.Slug, &m.Name, &m.ShortName, &hosts, &m.TimeZone); err != nil {
			return nil, fmt.Errorf("scan municipality: %w", err)
		}
		if hosts != "" {
			m.Hosts = strings.Split(hosts, ",")
		}
		m.Location, err = time.LoadLocation(m.TimeZone)
		if err != nil {
			m.Location = time.UTC
		}
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.cache, s.loaded = ms, time.Now()
	return ms, nil
}

// BySlug finds a municipality by its slug.
func (s *Store) BySlug(ctx context.Context, slug string) (Municipality, error) {
	ms, err := s.All(ctx)
	if err != nil {
		return Municipality{}, err
	}
	for _, m := range ms {
		if m.Slug == slug {
			return m, nil
		}
	}
	return Municipality{}, fmt.Errorf("municipality %q: %w", slug, db.ErrNotFound)
}

// ErrNoMunicipality means no municipality serves the requested host.
var ErrNoMunicipality = errors.New("no municipality serves this host")

// ForHost picks the municipality for a request's host name. An installation
// with one municipality serves it on any host.
func (s *Store) ForHost(ctx context.Context, host string) (Municipality, error) {
	ms, err := s.All(ctx)
	if err != nil {
		return Municipality{}, err
	}
	if len(ms) == 0 {
		return Municipality{}, ErrNoMunicipality
	}
	if len(ms) == 1 {
		return ms[0], nil
	}
	host = strings.ToLower(host)
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	for _, m := range ms {
		for _, h := range m.Hosts {
			if strings.EqualFold(strings.TrimSpace(h), host) {
				return m, nil
			}
		}
	}
	return Municipality{}, ErrNoMunicipality
}

// EnsureSphere creates a sphere unless the municipality has it already.
func (s *Store) EnsureSphere(ctx context.Context, q db.Querier, munID int64, slug, name string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM spheres WHERE municipality_id = ? AND slug = ?`, munID, slug).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("find sphere %s: %w", slug, err)
	}
	return db.InsertID(ctx, q, `INSERT INTO spheres (municipality_id, slug, name) VALUES (?, ?, ?)`, munID, slug, name)
}

// EnsureDepartment creates a department unless the municipality has it already.
func (s *Store) EnsureDepartment(ctx context.Context, q db.Querier, munID int64, slug, name string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM departments WHERE municipality_id = ? AND slug = ?`, munID, slug).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("find department %s: %w", slug, err)
	}
	return db.InsertID(ctx, q, `INSERT INTO departments (municipality_id, slug, name) VALUES (?, ?, ?)`, munID, slug, name)
}

// Spheres lists a municipality's spheres by name.
func (s *Store) Spheres(ctx context.Context, munID int64) ([]Sphere, error) {
	rows, err := s.db.Query(ctx, `SELECT id, slug, name FROM spheres WHERE municipality_id = ? ORDER BY name`, munID)
	if err != nil {
		return nil, fmt.Errorf("list spheres: %w", err)
	}
	defer rows.Close()
	var out []Sphere
	for rows.Next() {
		var x Sphere
		if err := rows.Scan(&x.ID, &x.Slug, &x.Name); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// Departments lists a municipality's departments by name.
func (s *Store) Departments(ctx context.Context, munID int64) ([]Department, error) {
	rows, err := s.db.Query(ctx, `SELECT id, slug, name FROM departments WHERE municipality_id = ? ORDER BY name`, munID)
	if err != nil {
		return nil, fmt.Errorf("list departments: %w", err)
	}
	defer rows.Close()
	var out []Department
	for rows.Next() {
		var x Department
		if err := rows.Scan(&x.ID, &x.Slug, &x.Name); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// DepartmentBySlug finds a department of a municipality.
func (s *Store) DepartmentBySlug(ctx context.Context, munID int64, slug string) (Department, error) {
	var x Department
	err := s.db.QueryRow(ctx, `SELECT id, slug, name FROM departments WHERE municipality_id = ? AND slug = ?`, munID, slug).Scan(&x.ID, &x.Slug, &x.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return x, fmt.Errorf("department %q: %w", slug, db.ErrNotFound)
	}
	return x, err
}

type ctxKey struct{}

// WithMunicipality stores the request's municipality in its context.
func WithMunicipality(ctx context.Context, m Municipality) context.Context {
	return context.WithValue(ctx, ctxKey{}, m)
}

// FromContext returns the request's municipality; areas rely on the
// middleware having set it for every route.
func FromContext(ctx context.Context) (Municipality, bool) {
	m, ok := ctx.Value(ctxKey{}).(Municipality)
	return m, ok
}

// Local formats t in the municipality's time zone.
func (m Municipality) Local(t time.Time) time.Time {
	if m.Location == nil {
		return t
	}
	return t.In(m.Location)
}
