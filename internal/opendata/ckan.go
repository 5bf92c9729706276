package opendata

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/feed"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// The CKAN action API's shapes (https://docs.ckan.org/en/latest/api/),
// read-only: what harvesters and CKAN clients decode.

// CKANTag is a keyword.
type CKANTag struct {
	Name        string `json:"name"`
	DisplayName string `json:"display_name"`
}

// CKANResource is one version file.
type CKANResource struct {
	ID          string `json:"id"`
	PackageID   string `json:"package_id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	URL         string `json:"url"`
	Format      string `json:"format"`
	Mimetype    string `json:"mimetype"`
	Created     string `json:"created"`
	Size        int    `json:"size"`
	Hash        string `json:"hash"`
	Position    int    `json:"position"`
}

// CKANOrganization is the publisher.
type CKANOrganization struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Title string `json:"title"`
	Type  string `json:"type"`
}

// CKANPackage is a dataset.
type CKANPackage struct {
	ID               string           `json:"id"`
	Name             string           `json:"name"`
	Title            string           `json:"title"`
	Notes            string           `json:"notes"`
	URL              string           `json:"url"`
	Author           string           `json:"author"`
	Maintainer       string           `json:"maintainer"`
	MaintainerEmail  string           `json:"maintainer_email"`
	LicenseID        string           `json:"license_id"`
	LicenseTitle     string           `json:"license_title"`
	LicenseURL       string           `json:"license_url"`
	State            string           `json:"state"`
	Type             string           `json:"type"`
	Private          bool             `json:"private"`
	MetadataCreated  string           `json:"metadata_created"`
	MetadataModified string           `json:"metadata_modified"`
	Organization     CKANOrganization `json:"organization"`
	Tags             []CKANTag        `json:"tags"`
	NumTags          int              `json:"num_tags"`
	Resources        []CKANResource   `json:"resources"`
	NumResources     int              `json:"num_resources"`
}

// CKANSearch is package_search's result.
type CKANSearch struct {
	Count   int           `json:"count"`
	Sort    string        `json:"sort"`
	Results []CKANPackage `json:"results"`
	Facets  struct{}      `json:"facets"`
}

// ckanTime is CKAN's timestamp: ISO 8601 in UTC without a zone.
func ckanTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000") }

// Package makes a dataset's CKAN package; versions newest first.
func Package(base string, d Dataset, vs []Version, m tenant.Municipality, st Settings) CKANPackage {
	inn, lic := st.INN, st.License()
	p := CKANPackage{
		ID: d.Identifier, Name: d.Identifier, Title: d.Title, Notes: d.Description, URL: base + d.URL(),
		Author: d.Creator, Maintainer: d.PublisherName, MaintainerEmail: d.PublisherEmail,
		LicenseID: lic.CKANID, LicenseTitle: lic.Title, LicenseURL: lic.URL, State: "active", Type: "dataset",
		MetadataCreated: ckanTime(d.CreatedAt), MetadataModified: ckanTime(d.ModifiedAt),
		Organization: CKANOrganization{ID: inn, Name: inn, Title: m.Name, Type: "organization"},
		Tags:         []CKANTag{}, Resources: []CKANResource{},
	}
	for _, k := range d.Keywords() {
		p.Tags = append(p.Tags, CKANTag{Name: k, DisplayName: k})
	}
	for i, v := range vs {
		p.Resources = append(p.Resources, CKANResource{
			ID: d.Identifier + "/" + v.Name, PackageID: d.Identifier, Name: v.File(), URL: base + d.URL() + "/" + v.File(),
			Description: "Версия набора, структура " + v.Structure, Format: "CSV", Mimetype: "text/csv",
			Created: ckanTime(v.CreatedAt), Size: v.Size, Hash: "sha256:" + v.SHA256, Position: i,
		})
	}
	p.NumTags, p.NumResources = len(p.Tags), len(p.Resources)
	return p
}

func ckanOK(w http.ResponseWriter, r *http.Request, result any) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	web.WriteJSON(w, http.StatusOK, map[string]any{"help": helpURL(r), "success": true, "result": result})
}

func helpURL(r *http.Request) string {
	return "/api/3/action/help_show?name=" + strings.TrimPrefix(r.URL.Path, "/api/3/action/")
}

// ckanError answers as CKAN does: success false and an error of a type.
func ckanError(w http.ResponseWriter, r *http.Request, status int, typ, msg string, fields map[string][]string) {
	e := map[string]any{"message": msg, "__type": typ}
	for k, v := range fields {
		e[k] = v
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	web.WriteJSON(w, status, map[string]any{"help": helpURL(r), "success": false, "error": e})
}

func (a *Area) ckanPackageList(w http.ResponseWriter, r *http.Request) {
	ds, _, err := a.allPublished(r.Context(), web.Municipality(r), Filter{})
	if err != nil {
		a.ckanFail(w, r, err)
		return
	}
	names := []string{}
	for _, d := range ds {
		names = append(names, d.Identifier)
	}
	ckanOK(w, r, names)
}

func (a *Area) ckanFail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, db.ErrNotFound) {
		ckanError(w, r, http.StatusNotFound, "Not Found Error", "Not found", nil)
		return
	}
	a.Log.ErrorContext(r.Context(), "ckan api", "err", err)
	ckanError(w, r, http.StatusInternalServerError, "Internal Server Error", "Внутренняя ошибка сервера", nil)
}

func (a *Area) ckanPackageShow(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	if id == "" {
		id = r.URL.Query().Get("name_or_id")
	}
	if id == "" {
		ckanError(w, r, http.StatusConflict, "Validation Error", "Missing value", map[string][]string{"id": {"Missing value"}})
		return
	}
	m := web.Municipality(r)
	d, st, err := a.lookup(r.Context(), m, id)
	if err != nil {
		a.ckanFail(w, r, err)
		return
	}
	vs, err := a.Store.Versions(r.Context(), a.DB, m.ID, d.ID)
	if err != nil {
		a.ckanFail(w, r, err)
		return
	}
	ckanOK(w, r, Package(feed.Base(r, a.BaseURL), d, vs[d.ID], m, st))
}

func (a *Area) ckanPackageSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	rows, start := 10, 0
	if v := q.Get("rows"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			ckanError(w, r, http.StatusConflict, "Validation Error", "Invalid integer", map[string][]string{"rows": {"Invalid integer"}})
			return
		}
		rows = min(n, 1000)
	}
	if v := q.Get("start"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			ckanError(w, r, http.StatusConflict, "Validation Error", "Invalid integer", map[string][]string{"start": {"Invalid integer"}})
			return
		}
		start = n
	}
	text := strings.TrimSpace(q.Get("q"))
	if text == "*:*" {
		text = ""
	}
	m := web.Municipality(r)
	st, err := a.Store.Settings(r.Context(), a.DB, m.ID)
	if err != nil {
		a.ckanFail(w, r, err)
		return
	}
	list, total, err := a.Store.List(r.Context(), a.DB, m.ID, Filter{Published: true, Query: text}, rows, start)
	if err != nil {
		a.ckanFail(w, r, err)
		return
	}
	ids := make([]int64, len(list))
	for i, d := range list {
		ids[i] = d.ID
	}
	vs, err := a.Store.Versions(r.Context(), a.DB, m.ID, ids...)
	if err != nil {
		a.ckanFail(w, r, err)
		return
	}
	res := CKANSearch{Count: total, Sort: "title_string asc", Results: []CKANPackage{}}
	base := feed.Base(r, a.BaseURL)
	for _, d := range list {
		res.Results = append(res.Results, Package(base, passport(d, st, m), vs[d.ID], m, st))
	}
	ckanOK(w, r, res)
}

// catalog serves the DCAT catalogue as JSON-LD.
func (a *Area) catalog(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	ds, st, err := a.allPublished(r.Context(), m, Filter{})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	vs, err := a.Store.Versions(r.Context(), a.DB, m.ID, ids...)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	b, err := json.MarshalIndent(Catalog(feed.Base(r, a.BaseURL), m, st, ds, vs), "", "  ")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/ld+json; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, _ = w.Write(b)
}

// Catalog is the DCAT catalogue (DCAT 2, JSON-LD) of the datasets.
func Catalog(base string, m tenant.Municipality, st Settings, ds []Dataset, vs map[int64][]Version) map[string]any {
	publisher := map[string]any{"@type": "foaf:Organization", "foaf:name": m.Name, "dct:identifier": st.INN}
	lic := st.License()
	license := map[string]any{"@id": lic.URL, "@type": "dct:LicenseDocument", "dct:title": lic.Title}
	datasets := []any{}
	for _, d := range ds {
		dists := []any{}
		for _, v := range vs[d.ID] {
			url := base + d.URL() + "/" + v.File()
			dists = append(dists, map[string]any{
				"@id": url, "@type": "dcat:Distribution", "dct:title": v.File(),
				"dcat:downloadURL": map[string]any{"@id": url}, "dcat:accessURL": map[string]any{"@id": url},
				"dcat:mediaType": "text/csv", "dct:format": "CSV", "dcat:byteSize": v.Size, "dct:license": license,
				"dct:issued":     v.CreatedAt.UTC().Format(time.RFC3339),
				"dct:conformsTo": map[string]any{"@id": base + d.URL() + "/" + v.Structure + ".csv"},
			})
		}
		contact := map[string]any{"@type": "vcard:Organization", "vcard:fn": d.PublisherName}
		if d.PublisherEmail != "" {
			contact["vcard:hasEmail"] = map[string]any{"@id": "mailto:" + d.PublisherEmail}
		}
		if d.PublisherPhone != "" {
			contact["vcard:hasTelephone"] = d.PublisherPhone
		}
		ds := map[string]any{
			"@id": base + d.URL(), "@type": "dcat:Dataset",
			"dct:identifier": d.Identifier, "dct:title": d.Title, "dct:description": d.Description,
			"dcat:keyword": d.Keywords(), "dct:issued": d.CreatedAt.UTC().Format(time.RFC3339),
			"dct:modified": d.ModifiedAt.UTC().Format(time.RFC3339), "dct:creator": d.Creator,
			"dct:publisher": publisher, "dcat:contactPoint": contact, "dct:provenance": d.Provenance,
			"dcat:landingPage": map[string]any{"@id": base + d.URL()}, "dcat:distribution": dists,
			"dct:license": license,
		}
		if d.Valid != "" {
			ds["dct:valid"] = d.Valid
		}
		if d.UpdateDays > 0 {
			ds["dct:accrualPeriodicity"] = "P" + strconv.Itoa(d.UpdateDays) + "D"
		}
		datasets = append(datasets, ds)
	}
	return map[string]any{
		"@context": map[string]any{
			"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
			"foaf": "http://xmlns.com/foaf/0.1/", "vcard": "http://www.w3.org/2006/vcard/ns#",
		},
		"@id": base + "/opendata/catalog.jsonld", "@type": "dcat:Catalog",
		"dct:title": "Открытые данные — " + m.Name, "dct:language": "ru",
		"dct:publisher": publisher, "foaf:homepage": map[string]any{"@id": base + "/opendata"}, "dct:license": license,
		"dcat:dataset": datasets,
	}
}

func (a *Area) describeAPI() {
	if a.API == nil {
		return
	}
	pkg := web.Obj(map[string]any{"name": web.Str(), "title": web.Str(), "notes": web.Str(), "metadata_created": web.Str(),
		"metadata_modified": web.Str(), "tags": web.Arr(web.Obj(map[string]any{"name": web.Str()})),
		"resources":     web.Arr(web.Obj(map[string]any{"id": web.Str(), "name": web.Str(), "url": web.Str(), "format": web.Str(), "created": web.Str()})),
		"num_resources": web.Int()})
	wrap := func(result map[string]any) map[string]any {
		return web.Obj(map[string]any{"success": web.Bool(), "result": result})
	}
	a.API.Add("GET", "/api/3/action/package_list", web.Operation{Summary: "Идентификаторы опубликованных наборов открытых данных (совместимо с CKAN)", Tags: []string{"opendata"},
		Response: wrap(web.Arr(web.Str()))})
	a.API.Add("GET", "/api/3/action/package_show", web.Operation{Summary: "Набор открытых данных с паспортом и версиями (совместимо с CKAN)", Tags: []string{"opendata"},
		Parameters: []map[string]any{web.QueryParam("id", "Идентификатор набора: ИНН-код", true)}, Response: wrap(pkg)})
	a.API.Add("GET", "/api/3/action/package_search", web.Operation{Summary: "Поиск наборов открытых данных (совместимо с CKAN)", Tags: []string{"opendata"},
		Parameters: []map[string]any{web.QueryParam("q", "Слова для поиска", false), web.QueryParam("rows", "Сколько наборов вернуть (до 1000)", false), web.QueryParam("start", "Сколько пропустить", false)},
		Response:   wrap(web.Obj(map[string]any{"count": web.Int(), "results": web.Arr(pkg)}))})
}
