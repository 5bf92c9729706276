package main

// Routes of the council area and who may use them (see routeAccess).
func init() {
	const staff = "administrator,editor"
	addRoutes(map[string]string{
		"GET /council":                                     "public",
		"GET /council/meetings/feed.atom":                  "public",
		"GET /council/minutes/feed.atom":                   "public",
		"GET /council/members/{id}/photo":                  "public",
		"GET /council/meetings/{id}":                       "public",
		"POST /council/meetings/{id}/register":             "signed-in",
		"GET /council/plan/{year}/export.xlsx":             "public",
		"GET /council/plan/{year}/export.pdf":              "public",
		"GET /council/evaluations/{id}":                    "public",
		"GET /council/evaluations/{id}/export.xlsx":        "public",
		"GET /council/evaluations/{id}/export.pdf":         "public",
		"GET /council/cabinet":                             "council",
		"GET /council/evaluations/{id}/score":              "council",
		"POST /council/evaluations/{id}/score":             "council",
		"GET /admin/council":                               staff,
		"POST /admin/council/documents":                    staff,
		"POST /admin/council/compositions":                 staff,
		"POST /admin/council/compositions/{id}/members":    staff,
		"POST /admin/council/compositions/{id}/approve":    staff,
		"POST /admin/council/plan/items":                   staff,
		"POST /admin/council/plan-items/{id}":              staff,
		"POST /admin/council/plan/approve":                 staff,
		"POST /admin/council/meetings":                     staff,
		"GET /admin/council/meetings/{id}":                 staff,
		"POST /admin/council/meetings/{id}/minutes":        staff,
		"POST /admin/council/meetings/{id}/decisions":      staff,
		"POST /admin/council/meetings/{id}/invitations":    staff,
		"POST /admin/council/decisions/{id}":               staff,
		"POST /admin/council/methodologies":                staff,
		"POST /admin/council/methodologies/{id}/approve":   staff,
		"POST /admin/council/runs":                         staff,
		"POST /admin/council/runs/{id}/close":              staff,
		"GET /api/v1/council":                              "public",
		"GET /api/v1/council/meetings/{id}":                "public",
		"POST /api/v1/council/meetings":                    staff,
		"POST /api/v1/council/meetings/{id}/registrations": "signed-in",
	})
}
