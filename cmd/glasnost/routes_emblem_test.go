package main

// Routes of the coat of arms (see routeAccess); /favicon.ico is listed in
// routes_test.go.
func init() {
	addRoutes(map[string]string{
		"GET /admin/municipality":              "administrator",
		"POST /admin/municipality/arms":        "administrator",
		"POST /admin/municipality/arms/delete": "administrator",
		"GET /coat-of-arms.svg":                "public",
		"GET /coat-of-arms.png":                "public",
	})
}
