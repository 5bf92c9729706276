package opendata

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// TestConditionsOfUse: the recommendations require the conditions of use on
// every dataset's page; harvesters read them from CKAN and DCAT. Until the
// administrator names other conditions, CC BY 4.0 is stated everywhere.
func TestConditionsOfUse(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a, _, _ := newArea(t, d)
		if err := a.Demo(context.Background(), env.Municipality); err != nil {
			t.Fatal(err)
		}
		c := env.Anonymous()
		const page = "/opendata/6606003385-test_register"
		licenses := func() (html string, ckanID, ckanURL, dcat string) {
			t.Helper()
			html = c.Get(page).Body
			var show struct {
				Result struct {
					LicenseID  string `json:"license_id"`
					LicenseURL string `json:"license_url"`
				} `json:"result"`
			}
			c.Get("/api/3/action/package_show?id=6606003385-test_register").JSON(t, &show)
			var cat struct {
				Datasets []struct {
					License struct {
						ID string `json:"@id"`
					} `json:"dct:license"`
				} `json:"dcat:dataset"`
			}
			if err := json.Unmarshal([]byte(c.Get("/opendata/catalog.jsonld").Body), &cat); err != nil || len(cat.Datasets) == 0 {
				t.Fatalf("catalog: %v", err)
			}
			return html, show.Result.LicenseID, show.Result.LicenseURL, cat.Datasets[0].License.ID
		}
		html, id, u, dcat := licenses()
		if !strings.Contains(html, "Условия использования") || !strings.Contains(html, DefaultLicense.URL) || id != "cc-by" || u != DefaultLicense.URL || dcat != DefaultLicense.URL {
			t.Fatalf("default licence: ckan %q %q, dcat %q, page has it: %v", id, u, dcat, strings.Contains(html, DefaultLicense.URL))
		}

		admin := env.Client("", auth.Administrator)
		form := url.Values{"inn": {"6606003385"}, "publisher_name": {"Управление делами"}, "license_title": {"Условия использования открытых данных администрации"}, "license_url": {"javascript:alert(1)"}}
		r := admin.PostForm("/admin/opendata/settings", form)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "начинающийся с https://") || !strings.Contains(r.Body, "Условия использования открытых данных администрации") {
			t.Fatalf("a licence without a readable address: %d", r.Status)
		}
		if _, id, _, _ := licenses(); id != "cc-by" {
			t.Fatalf("a refused form changed the licence: %q", id)
		}
		form.Set("license_url", "https://vpyshma.example/opendata-terms")
		if r := admin.PostForm("/admin/opendata/settings", form); r.Status != http.StatusSeeOther {
			t.Fatalf("save: %d", r.Status)
		}
		html, id, u, dcat = licenses()
		if !strings.Contains(html, "Условия использования открытых данных администрации") || id != "other-open" || u != "https://vpyshma.example/opendata-terms" || dcat != u {
			t.Fatalf("own licence: ckan %q %q, dcat %q", id, u, dcat)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'opendata.settings'`); n != 1 {
			t.Errorf("audit entries of the settings: %d", n)
		}
	})
}
