package emblem

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

// Arms is a municipality's uploaded coat of arms; either picture may be
// missing.
type Arms struct {
	SVG       []byte
	PNG       []byte // the 180×180 touch icon
	UpdatedAt time.Time
}

// Area serves the administrator's settings of the coat of arms and the
// pictures themselves, and tells the renderer each municipality's icons.
type Area struct {
	portal.Deps

	mu    sync.Mutex
	cache map[int64]cachedIcons
}

type cachedIcons struct {
	icons web.Icons
	at    time.Time
}

// cacheFor bounds how long another process of the installation may show an
// old emblem after a change (this process forgets it at once).
const cacheFor = 30 * time.Second

// New builds the area and gives the renderer the municipality's icons.
func New(d portal.Deps) (*Area, error) {
	sub, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	if err := d.Renderer.AddPages("emblem", sub); err != nil {
		return nil, fmt.Errorf("emblem templates: %w", err)
	}
	a := &Area{Deps: d, cache: map[int64]cachedIcons{}}
	d.Renderer.IconsFor = a.icons
	return a, nil
}

// Mount registers the routes.
func (a *Area) Mount(rt *web.Router) {
	admin := web.Roles(auth.Administrator)
	rt.HandleFunc("GET /admin/municipality", admin, a.settings)
	rt.HandleFunc("POST /admin/municipality/arms", admin, a.upload)
	rt.HandleFunc("POST /admin/municipality/arms/delete", admin, a.remove)
	rt.HandleFunc("GET /coat-of-arms.svg", web.Public(), a.serve(func(x Arms) []byte { return x.SVG }, "image/svg+xml"))
	rt.HandleFunc("GET /coat-of-arms.png", web.Public(), a.serve(func(x Arms) []byte { return x.PNG }, "image/png"))
	rt.HandleFunc("GET /favicon.ico", web.Public(), a.favicon)
}

// Contribution offers the settings page in the administration index.
func (a *Area) Contribution() portal.Contribution {
	return portal.Contribution{
		Name:  "emblem",
		Staff: []web.NavItem{{Order: 990, Href: "/admin/municipality", Label: "Герб и значки сайта"}},
	}
}

// Load reads a municipality's coat of arms; db.ErrNotFound when none.
func Load(ctx context.Context, q db.Querier, munID int64) (Arms, error) {
	var x Arms
	err := q.QueryRow(ctx, `SELECT svg, png, updated_at FROM coats_of_arms WHERE municipality_id = ?`, munID).Scan(&x.SVG, &x.PNG, &x.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Arms{}, db.ErrNotFound
	}
	if err != nil {
		return Arms{}, fmt.Errorf("load coat of arms: %w", err)
	}
	return x, nil
}

