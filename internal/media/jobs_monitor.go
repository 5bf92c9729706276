package media

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/db"
)

// FetchEvery is how often a healthy source is fetched.
const FetchEvery = 30 * time.Minute

// FetchArgs is the periodic job that fetches the sources that are due.
type FetchArgs struct{}

// Kind names the job.
func (FetchArgs) Kind() string { return "media_fetch" }

type fetchWorker struct {
	river.WorkerDefaults[FetchArgs]
	a *Area
}

// Work fetches every due source, one after another: each has its own
// timeout and size limit, so one slow or huge feed delays but never stops
// the others.
func (w *fetchWorker) Work(ctx context.Context, _ *river.Job[FetchArgs]) error {
	muns, sources, err := DueSources(ctx, w.a.DB, w.a.DB.Now(), 200)
	if err != nil {
		return err
	}
	for i, s := range sources {
		if _, err := w.a.FetchSource(ctx, muns[i], s); err != nil {
			return fmt.Errorf("media source %d: %w", s.ID, err)
		}
	}
	return nil
}

// Timeout bounds a run over many sources.
func (w *fetchWorker) Timeout(*river.Job[FetchArgs]) time.Duration { return 30 * time.Minute }

// FetchOutcome is what one fetch of a source did.
type FetchOutcome struct {
	Err         error // the source's failure (recorded on it), not a failure of the portal
	NotModified bool
	Entries     int
	New         int
}

// FetchSource fetches one source now, records the outcome on it (a failure
// with its reason and the backoff) and turns matching entries into
// mentions. The returned error is the portal's own (the database); a
// failing feed is in the outcome.
func (a *Area) FetchSource(ctx context.Context, munID int64, s Source) (FetchOutcome, error) {
	res, ferr := a.Fetcher.Fetch(ctx, s)
	out := FetchOutcome{Err: ferr, NotModified: res.NotModified, Entries: len(res.Entries)}
	rules, err := Rules(ctx, a.DB, munID)
	if err != nil {
		return out, err
	}
	matcher := NewMatcher(rules)
	now := a.DB.Now()
	err = a.DB.InTx(ctx, func(tx *db.Tx) error {
		if ferr != nil {
			return RecordFetch(ctx, tx, munID, s, now, now.Add(Backoff(FetchEvery, s.Failures+1)), ferr)
		}
		s.ETag, s.LastModified = res.ETag, res.LastModified
		if err := RecordFetch(ctx, tx, munID, s, now, now.Add(FetchEvery), nil); err != nil {
			return err
		}
		n, err := ingest(ctx, tx, munID, s.ID, res.Entries, matcher, now)
		out.New = n
		return err
	})
	return out, err
}

// ingest turns the entries of a source that match the rules into mentions
// and reports how many new ones it made.
func ingest(ctx context.Context, tx *db.Tx, munID, sourceID int64, entries []Entry, matcher *Matcher, now time.Time) (int, error) {
	made := 0
	for _, e := range entries {
		topic, phrases, ok := matcher.Match(e.Title, e.Summary)
		if !ok || e.Title == "" {
			continue
		}
		link := e.Link
		if !strings.HasPrefix(link, "https://") && !strings.HasPrefix(link, "http://") {
			link = "" // a feed may not plant javascript: or relative links
		}
		at := e.Published
		if at.IsZero() || at.After(now) {
			at = now
		}
		isNew, err := AddMention(ctx, tx, munID, Mention{SourceID: sourceID, Title: e.Title, Link: link, Summary: e.Summary,
			PublishedAt: at, Topic: topic, Matched: strings.Join(phrases, ", ")}, now)
		if err != nil {
			return made, err
		}
		if isNew {
			made++
		}
	}
	return made, nil
}
