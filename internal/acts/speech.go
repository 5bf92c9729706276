package acts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/files"
)

// SpeechArgs asks for the audio version of a text explanation. Hash names
// the text it is for, so that a job for an older text does nothing.
type SpeechArgs struct {
	ExplanationID int64  `json:"explanation_id"`
	Hash          string `json:"hash"`
}

// Kind names the job in the queue.
func (SpeechArgs) Kind() string { return "acts_explanation_speech" }

// ErrNoSynthesiser means espeak-ng is not installed; the job fails and River
// retries it, so installing the package later is enough.
var ErrNoSynthesiser = errors.New("синтезатор речи espeak-ng не найден: установите пакет espeak-ng (apt-get install espeak-ng)")

// maxSpeechInput bounds what is read aloud; explanations are limited to
// maxExplanation characters anyway, this guards the job against anything else.
const maxSpeechInput = 64 << 10

// Synthesize reads Russian text aloud with espeak-ng and returns a WAV file.
// The text goes through standard input, never the command line, so that
// nothing in it can be taken for an option.
func Synthesize(ctx context.Context, command, text string) ([]byte, error) {
	bin, err := exec.LookPath(command)
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNoSynthesiser, err)
	}
	if len(text) > maxSpeechInput {
		text = text[:maxSpeechInput]
	}
	if strings.TrimSpace(text) == "" {
		return nil, errors.New("нет текста для озвучивания")
	}
	dir, err := os.MkdirTemp("", "glasnost-speech-")
	if err != nil {
		return nil, fmt.Errorf("speech: temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "out.wav")
	cmd := exec.CommandContext(ctx, bin, "-v", "ru", "-w", out, "--stdin")
	cmd.Stdin = strings.NewReader(text)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("espeak-ng: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	wav, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("read speech output: %w", err)
	}
	if !IsWAV(wav) {
		return nil, fmt.Errorf("espeak-ng wrote %d bytes that are not a WAV file", len(wav))
	}
	return wav, nil
}

// IsWAV reports whether b starts with a RIFF/WAVE header and carries sound.
func IsWAV(b []byte) bool {
	return len(b) > 44 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WAVE"
}

// Encode compresses a WAV with an encoder command (opusenc or lame), run
// without a shell under a timeout. A missing encoder is an error the caller
// logs, keeping the WAV only.
func Encode(ctx context.Context, command string, args []string, wav []byte) ([]byte, error) {
	bin, err := exec.LookPath(command)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	dir, err := os.MkdirTemp("", "glasnost-encode-")
	if err != nil {
		return nil, fmt.Errorf("encode: temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "in.wav"), filepath.Join(dir, "out")
	if err := os.WriteFile(in, wav, 0o600); err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	cmd := exec.CommandContext(ctx, bin, append(append([]string{}, args...), in, out)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %w: %s", command, err, strings.TrimSpace(stderr.String()))
	}
	return os.ReadFile(out)
}

// encoders make the compressed copies, Opus first: browsers pick the first
// <source> they can play. lame's ID3v2 tag lets the upload check see MP3.
var encoders = []struct {
	command, ext string
	args         []string
	kind         files.Kind
}{
	{"opusenc", "opus", []string{"--quiet", "--bitrate", "24"}, files.OGG},
	{"lame", "mp3", []string{"--quiet", "-b", "32", "-m", "m", "--add-id3v2"}, files.MP3},
}

// Speak makes the audio version of a text explanation and attaches it. It
// does nothing when the text has changed since the job was queued (a newer
// job exists) or when the audio is already there.
func (a *Area) Speak(ctx context.Context, id int64, hash string) error {
	src, err := a.Store.AudioSourceOf(ctx, a.DB, id)
	if errors.Is(err, db.ErrNotFound) {
		return nil // deleted since
	}
	if err != nil {
		return err
	}
	if src.Hash != hash || (src.Status == AudioReady && src.FileID != 0) {
		return nil
	}
	text := a.explText.Plain("# " + src.Title + "\n\n" + src.Text)
	wav, err := Synthesize(ctx, a.Espeak, text)
	if err != nil {
		return fmt.Errorf("speech for explanation %d: %w", id, err)
	}
	// The file is stored before the transaction: files.Store writes its own
	// record, and a WAV left over by a lost race costs only disk space.
	meta, err := a.Files.Save(ctx, src.MunicipalityID, 0, fmt.Sprintf("пояснение-%d.wav", id), bytes.NewReader(wav), files.WAV)
	if err != nil {
		return fmt.Errorf("store speech for explanation %d: %w", id, err)
	}
	var copies [2]int64
	for i, e := range encoders {
		b, err := Encode(ctx, e.command, e.args, wav)
		if err != nil {
			// Without the encoder the WAV alone is served.
			log.Printf("acts: explanation %d: no %s copy of the audio, WAV only: %v", id, e.ext, err)
			continue
		}
		m, err := a.Files.Save(ctx, src.MunicipalityID, 0, fmt.Sprintf("пояснение-%d.%s", id, e.ext), bytes.NewReader(b), e.kind)
		if err != nil {
			return fmt.Errorf("store %s speech for explanation %d: %w", e.ext, id, err)
		}
		copies[i] = m.ID
	}
	return a.DB.InTx(ctx, func(tx *db.Tx) error {
		ok, err := a.Store.SetAudio(ctx, tx, id, hash, meta.ID, AudioReady)
		if err != nil || !ok {
			return err
		}
		return a.Store.SetAudioCopies(ctx, tx, id, copies[0], copies[1])
	})
}

type speechWorker struct {
	river.WorkerDefaults[SpeechArgs]
	area *Area
}

func (w *speechWorker) Work(ctx context.Context, job *river.Job[SpeechArgs]) error {
	err := w.area.Speak(ctx, job.Args.ExplanationID, job.Args.Hash)
	if err != nil && job.Attempt >= job.MaxAttempts {
		// The last attempt: tell the editor on the page instead of
		// promising audio forever. Saving the text again retries.
		_ = w.area.DB.InTx(ctx, func(tx *db.Tx) error {
			_, e := w.area.Store.SetAudio(ctx, tx, job.Args.ExplanationID, job.Args.Hash, 0, AudioFailed)
			return e
		})
	}
	return err
}
