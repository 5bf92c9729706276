package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/acts"
	"github.com/glasnost/glasnost/internal/appeals"
	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/config"
	"github.com/glasnost/glasnost/internal/consult"
	"github.com/glasnost/glasnost/internal/council"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/emblem"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/groups"
	"github.com/glasnost/glasnost/internal/jobs"
	"github.com/glasnost/glasnost/internal/jobs/statuspage"
	"github.com/glasnost/glasnost/internal/media"
	"github.com/glasnost/glasnost/internal/notify"
	"github.com/glasnost/glasnost/internal/oidc"
	"github.com/glasnost/glasnost/internal/opendata"
	"github.com/glasnost/glasnost/internal/outbox"
	"github.com/glasnost/glasnost/internal/polls"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/region"
	"github.com/glasnost/glasnost/internal/roadmap"
	"github.com/glasnost/glasnost/internal/search"
	"github.com/glasnost/glasnost/internal/site"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/training"
	"github.com/glasnost/glasnost/internal/web"
)

// App is the wired program: kernels, areas and the HTTP handler.
type App struct {
	Config   config.Config
	Log      *slog.Logger
	DB       *db.DB
	Tenants  *tenant.Store
	Queue    *jobs.Queue
	Mailer   *notify.Mailer
	Sessions *scs.SessionManager
	Accounts *auth.Store
	Files    *files.Store
	Renderer *web.Renderer
	Router   *web.Router
	API      *web.APIDoc
	Handler  http.Handler
	Errors   *web.Errors
	// Portal holds what every area contributes to the shared parts.
	Portal *portal.Registry
}

// areas are every area of the portal, built and mounted in this order.
// Adding an area means adding its constructor here (and its routes to
// routes_test.go); see docs/architecture.md.
var areas = []portal.Constructor{
	portal.Make(site.New),
	portal.Make(search.New),
	portal.Make(acts.New),
	portal.Make(consult.New),
	portal.Make(appeals.New),
	portal.Make(roadmap.New),
	portal.Make(council.New),
	portal.Make(groups.New),
	portal.Make(media.New),
	portal.Make(polls.New),
	portal.Make(training.New),
	portal.Make(emblem.New),
	portal.Make(outbox.New),
	portal.Make(region.New),
	// Open data last: its demo publishes versions of every other area's
	// registers, so their demo content must be loaded first.
	portal.Make(opendata.New),
}

type appOptions struct {
	// Work starts job workers and periodic jobs (serve); CLI commands only insert.
	Work bool
	// Listen follows the writes of other processes on the same PostgreSQL
	// database (serve), for the page cache; ctx given to newApp ends it.
	Listen bool
	Sender notify.Sender
}

