package main

// Routes of the regional report (see routeAccess).
func init() {
	addRoutes(map[string]string{
		"GET /admin/region":      "regional_admin",
		"GET /admin/region.csv":  "regional_admin",
		"GET /admin/region.xlsx": "regional_admin",
	})
}
