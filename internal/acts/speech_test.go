package acts

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// needEspeak skips without the synthesiser, except under CI, where its
// absence is a failure: CI installs it, and the audio explanations depend on it.
func needEspeak(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but espeak-ng is not installed: audio explanations cannot be tested")
		}
		t.Skip("espeak-ng is not installed")
	}
}

// needEncoders is needEspeak for opusenc and lame (Debian's opus-tools and lame).
func needEncoders(t testing.TB) {
	t.Helper()
	for _, c := range []string{"opusenc", "lame"} {
		if _, err := exec.LookPath(c); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("CI=true but %s is not installed: compressed audio cannot be tested", c)
			}
			t.Skipf("%s is not installed", c)
		}
	}
}

// checkWAV checks a RIFF/WAVE header whose data chunk carries sound.
func checkWAV(t testing.TB, b []byte) {
	t.Helper()
	if !IsWAV(b) {
		t.Fatalf("not a WAV file: % x", b[:min(len(b), 16)])
	}
	if riff := binary.LittleEndian.Uint32(b[4:8]); int(riff)+8 != len(b) {
		t.Fatalf("RIFF size %d does not match the file (%d bytes)", riff, len(b))
	}
	if i := strings.Index(string(b[:min(len(b), 256)]), "data"); i < 0 || binary.LittleEndian.Uint32(b[i+4:i+8]) == 0 {
		t.Fatalf("WAV has no sound data")
	}
}

func TestSynthesize(t *testing.T) {
	needEspeak(t)
	wav, err := Synthesize(context.Background(), "espeak-ng", "Постановление вступает в силу со дня опубликования.\n\n-v en --help")
	if err != nil {
		t.Fatal(err)
	}
	checkWAV(t, wav)
	if len(wav) < 20000 {
		t.Fatalf("suspiciously short speech: %d bytes", len(wav))
	}
}

func TestSynthesizeWithoutEspeak(t *testing.T) {
	_, err := Synthesize(context.Background(), "espeak-ng-is-not-installed", "Текст")
	if !errors.Is(err, ErrNoSynthesiser) || !strings.Contains(err.Error(), "apt-get install espeak-ng") {
		t.Fatalf("missing synthesiser: %v", err)
	}
}

