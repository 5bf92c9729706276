package acts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/search"
	"github.com/glasnost/glasnost/internal/web"
)

// Actor is who makes a change: a member of staff through a page or a token,
// or the system (the demo loader).
type Actor struct {
	MunicipalityID int64
	AccountID      int64
	Name           string
}

// ActorFrom is the actor behind a request.
func ActorFrom(r *http.Request) Actor {
	e := audit.FromRequest(r, "", "", "", nil, nil)
	return Actor{MunicipalityID: e.MunicipalityID, AccountID: e.AccountID, Name: e.Actor}
}

func (ac Actor) entry(action, entity string, id int64, before, after any) audit.Entry {
	return audit.Entry{MunicipalityID: ac.MunicipalityID, AccountID: ac.AccountID, Actor: ac.Name, Action: action, Entity: entity, EntityID: strconv.FormatInt(id, 10), Before: before, After: after}
}

// auditAct is what the audit log keeps of an act: the fields people edit,
// without the rendered HTML.
func auditAct(a *Act) any {
	if a == nil {
		return nil
	}
	return map[string]any{"kind": a.Kind, "number": a.Number, "date": a.Date, "title": a.Title, "status": a.Status,
		"department_id": a.DepartmentID, "spheres": a.Spheres, "published": a.Published, "text": a.Text}
}

func auditExplanation(x *Explanation) any {
	if x == nil {
		return nil
	}
	return map[string]any{"act_id": x.ActID, "format": x.Format, "title": x.Title, "body": x.Body, "file_id": x.FileID, "video_url": x.VideoURL, "published": x.Published}
}

func auditReview(r *Review) any {
	if r == nil {
		return nil
	}
	return map[string]any{"title": r.Title, "from": r.From, "to": r.To, "department_id": r.DepartmentID, "text": r.Text, "acts": r.ActIDs, "published": r.Published}
}

// SaveAct creates (a.ID == 0) or updates an act in tx, with everything that
// goes with it: the rendered text, the effect of its links once it is in
// force, the search index, the public event and the audit record. before is
// the act as it was (nil when created).
func (a *Area) SaveAct(ctx context.Context, tx *db.Tx, ac Actor, before *Act, act *Act) error {
	html, err := a.actText.HTML(act.Text)
	if err != nil {
		return fmt.Errorf("render act text: %w", err)
	}
	act.HTML = html
	act.MunicipalityID = ac.MunicipalityID
	wasPublic := before != nil && before.Public()
	if act.Published && (before == nil || !before.Published) && act.PublishedAt.IsZero() {
		act.PublishedAt = a.DB.Now()
	}
	action := "update"
	if before == nil {
		action = "create"
		if err := a.Store.CreateAct(ctx, tx, act, ac.AccountID); err != nil {
			return err
		}
	} else if err := a.Store.UpdateAct(ctx, tx, act); err != nil {
		return err
	}
	if err := audit.Write(ctx, tx, a.DB.Now(), ac.entry(action, "act", act.ID, auditAct(before), auditAct(act))); err != nil {
		return err
	}
	return a.afterActChange(ctx, tx, ac, wasPublic, act)
}

// afterActChange brings the index, the events and the linked acts in line
// with an act that was (or was not) public and now is (or is not).
func (a *Area) afterActChange(ctx context.Context, tx *db.Tx, ac Actor, wasPublic bool, act *Act) error {
	expls, err := a.Store.Explanations(ctx, tx, act.ID, true)
	if err != nil {
		return err
	}
	if !act.Public() {
		if err := search.Remove(ctx, tx, act.MunicipalityID, "act", strconv.FormatInt(act.ID, 10)); err != nil {
			return fmt.Errorf("unindex act %d: %w", act.ID, err)
		}
		for _, x := range expls {
			if err := search.Remove(ctx, tx, act.MunicipalityID, "explanation", strconv.FormatInt(x.ID, 10)); err != nil {
				return fmt.Errorf("unindex explanation %d: %w", x.ID, err)
			}
		}
		return nil
	}
	if err := a.indexAct(ctx, tx, act); err != nil {
		return err
	}
	for i := range expls {
		if err := a.indexExplanation(ctx, tx, act, &expls[i]); err != nil {
			return err
		}
	}
	if !wasPublic {
		if err := events.Record(ctx, tx, events.Event{MunicipalityID: act.MunicipalityID, Kind: events.ActPublished, ObjectType: "act", ObjectID: strconv.FormatInt(act.ID, 10),
			Title: act.Citation(), URL: act.URL(), Spheres: act.Spheres, OccurredAt: act.PublishedAt}); err != nil {
			return err
		}
		for _, x := range expls {
			if err := a.recordExplanationEvent(ctx, tx, act, &x); err != nil {
				return err
			}
		}
	}
	return a.applyLinks(ctx, tx, ac, act)
}

