package feed

import (
	"encoding/xml"
	"net/http/httptest"
	"testing"
	"time"
)

func TestWriteMakesAbsoluteLinksAndNewestUpdate(t *testing.T) {
	rec := httptest.NewRecorder()
	older := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	newer := time.Date(2026, 4, 2, 10, 30, 0, 0, time.FixedZone("YEKT", 5*3600))
	err := Write(rec, "https://portal.example", Feed{Title: "Акты <и> решения", Path: "/acts", SelfPath: "/acts/feed.atom", Author: "Округ",
		Entries: []Entry{{Title: "Первый", Path: "/acts/1", Updated: older}, {Title: "Второй", Path: "/acts/2", Published: newer}}})
	if err != nil {
		t.Fatal(err)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}
	var got struct {
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Entries []struct {
			ID        string `xml:"id"`
			Updated   string `xml:"updated"`
			Published string `xml:"published"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("not XML: %v\n%s", err, rec.Body)
	}
	if got.Title != "Акты <и> решения" || got.Updated != "2026-04-02T05:30:00Z" || len(got.Entries) != 2 {
		t.Fatalf("feed %+v", got)
	}
	// Newest first.
	if got.Entries[1].ID != "https://portal.example/acts/1" || got.Entries[0].Updated != "2026-04-02T05:30:00Z" || got.Entries[0].Published == "" {
		t.Errorf("entries %+v", got.Entries)
	}
}

func TestBaseFallsBackToTheRequestHost(t *testing.T) {
	r := httptest.NewRequest("GET", "http://localhost:8080/acts/feed.atom", nil)
	if b := Base(r, ""); b != "http://localhost:8080" {
		t.Errorf("Base = %q", b)
	}
	if b := Base(r, "https://portal.example/"); b != "https://portal.example" {
		t.Errorf("Base = %q", b)
	}
}