// TestSpeechJob saves a text explanation and lets the queue's worker make
// its audio, then plays it from the act page's link.
func TestSpeechJob(t *testing.T) {
	needEspeak(t)
	needEncoders(t)
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		env, a := newArea(t, d)
		env.StartJobs()
		ac := system(env)
		act := saveAct(t, a, ac, Act{Kind: "resolution", Number: "7", Date: "2025-09-26", Title: "О начале отопительного периода", Status: StatusInForce, Published: true})
		x := Explanation{Format: FormatText, Title: "Когда дадут тепло", Body: "В жилые дома тепло подадут с **1 октября**.", Published: true}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return a.SaveExplanation(ctx, tx, ac, &act, nil, &x) }); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(60 * time.Second)
		for {
			got, err := a.Store.GetExplanation(ctx, d, env.Municipality.ID, act.ID, x.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.AudioStatus == AudioReady && got.AudioFileID != 0 {
				x = got
				break
			}
			if got.AudioStatus == AudioFailed || time.Now().After(deadline) {
				t.Fatalf("audio not made: status %q", got.AudioStatus)
			}
			time.Sleep(200 * time.Millisecond)
		}
		page := env.Anonymous().Get(act.URL())
		src := fmt.Sprintf("%s/files/%d", act.URL(), x.AudioFileID)
		opus := fmt.Sprintf("%s/files/%d", act.URL(), x.AudioOpusFileID)
		mp3 := fmt.Sprintf("%s/files/%d", act.URL(), x.AudioMP3FileID)
		if x.AudioOpusFileID == 0 || x.AudioMP3FileID == 0 {
			t.Fatalf("no compressed copies: opus %d, mp3 %d", x.AudioOpusFileID, x.AudioMP3FileID)
		}
		// Opus first, then MP3, then WAV: the browser plays the first it can.
		sources := `<source src="` + opus + `" type="audio/ogg; codecs=opus"><source src="` + mp3 + `" type="audio/mpeg"><source src="` + src + `" type="audio/wav">`
		if !strings.Contains(page.Body, sources) || !strings.Contains(page.Body, src+"?download=1") || !strings.Contains(page.Body, opus+"?download=1") || !strings.Contains(page.Body, mp3+"?download=1") {
			t.Fatalf("the page does not list the audio sources:\n%s", page.Body)
		}
		if !strings.Contains(page.Body, ">Opus, ") || !strings.Contains(page.Body, ">MP3, ") || !strings.Contains(page.Body, ">WAV, ") {
			t.Fatalf("the download links do not give the sizes:\n%s", page.Body)
		}
		r := env.Anonymous().Get(src)
		if r.Status != 200 || r.Header.Get("Content-Type") != "audio/wav" || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "inline") {
			t.Fatalf("audio: %d %q %q", r.Status, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
		}
		checkWAV(t, []byte(r.Body))
		for _, c := range []struct{ url, ct, magic string }{{opus, "audio/ogg", "OggS"}, {mp3, "audio/mpeg", "ID3"}} {
			rc := env.Anonymous().Get(c.url)
			if rc.Status != 200 || rc.Header.Get("Content-Type") != c.ct || !strings.HasPrefix(rc.Body, c.magic) {
				t.Fatalf("%s: %d %q", c.url, rc.Status, rc.Header.Get("Content-Type"))
			}
			// Far smaller than the WAV: that is the point of the copies.
			if len(rc.Body)*4 > len(r.Body) {
				t.Fatalf("%s is %d bytes, the WAV %d", c.ct, len(rc.Body), len(r.Body))
			}
		}
		// Browsers seek with range requests.
		req, _ := http.NewRequest(http.MethodGet, env.URL()+src, nil)
		req.Header.Set("Range", "bytes=0-99")
		if rr := env.Anonymous().Do(req); rr.Status != http.StatusPartialContent || len(rr.Body) != 100 {
			t.Fatalf("range request: %d, %d bytes", rr.Status, len(rr.Body))
		}
		// A job for an older text does nothing.
		if err := a.Speak(ctx, x.ID, "stale"); err != nil {
			t.Fatal(err)
		}
	})
}

// BenchmarkActPage renders the page of an act with its text, five
// explanations, links and files through the whole middleware chain on SQLite.
func BenchmarkActPage(b *testing.B) {
	ctx := context.Background()
	d := dbtest.Open(b, db.SQLite)
	env, a := newArea(b, d)
	env.Server()
	ac := system(env)
	old := saveAct(b, a, ac, Act{Kind: "order", Number: "1", Date: "2017-01-10", Title: "Старый порядок", Status: StatusInForce, Published: true})
	act := saveAct(b, a, ac, Act{Kind: "order", Number: "118", Date: "2018-03-07", Title: "Об утверждении плана мероприятий («дорожной карты») по реализации принципов открытости",
		Status: StatusInForce, Published: true, Spheres: []string{"education", "housing"}, Text: strings.Repeat("## Раздел\n\n1. Утвердить план мероприятий.\n2. Обеспечить выполнение плана в установленные сроки.\n\n", 20)})
	err := d.InTx(ctx, func(tx *db.Tx) error {
		if err := a.AddLink(ctx, tx, ac, &act, &old, LinkRepeals); err != nil {
			return err
		}
		for _, x := range []Explanation{
			{Format: FormatText, Title: "Коротко", Body: strings.Repeat("Администрация будет работать открыто. Решения объяснят простыми словами.\n\n", 10), Published: true},
			{Format: FormatMindMap, Title: "Карта", Body: "# Открытость\n- Сайт\n  - Новости\n- Обсуждения\n- Совет", Published: true},
			{Format: FormatVideo, Title: "Видео", VideoURL: "https://video.example.org/x", Body: "Расшифровка видео.", Published: true},
			{Format: FormatText, Title: "Для родителей", Body: "Питание в школе стало дешевле.", Published: true},
			{Format: FormatText, Title: "Для предпринимателей", Body: "Субсидии выдают до 1 декабря.", Published: true},
		} {
			if err := a.SaveExplanation(ctx, tx, ac, &act, nil, &x); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	h := env.Handler()
	url := act.URL()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, url, nil))
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
