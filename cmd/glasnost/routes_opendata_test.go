package main

// Routes of the opendata area and who may use them (see routeAccess).
func init() {
	addRoutes(map[string]string{
		"GET /opendata":                       "public",
		"GET /opendata/list.csv":              "public",
		"GET /opendata/catalog.jsonld":        "public",
		"GET /opendata/feed.atom":             "public",
		"GET /opendata/{identifier}":          "public",
		"GET /opendata/{identifier}/meta.csv": "public",
		"GET /opendata/{identifier}/{file}":   "public",
		"GET /api/3/action/package_list":      "public",
		"GET /api/3/action/package_show":      "public",
		"GET /api/3/action/package_search":    "public",
		"GET /admin/opendata":                 "administrator,editor",
		"GET /admin/opendata/new":             "administrator,editor",
		"POST /admin/opendata":                "administrator,editor",
		"GET /admin/opendata/settings":        "administrator",
		"POST /admin/opendata/settings":       "administrator",
		"POST /admin/opendata/generate":       "administrator,editor",
		"GET /admin/opendata/{id}":            "administrator,editor",
		"POST /admin/opendata/{id}":           "administrator,editor",
		"POST /admin/opendata/{id}/upload":    "administrator,editor",
	})
}
