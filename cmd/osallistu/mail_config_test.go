package main

import (
	"io"
	"strings"
	"testing"
)

func TestLoadMailConfig(t *testing.T) {
	t.Run("Off", func(t *testing.T) {
		cfg, err := loadConfig("serve", nil, env(nil), io.Discard, nil)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Mail.SMTP != nil || cfg.Server.EmailOn || cfg.Mail.BaseURL != "" || cfg.Mail.MaxAttempts == 0 {
			t.Fatalf("mail %+v", cfg.Mail)
		}
	})
	t.Run("EnvironmentAndFlags", func(t *testing.T) {
		cfg, err := loadConfig("serve", []string{"--base-url", "https://osallistu.example.fi/"}, env(map[string]string{
			"OSALLISTU_SMTP_URL": "smtps://user:secret@mail.example.fi?from=noreply@example.fi", "OSALLISTU_BASE_URL": "https://other.example.fi",
		}), io.Discard, nil)
		if err != nil {
			t.Fatal(err)
		}
		s := cfg.Mail.SMTP
		if s == nil || s.Host != "mail.example.fi" || s.Port != "465" || !s.ImplicitTLS || s.Password != "secret" || s.From.Address != "noreply@example.fi" {
			t.Fatalf("SMTP %+v", s)
		}
		if !cfg.Server.EmailOn || cfg.Mail.BaseURL != "https://osallistu.example.fi" || cfg.Server.BaseURL != cfg.Mail.BaseURL {
			t.Fatalf("config %+v / %+v", cfg.Mail, cfg.Server)
		}
	})
	t.Run("Invalid", func(t *testing.T) {
		for _, e := range []map[string]string{
			{"OSALLISTU_SMTP_URL": "mail.example.fi"},
			{"OSALLISTU_SMTP_URL": "smtp://mail.example.fi"},
			{"OSALLISTU_BASE_URL": "osallistu.example.fi"},
			{"OSALLISTU_BASE_URL": "ftp://osallistu.example.fi"},
		} {
			if _, err := loadConfig("serve", nil, env(e), io.Discard, nil); err == nil {
				t.Errorf("%v: no error", e)
			}
		}
		// The error does not repeat the password.
		_, err := loadConfig("serve", nil, env(map[string]string{"OSALLISTU_SMTP_URL": "smtp://user:s3cret@mail example.fi?from=a@example.fi"}), io.Discard, nil)
		if err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("error %v", err)
		}
	})
}
