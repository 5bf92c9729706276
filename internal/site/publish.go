package site

import (
	"context"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/markdown"
	"github.com/glasnost/glasnost/internal/search"
	"github.com/glasnost/glasnost/internal/tenant"
)

var templateFuncs = template.FuncMap{
	"siteState":    StateLabel,
	"siteRule":     RuleText,
	"siteCategory": CategoryTitle,
	"siteDate": func(d deadline.Date) string {
		if d.IsZero() {
			return ""
		}
		return formatDate(d)
	},
	"siteScore": func(f float64) string { return strings.Replace(strconv.FormatFloat(f, 'f', 1, 64), ".", ",", 1) },
	"siteHTML":  func(s string) template.HTML { return template.HTML(s) }, // only for BodyHTML, sanitised on save
	"siteIndent": func(depth int) string {
		return strings.Repeat("— ", depth)
	},
	"siteLocalInput": func(m tenant.Municipality, t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return m.Local(t).Format("2006-01-02T15:04")
	},
	"siteIs": func(a, b int64) bool { return a == b },
	"siteNewsList": func(m tenant.Municipality, news []News, level int) newsListView {
		return newsListView{M: m, News: news, Level: level}
	},
}

// pageIndexDoc is what search knows of a published page.
func pageIndexDoc(p Page) search.Doc {
	return search.Doc{MunicipalityID: p.MunicipalityID, Type: "page", ObjectID: itoa64(p.ID), Title: p.Title,
		Body: strings.TrimSpace(p.Summary + " " + markdown.OneLine(p.BodyHTML)), URL: p.URL(), PublishedAt: p.PublishedAt}
}

func newsIndexDoc(n News) search.Doc {
	return search.Doc{MunicipalityID: n.MunicipalityID, Type: "news", ObjectID: itoa64(n.ID), Title: n.Title,
		Body: strings.TrimSpace(n.Summary + " " + markdown.OneLine(n.BodyHTML)), URL: n.URL(), Spheres: n.SphereSlugs(), PublishedAt: n.PublishedAt}
}

// afterPageSave keeps the public record in step with a saved page, in the
// save's transaction: the event when it becomes public, the search index,
// and the catalogue items the page fulfils.
func (a *Area) afterPageSave(ctx context.Context, tx *db.Tx, m tenant.Municipality, p Page, becamePublic bool) error {
	if p.State != StatePublished {
		return search.Remove(ctx, tx, p.MunicipalityID, "page", itoa64(p.ID))
	}
	if becamePublic {
		if err := events.Record(ctx, tx, events.Event{MunicipalityID: p.MunicipalityID, Kind: events.PagePublished, ObjectType: "page", ObjectID: itoa64(p.ID), Title: p.Title, URL: p.URL(), OccurredAt: a.DB.Now()}); err != nil {
			return err
		}
	}
	if err := search.Put(ctx, tx, pageIndexDoc(p)); err != nil {
		return fmt.Errorf("index page: %w", err)
	}
	return a.Store.TouchItemsForPage(ctx, tx, p.ID, deadline.DateOf(m.Local(a.DB.Now())))
}

func (a *Area) afterNewsSave(ctx context.Context, tx *db.Tx, n News, becamePublic bool) error {
	if n.State != StatePublished {
		return search.Remove(ctx, tx, n.MunicipalityID, "news", itoa64(n.ID))
	}
	if becamePublic {
		if err := events.Record(ctx, tx, events.Event{MunicipalityID: n.MunicipalityID, Kind: events.NewsPublished, ObjectType: "news", ObjectID: itoa64(n.ID), Title: n.Title, URL: n.URL(), Spheres: n.SphereSlugs(), OccurredAt: a.DB.Now()}); err != nil {
			return err
		}
	}
	if err := search.Put(ctx, tx, newsIndexDoc(n)); err != nil {
		return fmt.Errorf("index news: %w", err)
	}
	return nil
}

// PublishScheduledArgs is the periodic job that publishes scheduled items.
type PublishScheduledArgs struct{}

// Kind names the job.
func (PublishScheduledArgs) Kind() string { return "site_publish_scheduled" }

type publishWorker struct {
	river.WorkerDefaults[PublishScheduledArgs]
	area *Area
}

func (w *publishWorker) Work(ctx context.Context, _ *river.Job[PublishScheduledArgs]) error {
	_, err := w.area.PublishDue(ctx)
	return err
}

// PublishDue publishes every scheduled page and news item whose time has
// come, each in its own transaction with its audit record, event and index
// entry, and returns how many it published.
func (a *Area) PublishDue(ctx context.Context) (int, error) {
	now := a.DB.Now()
	ms, err := a.municipalities(ctx)
	if err != nil {
		return 0, err
	}
	count := 0
	pages, err := a.Store.DuePages(ctx, now)
	if err != nil {
		return 0, err
	}
	for _, due := range pages {
		err := a.DB.InTx(ctx, func(tx *db.Tx) error {
			p, err := a.Store.PageByID(ctx, tx, due.MunicipalityID, due.ID)
			if err != nil {
				return err
			}
			// Another run or an editor may have changed it meanwhile.
			if !DueForPublication(p.State, p.PublishAt, now) {
				return nil
			}
			before := p.State
			p.State, p.PublishedAt = StatePublished, p.PublishAt
			if err := a.Store.UpdatePage(ctx, tx, &p, 0); err != nil {
				return err
			}
			if err := a.afterPageSave(ctx, tx, ms[p.MunicipalityID], p, true); err != nil {
				return err
			}
			count++
			return audit.Write(ctx, tx, now, audit.Entry{MunicipalityID: p.MunicipalityID, Actor: "система", Action: "publish_scheduled", Entity: "site_page", EntityID: itoa64(p.ID),
				Before: map[string]any{"state": before}, After: map[string]any{"state": p.State, "published_at": p.PublishedAt}})
		})
		if err != nil {
			return count, fmt.Errorf("publish page %d: %w", due.ID, err)
		}
	}
	news, err := a.Store.DueNews(ctx, now)
	if err != nil {
		return count, err
	}
	for _, due := range news {
		err := a.DB.InTx(ctx, func(tx *db.Tx) error {
			n, err := a.Store.NewsByID(ctx, tx, due.MunicipalityID, due.ID)
			if err != nil {
				return err
			}
			if !DueForPublication(n.State, n.PublishAt, now) {
				return nil
			}
			before := n.State
			n.State, n.PublishedAt = StatePublished, n.PublishAt
			if err := a.Store.UpdateNews(ctx, tx, &n, 0); err != nil {
				return err
			}
			if err := a.afterNewsSave(ctx, tx, n, true); err != nil {
				return err
			}
			count++
			return audit.Write(ctx, tx, now, audit.Entry{MunicipalityID: n.MunicipalityID, Actor: "система", Action: "publish_scheduled", Entity: "site_news", EntityID: itoa64(n.ID),
				Before: map[string]any{"state": before}, After: map[string]any{"state": n.State, "published_at": n.PublishedAt}})
		})
		if err != nil {
			return count, fmt.Errorf("publish news %d: %w", due.ID, err)
		}
	}
	return count, nil
}

func (a *Area) municipalities(ctx context.Context) (map[int64]tenant.Municipality, error) {
	out := map[int64]tenant.Municipality{}
	if a.Tenants == nil {
		return out, nil
	}
	ms, err := a.Tenants.All(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		out[m.ID] = m
	}
	return out, nil
}

// newsListView is the data of the news list partial.
type newsListView struct {
	M     tenant.Municipality
	News  []News
	Level int
}
