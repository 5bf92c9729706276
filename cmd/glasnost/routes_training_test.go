package main

// Routes of the training area and who may use them (see routeAccess).
func init() {
	const staff = "administrator,editor,lawyer,operator,press"
	addRoutes(map[string]string{
		"GET /training":                      staff,
		"GET /training/verify":               "public",
		"GET /training/{id}":                 staff,
		"GET /training/{id}/quiz":            staff,
		"POST /training/{id}/quiz":           staff,
		"GET /training/{id}/certificate.pdf": staff,
		"GET /admin/training":                "administrator",
		"GET /admin/training/report":         "administrator",
		"GET /admin/training/new":            "administrator",
		"POST /admin/training":               "administrator",
		"GET /admin/training/{id}":           "administrator",
		"POST /admin/training/{id}":          "administrator",
		"POST /admin/training/{id}/reset":    "administrator",
	})
}
