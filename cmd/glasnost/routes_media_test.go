package main

// Routes of the media area and who may use them (see routeAccess).
func init() {
	const staff = "administrator,press"
	const reqStaff = "administrator,editor,press"
	addRoutes(map[string]string{
		// The press centre and the journalist's requests.
		"GET /media":                         "public",
		"GET /media/digests":                 "public",
		"GET /media/digests/{id}":            "public",
		"GET /media/digests/{id}/digest.pdf": "public",
		"GET /media/demo-feeds/{name}":       "public",
		"GET /media/requests":                "signed-in",
		"GET /media/requests/new":            "signed-in",
		"POST /media/requests":               "signed-in",

		// The media plan and its weekly control.
		"GET /admin/media":                          staff,
		"POST /admin/media/plans":                   staff,
		"GET /admin/media/plans/template.xlsx":      staff,
		"GET /admin/media/plans/{id}":               staff,
		"POST /admin/media/plans/{id}":              staff,
		"POST /admin/media/plans/{id}/items":        staff,
		"POST /admin/media/plans/{id}/import":       staff,
		"GET /admin/media/items/{id}":               staff,
		"POST /admin/media/items/{id}":              staff,
		"POST /admin/media/items/{id}/delete":       staff,
		"POST /admin/media/items/{id}/control":      staff,
		"GET /admin/media/week":                     staff,
		"GET /admin/media/reports":                  staff,
		"GET /admin/media/reports/{id}":             staff,
		"GET /admin/media/reports/{id}/report.pdf":  staff,
		"GET /admin/media/reports/{id}/report.xlsx": staff,

		// Monitoring.
		"GET /admin/media/sources":                 staff,
		"POST /admin/media/sources":                staff,
		"POST /admin/media/sources/{id}/fetch":     staff,
		"POST /admin/media/sources/{id}/delete":    staff,
		"POST /admin/media/rules":                  staff,
		"POST /admin/media/rules/{id}/delete":      staff,
		"GET /admin/media/mentions":                staff,
		"POST /admin/media/mentions/{id}/tonality": staff,
		"GET /admin/media/lexicon":                 staff,
		"POST /admin/media/lexicon":                staff,

		// Journalists' requests and accreditation.
		"GET /admin/media/requests":               reqStaff,
		"GET /admin/media/requests/new":           reqStaff,
		"POST /admin/media/requests":              reqStaff,
		"GET /admin/media/requests/{id}":          reqStaff,
		"POST /admin/media/requests/{id}/notice":  staff,
		"POST /admin/media/requests/{id}/draft":   reqStaff,
		"POST /admin/media/requests/{id}/check":   staff,
		"POST /admin/media/requests/{id}/publish": staff,
		"GET /admin/media/accreditations":         staff,
		"POST /admin/media/accreditations":        staff,
		"POST /admin/media/accreditations/{id}":   staff,

		// Machines.
		"GET /api/v1/media/plan":                "public",
		"POST /api/v1/media/requests":           "administrator,operator,press",
		"GET /api/v1/media/mentions":            staff,
		"POST /api/v1/media/sources":            staff,
		"POST /api/v1/media/sources/{id}/fetch": staff,
	})
}