// save stores one picture of the coat of arms, keeping the other.
func save(ctx context.Context, tx *db.Tx, munID int64, column string, body []byte, now time.Time) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM coats_of_arms WHERE municipality_id = ?`, munID).Scan(&n); err != nil {
		return fmt.Errorf("save coat of arms: %w", err)
	}
	var err error
	if n == 0 {
		_, err = tx.Exec(ctx, `INSERT INTO coats_of_arms (municipality_id, `+column+`, updated_at) VALUES (?, ?, ?)`, munID, body, now)
	} else {
		_, err = tx.Exec(ctx, `UPDATE coats_of_arms SET `+column+` = ?, updated_at = ? WHERE municipality_id = ?`, body, now, munID)
	}
	if err != nil {
		return fmt.Errorf("save coat of arms: %w", err)
	}
	return nil
}

func version(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])[:12]
}

// icons are the municipality's icon addresses; the versions in them change
// with the picture so that browsers may cache each for long.
func (a *Area) icons(ctx context.Context, munID int64) web.Icons {
	a.mu.Lock()
	c, ok := a.cache[munID]
	a.mu.Unlock()
	if ok && time.Since(c.at) < cacheFor {
		return c.icons
	}
	var ic web.Icons
	x, err := Load(ctx, a.DB, munID)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		a.Log.WarnContext(ctx, "coat of arms", "err", err)
		return ic // the defaults; not cached, so the next page tries again
	}
	if len(x.SVG) > 0 {
		u := "/coat-of-arms.svg?v=" + version(x.SVG)
		ic.Favicon, ic.FaviconType, ic.Header = u, "image/svg+xml", u
	}
	if len(x.PNG) > 0 {
		u := "/coat-of-arms.png?v=" + version(x.PNG)
		ic.Touch = u
		if ic.Favicon == "" {
			ic.Favicon, ic.FaviconType, ic.Header = u, "image/png", u
		}
	}
	a.mu.Lock()
	a.cache[munID] = cachedIcons{icons: ic, at: time.Now()}
	a.mu.Unlock()
	return ic
}

func (a *Area) forget(munID int64) {
	a.mu.Lock()
	delete(a.cache, munID)
	a.mu.Unlock()
}

func (a *Area) serve(pick func(Arms) []byte, contentType string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		x, err := Load(r.Context(), a.DB, web.Municipality(r).ID)
		body := pick(x)
		if err != nil || len(body) == 0 {
			a.Errors.Render(w, r, web.ErrNotFound)
			return
		}
		w.Header().Set("Content-Type", contentType)
		// The SVG was sanitised on upload; a policy that allows nothing
		// to run or load is a second wall should it ever be opened directly.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if r.URL.Query().Get("v") == version(body) {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=300")
		}
		_, _ = w.Write(body)
	}
}

// favicon answers /favicon.ico, which browsers and crawlers ask for without
// reading a page, with the municipality's icon (PNG preferred: some readers
// of /favicon.ico know no SVG).
func (a *Area) favicon(w http.ResponseWriter, r *http.Request) {
	ic := a.icons(r.Context(), web.Municipality(r).ID)
	to := ic.Touch
	if to == "" {
		to = a.Renderer.DefaultIcons().Touch
	}
	http.Redirect(w, r, to, http.StatusMovedPermanently)
}

type settingsData struct {
	Form    *web.Form
	Current web.Icons
	HasSVG  bool
	HasPNG  bool
	Updated time.Time
}

func (a *Area) settings(w http.ResponseWriter, r *http.Request) {
	a.settingsPage(w, r, http.StatusOK, web.NewForm(nil))
}

func (a *Area) settingsPage(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	m := web.Municipality(r)
	x, err := Load(r.Context(), a.DB, m.ID)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		a.Errors.Render(w, r, err)
		return
	}
	p := a.Renderer.NewPage(r, "Герб и значки сайта", nil)
	p.Data = settingsData{Form: f, Current: p.Icons, HasSVG: len(x.SVG) > 0, HasPNG: len(x.PNG) > 0, Updated: x.UpdatedAt}
	a.Renderer.Render(w, r, status, "emblem/settings", p)
}

const badUpload = "Загрузите герб файлом SVG (без скриптов, ссылок и встроенных картинок) или PNG не меньше 32×32 и не больше 4096×4096 точек, размером до 512 КБ."

func (a *Area) upload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxBytes+64<<10)
	if err := r.ParseMultipartForm(MaxBytes + 64<<10); err != nil {
		a.Errors.Render(w, r, web.ErrTooLarge)
		return
	}
	f := web.NewForm(nil)
	file, head, err := r.FormFile("arms")
	if err != nil || head.Size == 0 {
		f.Fail("arms", "Выберите файл с гербом.")
		a.settingsPage(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	defer file.Close()
	raw, err := io.ReadAll(io.LimitReader(file, MaxBytes+1))
	if err != nil {
		a.Errors.Render(w, r, fmt.Errorf("read coat of arms: %w", err))
		return
	}
	column, body := "png", []byte(nil)
	if bytes.HasPrefix(raw, []byte("\x89PNG\r\n\x1a\n")) {
		body, err = TouchIcon(raw)
	} else {
		column = "svg"
		body, err = SanitizeSVG(raw)
	}
	if err != nil {
		f.Fail("arms", badUpload)
		a.settingsPage(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	m := web.Municipality(r)
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := save(r.Context(), tx, m.ID, column, body, a.DB.Now()); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "municipality.arms_set", "municipality", strconv.FormatInt(m.ID, 10), nil,
			map[string]any{"format": column, "bytes": len(body), "sha256": version(body), "file": head.Filename}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.forget(m.ID)
	msg := "Герб загружен: он показан в шапке сайта и во вкладке браузера."
	if column == "png" {
		msg = "Герб загружен: из него сделан значок 180×180 для экранов телефонов и превью ссылок."
	}
	web.SetFlash(a.Sessions, r, msg)
	http.Redirect(w, r, "/admin/municipality", http.StatusSeeOther)
}

func (a *Area) remove(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		res, err := tx.Exec(r.Context(), `DELETE FROM coats_of_arms WHERE municipality_id = ?`, m.ID)
		if err != nil {
			return fmt.Errorf("remove coat of arms: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.ErrNotFound
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "municipality.arms_removed", "municipality", strconv.FormatInt(m.ID, 10), nil, nil))
	})
	if errors.Is(err, db.ErrNotFound) {
		web.SetFlash(a.Sessions, r, "Герб не был загружен: сайт и так показывает значок по умолчанию.")
		http.Redirect(w, r, "/admin/municipality", http.StatusSeeOther)
		return
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.forget(m.ID)
	web.SetFlash(a.Sessions, r, "Герб удалён: сайт показывает значок по умолчанию.")
	http.Redirect(w, r, "/admin/municipality", http.StatusSeeOther)
}
