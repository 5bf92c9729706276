package acts

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/markdown"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

const perPage = 20

// listFilter reads the public filters, ignoring values that are not on the
// lists (a stale bookmark shows everything rather than an error).
func listFilter(r *http.Request, spheres []tenant.Sphere) (Filter, map[string]string) {
	q := r.URL.Query()
	f := Filter{}
	sel := map[string]string{}
	if v, ok := ParseKind(q.Get("kind")); ok {
		f.Kind, sel["kind"] = v, v
	}
	if v, ok := ParseStatus(q.Get("status")); ok {
		f.Status, sel["status"] = v, v
	}
	if y, err := strconv.Atoi(q.Get("year")); err == nil && y > 1990 && y < 3000 {
		f.Year, sel["year"] = y, strconv.Itoa(y)
	}
	for _, s := range spheres {
		if s.Slug == q.Get("sphere") {
			f.Sphere, sel["sphere"] = s.Slug, s.Slug
		}
	}
	return f, sel
}

func (a *Area) list(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	spheres, err := a.Tenants.Spheres(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f, sel := listFilter(r, spheres)
	f.PublicOnly = true
	p := web.NewPager(r.URL, perPage)
	list, total, err := a.Store.ListActs(r.Context(), a.DB, m.ID, f, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	years, err := a.Store.Years(r.Context(), a.DB, m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var statuses []Option
	for _, s := range Statuses {
		if s.Value != StatusDraft {
			statuses = append(statuses, s)
		}
	}
	page := a.Renderer.NewPage(r, "Муниципальные правовые акты", map[string]any{
		"Acts": list, "Pager": p, "Total": total, "Kinds": Kinds, "Statuses": statuses,
		"Years": years, "Spheres": spheres, "Selected": sel, "Filtered": len(sel) > 0,
	})
	page.Feeds = actsFeed
	page.Description = "Муниципальные правовые акты: постановления и распоряжения администрации с поиском по виду, году и сфере, редакциями и вложениями."
	page.OGType = "website"
	a.Renderer.Render(w, r, http.StatusOK, "acts/list", page)
}

// explanationView is an explanation ready for the page.
type explanationView struct {
	Explanation
	HTMLBody    template.HTML
	Readability Readability
	Score       string // «46,7»: Russian decimal comma
	Grade       string
	MindMapAlt  string
	MindMap     *MindMapNode
	MindMapURL  string
	MediaURL    string
	AudioURL    string
	OpusURL     string
	MP3URL      string
	AudioSizes  [3]string // «1,6 МБ» of the WAV, Opus and MP3
	IsImage     bool
	IsVideo     bool
	IsAudio     bool
}

func (a *Area) explanationViews(act Act, list []Explanation) []explanationView {
	out := make([]explanationView, 0, len(list))
	for _, x := range list {
		v := explanationView{Explanation: x, HTMLBody: template.HTML(x.HTML)} // sanitised at save
		if x.FileID != 0 {
			v.MediaURL = fmt.Sprintf("%s/files/%d", act.URL(), x.FileID)
			v.IsImage = strings.HasPrefix(x.FileType, "image/")
			v.IsVideo = strings.HasPrefix(x.FileType, "video/")
			v.IsAudio = strings.HasPrefix(x.FileType, "audio/")
		}
		if x.AudioFileID != 0 && x.AudioStatus == AudioReady {
			v.AudioURL = fmt.Sprintf("%s/files/%d", act.URL(), x.AudioFileID)
			for i, n := range x.AudioSizes {
				v.AudioSizes[i] = files.SizeLabel(n)
			}
			if x.AudioOpusFileID != 0 {
				v.OpusURL = fmt.Sprintf("%s/files/%d", act.URL(), x.AudioOpusFileID)
			}
			if x.AudioMP3FileID != 0 {
				v.MP3URL = fmt.Sprintf("%s/files/%d", act.URL(), x.AudioMP3FileID)
			}
		}
		switch x.Format {
		case FormatText:
			v.Readability = MeasureReadability(x.Body)
			v.Score, v.Grade = ScoreRU(v.Readability.Score), v.Readability.Grade()
		case FormatMindMap:
			if root, err := ParseOutline(x.Body); err == nil {
				v.MindMapAlt, v.MindMap = MindMapText(root), root
			}
			v.MindMapURL = fmt.Sprintf("%s/explanations/%d/mindmap.svg", act.URL(), x.ID)
		}
		out = append(out, v)
	}
	return out
}

// actPage is everything the act page shows.
type actPage struct {
	Act          Act
	HTML         template.HTML
	Attachments  []Attachment
	Out, In      []Link
	Explanations []explanationView
	Reviews      []Review
	Staff        bool
}

func (a *Area) loadActPage(r *http.Request, id int64) (*actPage, error) {
	ctx := r.Context()
	m := web.Municipality(r)
	staff := isStaff(r)
	act, err := a.Store.GetAct(ctx, a.DB, m.ID, id)
	if err != nil {
		return nil, err
	}
	if !act.Public() && !staff {
		return nil, web.ErrNotFound
	}
	p := &actPage{Act: act, HTML: template.HTML(act.HTML), Staff: staff} // sanitised at save
	if p.Attachments, err = a.Store.Attachments(ctx, a.DB, id); err != nil {
		return nil, err
	}
	if p.Out, p.In, err = a.Store.Links(ctx, a.DB, m.ID, id, !staff); err != nil {
		return nil, err
	}
	expl, err := a.Store.Explanations(ctx, a.DB, id, !staff)
	if err != nil {
		return nil, err
	}
	p.Explanations = a.explanationViews(act, expl)
	if p.Reviews, err = a.Store.ReviewsOfAct(ctx, a.DB, id, !staff); err != nil {
		return nil, err
	}
	return p, nil
}

func (a *Area) show(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p, err := a.loadActPage(r, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	page := a.Renderer.NewPage(r, p.Act.Heading(), p)
	page.Feeds = actsFeed
	page.Description = web.Summary(p.Act.Title+". "+markdown.OneLine(p.Act.HTML), 160)
	page.OGType = "article"
	a.Renderer.Render(w, r, http.StatusOK, "acts/show", page)
}

// file serves an attachment (as a download) or the media of an explanation
// (inline, for <img>, <audio> and <video>), only when it belongs to the act
// and the act is public. http.ServeContent answers range requests, which
// browsers need to seek in audio and video.
func (a *Area) file(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	fid, err := web.PathID(r, "file")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	ctx := r.Context()
	m := web.Municipality(r)
	staff := isStaff(r)
	act, err := a.Store.GetAct(ctx, a.DB, m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if !act.Public() && !staff {
		a.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	use, err := a.Store.FileOf(ctx, a.DB, id, fid, !staff)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if use == FileNone {
		a.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	meta, err := a.Files.Get(ctx, m.ID, fid)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	body, err := a.Files.Storage.Open(ctx, meta.Key)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	defer body.Close()
	disposition := "inline"
	if use == FileAttachment || r.URL.Query().Get("download") == "1" {
		disposition = "attachment"
	}
	w.Header().Set("Content-Type", meta.ContentType)
	w.Header().Set("Content-Disposition", ContentDisposition(disposition, meta.Name))
	w.Header().Set("Cache-Control", "private, max-age=3600")
	if rs, ok := body.(io.ReadSeeker); ok {
		http.ServeContent(w, r, "", time.Time{}, rs)
		return
	}
	w.Header().Set("Content-Length", strconv.FormatInt(meta.Size, 10))
	_, _ = io.Copy(w, body)
}

// ContentDisposition builds the header with a file name that cannot break
// out of it: quotes, control characters and path separators are replaced,
// and a non-ASCII name is sent in RFC 2231 form with an ASCII fallback.
func ContentDisposition(disposition, name string) string {
	clean := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`"\/;:*?<>|`, r) {
			return '_'
		}
		return r
	}, name)
	if clean == "" {
		clean = "file"
	}
	ascii := strings.Map(func(r rune) rune {
		if r > 0x7e {
			return '_'
		}
		return r
	}, clean)
	if ascii == clean {
		return mime.FormatMediaType(disposition, map[string]string{"filename": clean})
	}
	ext := ""
	if i := strings.LastIndexByte(clean, '.'); i >= 0 && len(clean)-i <= 6 {
		ext = strings.Map(func(r rune) rune {
			if r > 0x7e {
				return '_'
			}
			return r
		}, clean[i:])
	}
	// FormatMediaType encodes the UTF-8 name as filename*=utf-8''…; old
	// clients that ignore it get a plain fallback with the true extension.
	return mime.FormatMediaType(disposition, map[string]string{"filename": clean}) + `; filename="document` + ext + `"`
}

// mindMap serves the server-drawn SVG of a mind-map explanation.
func (a *Area) mindMap(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	eid, err := web.PathID(r, "explanation")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	ctx := r.Context()
	m := web.Municipality(r)
	staff := isStaff(r)
	act, err := a.Store.GetAct(ctx, a.DB, m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	x, err := a.Store.GetExplanation(ctx, a.DB, m.ID, id, eid)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if x.Format != FormatMindMap || (!staff && (!act.Public() || !x.Published)) {
		a.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	root, err := ParseOutline(x.Body)
	if err != nil {
		a.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml; charset=utf-8")
	// The drawing sizes itself with a style attribute; as a document of its
	// own, opened directly, it may use it, and it may do nothing else.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, _ = w.Write(RenderMindMapSVG(root))
}

func (a *Area) reviews(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	p := web.NewPager(r.URL, perPage)
	list, total, err := a.Store.ListReviews(r.Context(), a.DB, m.ID, true, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	a.Renderer.Page(w, r, http.StatusOK, "acts/reviews", "Обзоры правоприменительной практики", map[string]any{"Reviews": list, "Pager": p})
}

func (a *Area) review(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	staff := isStaff(r)
	rv, err := a.Store.GetReview(r.Context(), a.DB, m.ID, id)
	if errors.Is(err, db.ErrNotFound) || (err == nil && !rv.Published && !staff) {
		a.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	acts, err := a.Store.ActsByIDs(r.Context(), a.DB, m.ID, rv.ActIDs, !staff)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "acts/review", rv.Title, map[string]any{"Review": rv, "HTML": template.HTML(rv.HTML), "Acts": acts, "Staff": staff})
}

// ScoreRU writes a readability score the Russian way, with a decimal comma.
func ScoreRU(score float64) string {
	return strings.Replace(strconv.FormatFloat(score, 'f', 1, 64), ".", ",", 1)
}
