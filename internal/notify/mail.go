// Package notify sends e-mail through SMTP as retried jobs, renders the
// Russian message templates, and keeps residents' subscriptions by sphere.
package notify

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/riverqueue/river"
	"github.com/wneessen/go-mail"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/jobs"
	"github.com/glasnost/glasnost/internal/tenant"
)

// Message is one e-mail.
type Message struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
	// MunicipalityID is the municipality the letter is sent for, so that
	// the outbox shows an administrator only their own municipality's mail.
	MunicipalityID int64 `json:"municipality_id,omitempty"`
}

// SMTPConfig is where mail goes, parsed from GLASNOST_SMTP_URL
// (smtp://user:pass@host:port?from=portal@example.ru, smtps:// for TLS).
type SMTPConfig struct {
	Host     string
	Port     int
	User     string
	Password string
	From     string
	TLS      bool // implicit TLS (smtps)
	// StartTLS is opportunistic unless the URL says starttls=required.
	RequireStartTLS bool
}

// ParseSMTPURL validates a GLASNOST_SMTP_URL value. Messages name the
// problem without echoing the password.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return SMTPConfig{}, fmt.Errorf("GLASNOST_SMTP_URL: ожидается адрес вида smtp://пользователь:пароль@сервер:587?from=portal@example.ru")
	}
	c := SMTPConfig{Host: u.Hostname(), From: u.Query().Get("from")}
	switch u.Scheme {
	case "smtp":
		c.Port = 587
	case "smtps":
		c.Port, c.TLS = 465, true
	default:
		return SMTPConfig{}, fmt.Errorf("GLASNOST_SMTP_URL: схема должна быть smtp или smtps, а не %q", u.Scheme)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTPConfig{}, fmt.Errorf("GLASNOST_SMTP_URL: неверный порт %q", p)
		}
		c.Port = n
	}
	if u.User != nil {
		c.User = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	if c.From == "" {
		return SMTPConfig{}, fmt.Errorf("GLASNOST_SMTP_URL: укажите адрес отправителя параметром ?from=")
	}
	c.RequireStartTLS = u.Query().Get("starttls") == "required"
	return c, nil
}

// Sender delivers a message now.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SMTPSender delivers through an SMTP server with go-mail.
type SMTPSender struct{ Config SMTPConfig }