func newApp(ctx context.Context, cfg config.Config, log *slog.Logger, d *db.DB, opts appOptions) (*App, error) {
	a := &App{Config: cfg, Log: log, DB: d}
	a.Tenants = tenant.NewStore(d)
	a.Queue = jobs.New(d, log)
	sender := opts.Sender
	if sender == nil {
		if cfg.SMTP != nil {
			sender = notify.SMTPSender{Config: *cfg.SMTP}
		} else {
			sender = notify.LogSender{Log: log.Warn}
		}
	}
	var err error
	if a.Mailer, err = notify.NewMailer(a.Queue, sender, cfg.BaseURL); err != nil {
		return nil, err
	}
	a.Accounts = &auth.Store{DB: d}
	storage, err := files.OpenStorage(ctx, cfg.FilesURL, cfg.DataDir, config.Getenv)
	if err != nil {
		return nil, err
	}
	a.Files = &files.Store{DB: d, Storage: storage, MaxSize: cfg.MaxUpload}
	a.Sessions = auth.NewSessions(d, len(cfg.BaseURL) > 5 && cfg.BaseURL[:5] == "https")
	assets, err := web.NewAssets()
	if err != nil {
		return nil, err
	}
	if a.Renderer, err = web.NewRenderer(log, assets, a.Sessions); err != nil {
		return nil, err
	}
	a.Renderer.BaseURL = cfg.BaseURL
	errs := &web.Errors{Log: log, Renderer: a.Renderer}
	a.Errors = errs
	a.Router = web.NewRouter(errs)
	a.API = web.NewAPIDoc("glasnost", version)
	rt := a.Router

	// Kernel pages.
	if err := a.Renderer.AddPages("auth", auth.Templates()); err != nil {
		return nil, err
	}
	if err := a.Renderer.AddPages("audit", audit.Templates()); err != nil {
		return nil, err
	}
	subscriptions := notify.NewSubscriptions(d)
	authH := &auth.Handlers{Store: a.Accounts, DB: d, Tenants: a.Tenants, Sessions: a.Sessions, Renderer: a.Renderer, Errors: errs, Mailer: a.Mailer, Subscriptions: subscriptions, Log: log}
	if cfg.OIDC.Enabled() {
		authH.OIDC = oidc.New(cfg.OIDC, nil)
	}
	authH.Mount(rt)
	(&audit.Handlers{DB: d, Renderer: a.Renderer, Errors: errs, AdminRole: auth.Administrator}).Mount(rt)
	(&web.A11yHandlers{Renderer: a.Renderer}).Mount(rt)
	a.API.Add("GET", "/api/v1/me", web.Operation{Summary: "Учётная запись токена или сессии", Tags: []string{"accounts"}, Auth: true,
		Response: web.Obj(map[string]any{"email": web.Str(), "name": web.Str(), "roles": web.Arr(web.Str()), "department": web.Obj(map[string]any{"id": web.Int(), "name": web.Str()}), "municipality": web.Obj(map[string]any{"slug": web.Str(), "name": web.Str()})})})

	// Areas.
	calendars, err := deadline.NewCalendars(d)
	if err != nil {
		return nil, err
	}
	a.Portal = portal.NewRegistry()
	deps := portal.Deps{
		Log: log, DB: d, BaseURL: cfg.BaseURL, DataDir: cfg.DataDir, Getenv: config.Getenv,
		Tenants: a.Tenants, People: a.Accounts, Sessions: a.Sessions, Queue: a.Queue, Mailer: a.Mailer,
		Subscriptions: subscriptions, Files: a.Files, Calendars: calendars,
		Renderer: a.Renderer, Errors: errs, API: a.API, Portal: a.Portal,
	}
	for _, build := range areas {
		area, err := build(deps)
		if err != nil {
			return nil, err
		}
		area.Mount(rt)
		a.Portal.Add(area.Contribution())
	}
	// Status pages of long work started in the browser (jobs.Task).
	taskPages, err := statuspage.New(d, a.Renderer, errs)
	if err != nil {
		return nil, err
	}
	taskPages.Mount(rt)
	a.Renderer.AddNav(a.Portal.Nav()...)
	authH.AdminLinks = a.Portal.Staff()
	authH.CanOpen = rt.Allows
	authH.Tasks = func(r *http.Request, v *web.Viewer) []web.Task {
		return a.Portal.Tasks(r.Context(), log, web.Municipality(r), v)
	}

	// Machine endpoints.
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reqs := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "glasnost_http_requests_total", Help: "HTTP requests by route pattern and status."}, []string{"method", "pattern", "status"})
	dur := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "glasnost_http_request_duration_seconds", Help: "HTTP request duration by route pattern.", Buckets: prometheus.DefBuckets}, []string{"pattern"})
	reg.MustRegister(reqs, dur)
	metricsFrom, err := web.ParseProxies(cfg.MetricsAllow)
	if err != nil {
		return nil, fmt.Errorf("GLASNOST_METRICS_ALLOW: %w", err)
	}
	rt.Handle("GET /metrics", web.Public(), web.OnlyFrom(metricsFrom, cfg.MetricsToken, errs, promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	rt.HandleFunc("GET /healthz", web.Public(), func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := d.Ping(ctx); err != nil {
			web.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
			return
		}
		web.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	rt.Handle("GET /api/v1/openapi.json", web.Public(), a.API)
	rt.Handle("GET /static/{name}", web.Public(), assets)

	// Periodic housekeeping.
	river.AddWorker(a.Queue.Workers(), &sessionCleanup{store: &auth.SessionStore{DB: d}})
	a.Queue.Every("session_cleanup", time.Hour, func() river.JobArgs { return sessionCleanupArgs{} })

	if err := a.Queue.Build(opts.Work); err != nil {
		return nil, err
	}

	observe := func(method, pattern string, status int, dd time.Duration) {
		if pattern == "" {
			pattern = "unmatched" // a 404: no route, and no path in a label
		}
		reqs.WithLabelValues(method, pattern, strconv.Itoa(status)).Inc()
		dur.WithLabelValues(pattern).Observe(dd.Seconds())
	}
	cache := web.NewPageCache(64<<20, time.Minute, "glasnost_session")
	d.OnWrite = cache.Invalidate
	if opts.Listen {
		// Other processes on the same PostgreSQL database announce their
		// writes; drop what they changed (see docs/architecture.md).
		err := d.Listen(ctx, func(tags []string) {
			cache.Invalidate(tags)
			if slices.Contains(tags, db.Everything) {
				// A municipality or a production calendar may have
				// changed on another node.
				a.Tenants.Forget()
				calendars.ForgetAll()
			}
		})
		if err != nil {
			return nil, err
		}
	}
	cached := cache.Middleware
	if cfg.PageCacheOff {
		cached = func(h http.Handler) http.Handler { return h }
	}
	proxies, err := web.ParseProxies(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	a.Handler = web.Chain(rt,
		web.Recover(errs),
		web.TrustProxies(proxies),
		web.AssignRequestID,
		web.LogRequests(log, observe),
		web.SecurityHeaders,
		web.RejectBadText(errs),
		cached,
		a.Sessions.LoadAndSave,
		web.CrossOrigin(errs),
		web.ResolveMunicipality(a.Tenants, errs),
		auth.Authenticate(a.Accounts, a.Sessions, errs),
	)
	return a, nil
}

type sessionCleanupArgs struct{}

func (sessionCleanupArgs) Kind() string { return "session_cleanup" }

type sessionCleanup struct {
	river.WorkerDefaults[sessionCleanupArgs]
	store *auth.SessionStore
}

func (w *sessionCleanup) Work(ctx context.Context, _ *river.Job[sessionCleanupArgs]) error {
	if err := w.store.DeleteExpired(ctx); err != nil {
		return fmt.Errorf("delete expired sessions: %w", err)
	}
	return nil
}
