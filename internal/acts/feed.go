package acts

import (
	"net/http"

	"github.com/glasnost/glasnost/internal/feed"
	"github.com/glasnost/glasnost/internal/web"
)

// actsFeed is advertised by the register's pages.
var actsFeed = []web.Feed{{Title: "Муниципальные правовые акты", Href: "/acts/feed.atom"}}

// feedAtom serves the latest published acts as Atom, for feed readers and
// for the media who follow the administration's decisions.
func (a *Area) feedAtom(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	list, _, err := a.Store.ListActs(r.Context(), a.DB, m.ID, Filter{PublicOnly: true}, 30, 0)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f := feed.Feed{Title: "Муниципальные правовые акты — " + m.Name, Path: "/acts", SelfPath: "/acts/feed.atom", Author: m.Name}
	for _, act := range list {
		e := feed.Entry{Title: act.Citation(), Path: act.URL(), Updated: act.UpdatedAt, Published: act.PublishedAt, Summary: act.StatusLabel() + "."}
		if act.Department != "" {
			e.Summary += " Разработчик: " + act.Department + "."
		}
		f.Entries = append(f.Entries, e)
	}
	if err := feed.Write(w, feed.Base(r, a.BaseURL), f); err != nil {
		a.Log.WarnContext(r.Context(), "acts feed", "err", err)
	}
}
