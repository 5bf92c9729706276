package web

import (
	"net/url"
	"strconv"
)

// Pager is one page of a list: LIMIT/OFFSET for the query and links for the
// page. Lists are always paginated so that no page grows with the data.
type Pager struct {
	Page    int
	PerPage int
	Total   int
	Pages   int
	base    url.URL
}

// NewPager reads ?page= from u (1 when absent or bad).
func NewPager(u *url.URL, perPage int) *Pager {
	p, err := strconv.Atoi(u.Query().Get("page"))
	if err != nil || p < 1 {
		p = 1
	}
	if p > 100000 {
		p = 100000
	}
	return &Pager{Page: p, PerPage: perPage, base: *u}
}

// SetTotal records the number of items and clamps the page.
func (p *Pager) SetTotal(n int) {
	p.Total = n
	p.Pages = (n + p.PerPage - 1) / p.PerPage
	if p.Pages < 1 {
		p.Pages = 1
	}
}

// Offset is the number of items before this page.
func (p *Pager) Offset() int { return (p.Page - 1) * p.PerPage }

// Href links to page n keeping the other query parameters.
func (p *Pager) Href(n int) string {
	u := p.base
	q := u.Query()
	if n <= 1 {
		q.Del("page")
	} else {
		q.Set("page", strconv.Itoa(n))
	}
	u.RawQuery = q.Encode()
	return u.RequestURI()
}