// applyLinks gives the acts that a public act amends or repeals their new
// status (LinkEffect).
func (a *Area) applyLinks(ctx context.Context, tx *db.Tx, ac Actor, act *Act) error {
	if !act.Public() {
		return nil
	}
	out, _, err := a.Store.Links(ctx, tx, act.MunicipalityID, act.ID, false)
	if err != nil {
		return err
	}
	for _, l := range out {
		t := l.Other
		next := LinkEffect(t.Status, l.Kind)
		if next == t.Status {
			continue
		}
		if err := a.Store.SetStatus(ctx, tx, act.MunicipalityID, t.ID, next); err != nil {
			return err
		}
		if err := audit.Write(ctx, tx, a.DB.Now(), ac.entry("status_by_link", "act", t.ID,
			map[string]any{"status": t.Status}, map[string]any{"status": next, "by_act": act.ID, "link": l.Kind})); err != nil {
			return err
		}
		if t.Public() {
			full, err := a.Store.GetAct(ctx, tx, act.MunicipalityID, t.ID)
			if err != nil {
				return err
			}
			if err := a.indexAct(ctx, tx, &full); err != nil {
				return err
			}
		}
	}
	return nil
}

// AddLink records that act from amends or repeals act to, and applies the
// effect at once when from is in force.
func (a *Area) AddLink(ctx context.Context, tx *db.Tx, ac Actor, from, to *Act, kind string) error {
	if err := ValidateLink(*from, *to, kind); err != nil {
		return web.Invalid(err.Error())
	}
	id, err := a.Store.AddLink(ctx, tx, ac.MunicipalityID, from.ID, to.ID, kind)
	if err != nil {
		return err
	}
	if err := audit.Write(ctx, tx, a.DB.Now(), ac.entry("link", "act", from.ID, nil, map[string]any{"link_id": id, "kind": kind, "to_act": to.ID})); err != nil {
		return err
	}
	return a.applyLinks(ctx, tx, ac, from)
}

// actDoc is the search document of a public act.
func (a *Area) actDoc(act *Act) search.Doc {
	body := act.Heading() + ". " + act.StatusLabel() + ".\n" + a.actText.Plain(act.Text)
	return search.Doc{MunicipalityID: act.MunicipalityID, Type: "act", ObjectID: strconv.FormatInt(act.ID, 10), Title: act.Heading() + " «" + act.Title + "»",
		Body: body, URL: act.URL(), Spheres: act.Spheres, PublishedAt: act.PublishedAt}
}

func (a *Area) indexAct(ctx context.Context, tx *db.Tx, act *Act) error {
	if err := search.Put(ctx, tx, a.actDoc(act)); err != nil {
		return fmt.Errorf("index act %d: %w", act.ID, err)
	}
	return nil
}

// explanationText is the searchable text of an explanation: what a reader
// who cannot see or hear the media gets.
func (a *Area) explanationText(x *Explanation) string {
	if x.Format == FormatMindMap {
		if root, err := ParseOutline(x.Body); err == nil {
			return MindMapText(root)
		}
	}
	return a.explText.Plain(x.Body)
}

func (a *Area) indexExplanation(ctx context.Context, tx *db.Tx, act *Act, x *Explanation) error {
	id := strconv.FormatInt(x.ID, 10)
	if !act.Public() || !x.Published {
		if err := search.Remove(ctx, tx, act.MunicipalityID, "explanation", id); err != nil {
			return fmt.Errorf("unindex explanation %d: %w", x.ID, err)
		}
		return nil
	}
	d := search.Doc{MunicipalityID: act.MunicipalityID, Type: "explanation", ObjectID: id,
		Title: x.Title + " — " + strings.ToLower(x.FormatLabel()) + " к акту " + act.Heading(),
		Body:  a.explanationText(x), URL: fmt.Sprintf("%s#explanation-%d", act.URL(), x.ID), Spheres: act.Spheres, PublishedAt: x.PublishedAt}
	if err := search.Put(ctx, tx, d); err != nil {
		return fmt.Errorf("index explanation %d: %w", x.ID, err)
	}
	return nil
}

func (a *Area) recordExplanationEvent(ctx context.Context, tx *db.Tx, act *Act, x *Explanation) error {
	return events.Record(ctx, tx, events.Event{MunicipalityID: act.MunicipalityID, Kind: events.ExplanationPublished, ObjectType: "explanation", ObjectID: strconv.FormatInt(x.ID, 10),
		Title: x.Title + " (" + strings.ToLower(x.FormatLabel()) + ")", URL: fmt.Sprintf("%s#explanation-%d", act.URL(), x.ID), Spheres: act.Spheres, OccurredAt: later(x.PublishedAt, act.PublishedAt)})
}

// TextHash identifies the text that speech was made from.
func TextHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:12])
}

