package webtest

import (
	"bytes"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"encoding/base64"

	"github.com/emersion/go-smtp"

	"github.com/glasnost/glasnost/internal/notify"
)

// Received is a message as the SMTP server got it, decoded.
type Received struct {
	From    string
	To      []string
	Subject string
	Body    string
	Raw     string
}

// MailServer is a real SMTP server (emersion/go-smtp) inside the test process.
type MailServer struct {
	mu       sync.Mutex
	messages []Received
	arrived  chan struct{}
	srv      *smtp.Server
	Addr     string
}

// StartMailServer listens on a free loopback port until the test ends.
func StartMailServer(t testing.TB) *MailServer {
	t.Helper()
	ms := &MailServer{arrived: make(chan struct{}, 100)}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &mailSession{ms: ms}, nil }))
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen smtp: %v", err)
	}
	ms.srv, ms.Addr = s, ln.Addr().String()
	go func() { _ = s.Serve(ln) }()
	t.Cleanup(func() { _ = s.Close() })
	return ms
}

// Config is the sender configuration that delivers to this server.
func (ms *MailServer) Config() notify.SMTPConfig {
	host, port, _ := net.SplitHostPort(ms.Addr)
	p := 0
	for _, c := range port {
		p = p*10 + int(c-'0')
	}
	return notify.SMTPConfig{Host: host, Port: p, From: "portal@glasnost.test"}
}

// Messages returns what has arrived so far.
func (ms *MailServer) Messages() []Received {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]Received(nil), ms.messages...)
}

// WaitFor waits until a message to addr whose subject contains subject arrives.
func (ms *MailServer) WaitFor(t testing.TB, addr, subject string, timeout time.Duration) Received {
	t.Helper()
	deadline := time.After(timeout)
	for {
		for _, m := range ms.Messages() {
			for _, to := range m.To {
				if strings.EqualFold(to, addr) && strings.Contains(m.Subject, subject) {
					return m
				}
			}
		}
		select {
		case <-ms.arrived:
		case <-deadline:
			t.Fatalf("no message to %s with subject containing %q within %s; got %d messages", addr, subject, timeout, len(ms.Messages()))
		}
	}
}

type mailSession struct {
	ms   *MailServer
	from string
	to   []string
}

func (s *mailSession) AuthPlain(_, _ string) error { return nil }
func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *mailSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	rec := Received{From: s.from, To: s.to, Raw: string(raw)}
	if msg, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		dec := new(mime.WordDecoder)
		rec.Subject, _ = dec.DecodeHeader(msg.Header.Get("Subject"))
		body, _ := io.ReadAll(msg.Body)
		switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
		case "quoted-printable":
			body, _ = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		case "base64":
			body, _ = base64.StdEncoding.DecodeString(strings.ReplaceAll(strings.ReplaceAll(string(body), "\r", ""), "\n", ""))
		}
		rec.Body = string(body)
	}
	s.ms.mu.Lock()
	s.ms.messages = append(s.ms.messages, rec)
	s.ms.mu.Unlock()
	select {
	case s.ms.arrived <- struct{}{}:
	default:
	}
	return nil
}
func (s *mailSession) Reset()        { s.from, s.to = "", nil }
func (s *mailSession) Logout() error { return nil }
