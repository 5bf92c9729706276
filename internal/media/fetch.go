package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Fetcher fetches feeds with the limits that keep a hostile or broken
// source from harming anything but itself.
type Fetcher struct {
	Client   *http.Client
	MaxBytes int64
}

// Limits of a fetch.
const (
	DefaultFetchTimeout = 20 * time.Second
	DefaultMaxFeedBytes = 5 << 20
	maxRedirects        = 5
	maxEntries          = 300
)

var errTooManyRedirects = errors.New("too many redirects")

// NewFetcher returns a fetcher with a total timeout per request.
func NewFetcher(timeout time.Duration, maxBytes int64) *Fetcher {
	if timeout <= 0 {
		timeout = DefaultFetchTimeout
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxFeedBytes
	}
	return &Fetcher{MaxBytes: maxBytes, Client: &http.Client{
		Timeout: timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return errTooManyRedirects
			}
			return nil
		},
	}}
}

// FetchResult is what a fetch brought.
type FetchResult struct {
	NotModified  bool
	ETag         string
	LastModified string
	Title        string
	Entries      []Entry
}

// Fetch makes a conditional GET of a feed and parses it. The error's text
// is a Russian reason to show staff.
func (f *Fetcher) Fetch(ctx context.Context, src Source) (FetchResult, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src.URL, nil)
	if err != nil {
		return FetchResult{}, errors.New("адрес ленты не читается")
	}
	req.Header.Set("User-Agent", "glasnost-media-monitoring/1.0")
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1")
	if src.ETag != "" {
		req.Header.Set("If-None-Match", src.ETag)
	}
	if src.LastModified != "" {
		req.Header.Set("If-Modified-Since", src.LastModified)
	}
	resp, err := f.Client.Do(req)
	if err != nil {
		return FetchResult{}, fetchError(err, f.Client.Timeout)
	}
	defer resp.Body.Close()
	res := FetchResult{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		res.NotModified = true
		if res.ETag == "" {
			res.ETag = src.ETag
		}
		if res.LastModified == "" {
			res.LastModified = src.LastModified
		}
		return res, nil
	case resp.StatusCode != http.StatusOK:
		return FetchResult{}, fmt.Errorf("сервер ответил кодом %d", resp.StatusCode)
	case resp.ContentLength > f.MaxBytes:
		return FetchResult{}, fmt.Errorf("лента больше %s", mb(f.MaxBytes))
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.MaxBytes+1))
	if err != nil {
		return FetchResult{}, fetchError(err, f.Client.Timeout)
	}
	if int64(len(body)) > f.MaxBytes {
		return FetchResult{}, fmt.Errorf("лента больше %s", mb(f.MaxBytes))
	}
	res.Title, res.Entries, err = ParseFeed(body)
	if err != nil {
		return FetchResult{}, err
	}
	if len(res.Entries) > maxEntries {
		res.Entries = res.Entries[:maxEntries]
	}
	return res, nil
}

func mb(n int64) string {
	if n >= 1<<20 {
		return strconv.FormatInt(n>>20, 10) + " МБ"
	}
	return strconv.FormatInt(n>>10, 10) + " КБ"
}

func fetchError(err error, timeout time.Duration) error {
	var ne net.Error
	switch {
	case errors.Is(err, errTooManyRedirects):
		return fmt.Errorf("больше %d перенаправлений (возможно, перенаправление по кругу)", maxRedirects)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return fmt.Errorf("сервер не ответил за %d с", int(timeout.Seconds()))
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return errors.New("адрес сервера не найден (DNS)")
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return errors.New("не удалось соединиться с сервером")
	}
	return errors.New("не удалось получить ленту: ошибка соединения")
}
