package main

import (
	"strings"
	"testing"
)

// TestBrowserRegion: the regional administrator finds the report in
// «Рабочий кабинет», chooses a quarter without JavaScript's help, and
// axe-core checks the pages.
func TestBrowserRegion(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	e2eEngines(t, func(t *testing.T, srv *server, b *browser) {
		b.login("region@vpyshma.demo", DemoPassword)
		b.visit("/admin")
		if s := b.text("main"); !strings.Contains(s, "Сводка по муниципалитетам региона") {
			t.Fatalf("the staff index lacks the report: %q", s[:min(len(s), 400)])
		}
		b.visit("/admin/region")
		if s := b.text("main table"); !strings.Contains(s, "Городской округ Верхняя Пышма") || !strings.Contains(s, "Итого") {
			t.Fatalf("report: %q", s[:min(len(s), 400)])
		}
		b.submit(map[string]string{"#quarter": "2"}, "main form button[type=submit]")
		if s := b.text("main"); !strings.Contains(s, "II квартал") {
			t.Errorf("after choosing the quarter: %q", s[:min(len(s), 400)])
		}
	})
}