// Send delivers one message.
func (s SMTPSender) Send(ctx context.Context, m Message) error {
	msg := mail.NewMsg()
	if err := msg.From(s.Config.From); err != nil {
		return fmt.Errorf("sender address: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("recipient address: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(mail.TypeTextPlain, m.Body)
	opts := []mail.Option{mail.WithPort(s.Config.Port), mail.WithTimeout(20 * time.Second)}
	if s.Config.TLS {
		opts = append(opts, mail.WithSSL())
	} else if s.Config.RequireStartTLS {
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	} else {
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	}
	if s.Config.User != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(s.Config.User), mail.WithPassword(s.Config.Password))
	}
	c, err := mail.NewClient(s.Config.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	return nil
}

// LogSender stands in when no SMTP server is configured: the message is
// recorded as not sent (without its body, which may hold personal data).
type LogSender struct{ Log func(msg string, args ...any) }

// Send records that mail could not go out.
func (l LogSender) Send(_ context.Context, m Message) error {
	l.Log("mail not sent: GLASNOST_SMTP_URL is not configured", "subject", m.Subject)
	return nil
}

// SendEmailArgs is the job that delivers one message.
type SendEmailArgs struct {
	Message Message `json:"message"`
}

// Kind names the job.
func (SendEmailArgs) Kind() string { return "send_email" }

type sendEmailWorker struct {
	river.WorkerDefaults[SendEmailArgs]
	sender Sender
	queue  *jobs.Queue
}

// Work delivers the message and then scrubs the job's arguments, so that
// the finished job keeps neither the recipient nor the text (152-FZ art. 5
// part 7). A failed scrub does not fail the delivered job (that would send
// the message again): the hourly sweep scrubs it.
func (w *sendEmailWorker) Work(ctx context.Context, job *river.Job[SendEmailArgs]) error {
	if job.Args.Message.To == "" {
		return river.JobCancel(fmt.Errorf("send_email job %d has no recipient (already scrubbed)", job.ID))
	}
	if err := w.sender.Send(ctx, job.Args.Message); err != nil {
		return err
	}
	_ = w.queue.ScrubArgs(ctx, job.ID)
	return nil
}

// RefusedKept is how long a letter the SMTP server refused keeps its
// recipient and text: a day for the administrator to see it in the outbox
// and send it again; then the sweep scrubs it like a delivered one.
const RefusedKept = 24 * time.Hour

// ScrubEmailArgs is the hourly sweep that scrubs finished send_email jobs
// (delivered, or given up after the last attempt more than RefusedKept
// ago) still holding a message.
type ScrubEmailArgs struct{}

// Kind names the job.
func (ScrubEmailArgs) Kind() string { return "scrub_email_jobs" }

type scrubEmailWorker struct {
	river.WorkerDefaults[ScrubEmailArgs]
	queue *jobs.Queue
}

func (w *scrubEmailWorker) Work(ctx context.Context, _ *river.Job[ScrubEmailArgs]) error {
	_, err := w.queue.ScrubFinished(ctx, SendEmailArgs{}.Kind(), RefusedKept)
	return err
}

//go:embed templates/*.txt
var templatesFS embed.FS

// Mailer renders templates and queues messages.
type Mailer struct {
	queue   *jobs.Queue
	tmpl    *template.Template
	BaseURL string
	// configured is false when letters only go to the log (no
	// GLASNOST_SMTP_URL): pages must then not say a letter was sent.
	configured bool
}

// Configured reports whether letters are handed to an SMTP server at all.
// Without it, a page that would say «мы отправили письмо» says instead
// that the letter could not be sent and what to do.
func (m *Mailer) Configured() bool { return m != nil && m.configured }

// Sent is the sentence a page shows after queueing a letter to someone:
// honest about a portal whose mail is not configured.
func (m *Mailer) Sent(whom string) string {
	if m.Configured() {
		return "Письмо " + whom + " поставлено в очередь отправки и придёт в течение нескольких минут."
	}
	return "Письмо " + whom + " не отправлено: на портале не настроена отправка почты. Сообщите об этом администратору портала."
}

// NewMailer registers the delivery worker on the queue.
func NewMailer(queue *jobs.Queue, sender Sender, baseURL string) (*Mailer, error) {
	t, err := template.ParseFS(templatesFS, "templates/*.txt")
	if err != nil {
		return nil, fmt.Errorf("parse mail templates: %w", err)
	}
	river.AddWorker(queue.Workers(), &sendEmailWorker{sender: sender, queue: queue})
	river.AddWorker(queue.Workers(), &scrubEmailWorker{queue: queue})
	queue.Every("scrub_email_jobs", time.Hour, func() river.JobArgs { return ScrubEmailArgs{} })
	_, logOnly := sender.(LogSender)
	return &Mailer{queue: queue, tmpl: t, BaseURL: strings.TrimRight(baseURL, "/"), configured: sender != nil && !logOnly}, nil
}

// AddTemplates parses an area's own message templates.
func (m *Mailer) AddTemplates(fsys embed.FS, pattern string) error {
	if _, err := m.tmpl.ParseFS(fsys, pattern); err != nil {
		return fmt.Errorf("parse mail templates %s: %w", pattern, err)
	}
	return nil
}

// Render produces a message from a template whose first line is
// "Subject: …" followed by a blank line and the body.
func (m *Mailer) Render(to, name string, data map[string]any) (Message, error) {
	if data == nil {
		data = map[string]any{}
	}
	data["BaseURL"] = m.BaseURL
	var b bytes.Buffer
	if err := m.tmpl.ExecuteTemplate(&b, name, data); err != nil {
		return Message{}, fmt.Errorf("render mail %s: %w", name, err)
	}
	head, body, ok := strings.Cut(b.String(), "\n\n")
	if !ok || !strings.HasPrefix(head, "Subject: ") {
		return Message{}, fmt.Errorf("mail template %s must start with a Subject: line and a blank line", name)
	}
	return Message{To: to, Subject: strings.TrimPrefix(head, "Subject: "), Body: strings.TrimSpace(body) + "\n"}, nil
}

// Queue renders a template and enqueues its delivery in tx.
func (m *Mailer) Queue(ctx context.Context, tx *db.Tx, to, name string, data map[string]any) error {
	msg, err := m.Render(to, name, data)
	if err != nil {
		return err
	}
	if mun, ok := tenant.FromContext(ctx); ok {
		msg.MunicipalityID = mun.ID
	}
	return m.queue.InsertTx(ctx, tx, SendEmailArgs{Message: msg}, nil)
}
