package main

import (
	"strings"
	"testing"
)

// A real installation starts empty: the administrator creates the
// municipality, its departments and the first administrator from the
// command line, and gets a Russian message for each mistake.
func TestCLIFreshInstallation(t *testing.T) {
	migratedCLI(t, func(t *testing.T, url string) {
		if _, err := runCLI(t, url, "long-password-1\n", "user", "add", "--email", "a@b.ru", "--role", "administrator"); err == nil || !strings.Contains(err.Error(), "municipality add") {
			t.Fatalf("user add without a municipality: %v", err)
		}
		bad := [][]string{
			{"--slug", "Верхняя", "--name", "ГО"},
			{"--slug", "vp", "--name", " "},
			{"--slug", "vp", "--name", "ГО", "--timezone", "Mars/Olympus"},
		}
		for _, args := range bad {
			if _, err := runCLI(t, url, "", append([]string{"municipality", "add"}, args...)...); err == nil {
				t.Fatalf("municipality add %v accepted", args)
			}
		}
		out, err := runCLI(t, url, "", "municipality", "add", "--slug", "sysert", "--name", "Сысертский городской округ", "--host", "Portal.Sysert.Example", "--timezone", "Asia/Yekaterinburg")
		if err != nil || !strings.Contains(out, "Создано муниципальное образование «Сысертский городской округ»") {
			t.Fatalf("municipality add: %v %s", err, out)
		}
		if _, err := runCLI(t, url, "", "municipality", "add", "--slug", "sysert", "--name", "Другое"); err == nil || !strings.Contains(err.Error(), "уже есть") {
			t.Fatalf("duplicate slug: %v", err)
		}
		if out, err := runCLI(t, url, "", "department", "add", "--slug", "legal", "--name", "Юридический отдел"); err != nil {
			t.Fatalf("department add: %v %s", err, out)
		}
		if out, err := runCLI(t, url, "long-password-1\n", "user", "add", "--email", "admin@sysert.example", "--role", "administrator,lawyer", "--department", "legal"); err != nil {
			t.Fatalf("user add: %v %s", err, out)
		}
		out, err = runCLI(t, url, "", "municipality", "list")
		if err != nil || !strings.Contains(out, "sysert\tСысертский городской округ\tportal.sysert.example\tAsia/Yekaterinburg") {
			t.Fatalf("municipality list: %v %q", err, out)
		}
	})
}