// SaveExplanation creates (x.ID == 0) or updates an explanation of act. A
// text explanation whose words changed gets a new audio version from the
// speech job, queued in the same transaction.
func (a *Area) SaveExplanation(ctx context.Context, tx *db.Tx, ac Actor, act *Act, before *Explanation, x *Explanation) error {
	x.MunicipalityID, x.ActID = ac.MunicipalityID, act.ID
	x.HTML = ""
	switch x.Format {
	case FormatText, FormatAudio, FormatVideo:
		h, err := a.explText.HTML(x.Body)
		if err != nil {
			return fmt.Errorf("render explanation: %w", err)
		}
		x.HTML = h
	}
	if x.Published && (before == nil || !before.Published) && x.PublishedAt.IsZero() {
		x.PublishedAt = a.DB.Now()
	}
	speak := x.Format == FormatText && (before == nil || before.Body != x.Body || before.Title != x.Title || before.AudioStatus == AudioFailed)
	if speak {
		x.AudioStatus = AudioPending
	}
	action := "update"
	if before == nil {
		action = "create"
		if err := a.Store.CreateExplanation(ctx, tx, x); err != nil {
			return err
		}
	} else if err := a.Store.UpdateExplanation(ctx, tx, x); err != nil {
		return err
	}
	if speak {
		hash := TextHash(x.Title + "\n" + x.Body)
		if err := a.Store.RequestAudio(ctx, tx, x.ID, hash); err != nil {
			return err
		}
		if err := a.Queue.InsertTx(ctx, tx, SpeechArgs{ExplanationID: x.ID, Hash: hash}, nil); err != nil {
			return err
		}
	}
	if err := audit.Write(ctx, tx, a.DB.Now(), ac.entry(action, "explanation", x.ID, auditExplanation(before), auditExplanation(x))); err != nil {
		return err
	}
	if err := a.indexExplanation(ctx, tx, act, x); err != nil {
		return err
	}
	if act.Public() && x.Published && (before == nil || !before.Published) {
		return a.recordExplanationEvent(ctx, tx, act, x)
	}
	return nil
}

// DeleteExplanation removes an explanation and its search entry.
func (a *Area) DeleteExplanation(ctx context.Context, tx *db.Tx, ac Actor, act *Act, x *Explanation) error {
	if err := a.Store.DeleteExplanation(ctx, tx, ac.MunicipalityID, act.ID, x.ID); err != nil {
		return err
	}
	if err := search.Remove(ctx, tx, ac.MunicipalityID, "explanation", strconv.FormatInt(x.ID, 10)); err != nil {
		return fmt.Errorf("unindex explanation %d: %w", x.ID, err)
	}
	return audit.Write(ctx, tx, a.DB.Now(), ac.entry("delete", "explanation", x.ID, auditExplanation(x), nil))
}

// SaveReview creates (r.ID == 0) or updates a practice review.
func (a *Area) SaveReview(ctx context.Context, tx *db.Tx, ac Actor, before *Review, r *Review) error {
	html, err := a.actText.HTML(r.Text)
	if err != nil {
		return fmt.Errorf("render review: %w", err)
	}
	r.HTML, r.MunicipalityID = html, ac.MunicipalityID
	if r.Published && (before == nil || !before.Published) && r.PublishedAt.IsZero() {
		r.PublishedAt = a.DB.Now()
	}
	action := "update"
	if before == nil {
		action = "create"
		if err := a.Store.CreateReview(ctx, tx, r); err != nil {
			return err
		}
	} else if err := a.Store.UpdateReview(ctx, tx, r); err != nil {
		return err
	}
	if err := audit.Write(ctx, tx, a.DB.Now(), ac.entry(action, "practice_review", r.ID, auditReview(before), auditReview(r))); err != nil {
		return err
	}
	id := strconv.FormatInt(r.ID, 10)
	if !r.Published {
		if err := search.Remove(ctx, tx, r.MunicipalityID, "practice_review", id); err != nil {
			return fmt.Errorf("unindex practice review %d: %w", r.ID, err)
		}
		return nil
	}
	spheres, err := a.reviewSpheres(ctx, tx, r)
	if err != nil {
		return err
	}
	doc := search.Doc{MunicipalityID: r.MunicipalityID, Type: "practice_review", ObjectID: id, Title: r.Title,
		Body: "Обзор правоприменительной практики за период " + r.Period() + ".\n" + a.actText.Plain(r.Text), URL: r.URL(), Spheres: spheres, PublishedAt: r.PublishedAt}
	if err := search.Put(ctx, tx, doc); err != nil {
		return fmt.Errorf("index practice review %d: %w", r.ID, err)
	}
	if before == nil || !before.Published {
		return events.Record(ctx, tx, events.Event{MunicipalityID: r.MunicipalityID, Kind: events.PracticeReviewPublished, ObjectType: "practice_review", ObjectID: id,
			Title: r.Title, URL: r.URL(), Spheres: spheres, OccurredAt: r.PublishedAt})
	}
	return nil
}

// reviewSpheres are the spheres of the acts a review concerns.
func (a *Area) reviewSpheres(ctx context.Context, q db.Querier, r *Review) ([]string, error) {
	sp, err := a.Store.spheresOf(ctx, q, r.ActIDs)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	for _, id := range r.ActIDs {
		for _, s := range sp[id].slugs {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out, nil
}

// later is the later of two times: an explanation becomes public when both
// it and its act are published.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
