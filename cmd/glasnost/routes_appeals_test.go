package main

// Routes of the appeals area added after routes_test.go was written, and
// who may use them (see routeAccess).
func init() {
	addRoutes(map[string]string{
		"POST /admin/appeals/calendar/term-end":         "administrator",
		"GET /admin/appeals/settings":                   "administrator",
		"POST /admin/appeals/settings":                  "administrator",
		"GET /appeals/submitted/{number}":               "signed-in",
		"GET /appeals/answers":                          "public",
		"GET /admin/appeals/{number}/letter.pdf":        "administrator,editor,lawyer,operator,press",
		"GET /admin/appeals/{number}/letter":            "administrator,editor,lawyer,operator,press",
		"GET /admin/appeals/sstu":                       "administrator,operator",
		"POST /admin/appeals/reports/{id}/narrative":    "administrator",
		"POST /admin/appeals/{number}/published-answer": "administrator",
		"GET /admin/appeals/receptions":                 "administrator,operator",
		"POST /admin/appeals/receptions":                "administrator,operator",
		"POST /admin/appeals/calendar/retention":        "administrator",
	})
}
