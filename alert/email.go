package alert

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/config"
)

// email sends the digest over SMTP, always upgraded with STARTTLS before
// authenticating or sending anything.
type email struct {
	name, host, user, pass string
	port                   int
	from                   *mail.Address
	to                     []*mail.Address
	roots                  *x509.CertPool // nil: the system's
}

func newEmail(ch config.AlertChannel) (*email, error) {
	e := &email{name: ch.Name, host: ch.Host, port: ch.Port, user: ch.Username, pass: ch.Password}
	var err error
	if e.from, err = mail.ParseAddress(ch.From); err != nil {
		return nil, fmt.Errorf("alert channel %s: from %q: %w", ch.Name, ch.From, err)
	}
	for _, t := range ch.To {
		a, err := mail.ParseAddress(t)
		if err != nil {
			return nil, fmt.Errorf("alert channel %s: to %q: %w", ch.Name, t, err)
		}
		e.to = append(e.to, a)
	}
	if ch.CAFile != "" {
		pem, err := os.ReadFile(ch.CAFile)
		if err != nil {
			return nil, fmt.Errorf("alert channel %s: ca_file: %w", ch.Name, err)
		}
		if e.roots, err = x509.SystemCertPool(); err != nil {
			e.roots = x509.NewCertPool()
		}
		if !e.roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("alert channel %s: ca_file %s holds no PEM certificate", ch.Name, ch.CAFile)
		}
	}
	return e, nil
}

func (e *email) Send(ctx context.Context, d Digest) error {
	addr := net.JoinHostPort(e.host, strconv.Itoa(e.port))
	if err := e.send(ctx, addr, d); err != nil {
		return fmt.Errorf("e-mail via %s: %w", addr, err)
	}
	return nil
}

func (e *email) send(ctx context.Context, addr string, d Digest) error {
	dialer := net.Dialer{Timeout: 20 * time.Second}
	conn, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(time.Minute)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, e.host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); !ok {
		return fmt.Errorf("the server offers no STARTTLS; refusing to send in clear text")
	}
	if err := c.StartTLS(&tls.Config{ServerName: e.host, RootCAs: e.roots, MinVersion: tls.VersionTLS12}); err != nil {
		return fmt.Errorf("STARTTLS: %w", err)
	}
	if e.user != "" {
		if err := c.Auth(smtp.PlainAuth("", e.user, e.pass, e.host)); err != nil {
			return fmt.Errorf("log in as %s: %w", e.user, err)
		}
	}
	if err := c.Mail(e.from.Address); err != nil {
		return err
	}
	for _, t := range e.to {
		if err := c.Rcpt(t.Address); err != nil {
			return fmt.Errorf("recipient %s: %w", t.Address, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(e.message(d, time.Now())); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// message is the RFC 5322 message: UTF-8 subject and names encoded per
// RFC 2047, the plain-text body in base64.
func (e *email) message(d Digest, now time.Time) []byte {
	var b bytes.Buffer
	to := make([]string, len(e.to))
	for i, a := range e.to {
		to[i] = a.String()
	}
	id := make([]byte, 12)
	rand.Read(id)
	domain := e.from.Address[strings.LastIndexByte(e.from.Address, '@')+1:]
	header := [][2]string{
		{"From", e.from.String()},
		{"To", strings.Join(to, ", ")},
		{"Subject", mime.BEncoding.Encode("UTF-8", d.Title())},
		{"Date", now.Format(time.RFC1123Z)},
		{"Message-ID", "<" + hex.EncodeToString(id) + "@" + domain + ">"},
		{"MIME-Version", "1.0"},
		{"Content-Type", "text/plain; charset=UTF-8"},
		{"Content-Transfer-Encoding", "base64"},
	}
	for _, h := range header {
		b.WriteString(h[0] + ": " + h[1] + "\r\n")
	}
	b.WriteString("\r\n")
	body := base64.StdEncoding.EncodeToString([]byte(strings.ReplaceAll(d.Text(), "\n", "\r\n")))
	for len(body) > 76 {
		b.WriteString(body[:76] + "\r\n")
		body = body[76:]
	}
	b.WriteString(body + "\r\n")
	return b.Bytes()
}
