package main

// Routes of the polls area and who may use them (see routeAccess).
func init() {
	const staff = "administrator,editor"
	addRoutes(map[string]string{
		"GET /polls":                      "public",
		"GET /polls/feed.atom":            "public",
		"GET /polls/{id}":                 "public",
		"POST /polls/{id}":                "public",
		"GET /polls/{id}/results.csv":     "public",
		"GET /polls/{id}/results.xlsx":    "public",
		"GET /api/v1/polls":               "public",
		"GET /api/v1/polls/{id}":          "public",
		"GET /api/v1/polls/{id}/results":  "public",
		"POST /api/v1/polls/{id}/answers": "public",

		"GET /admin/polls":                              staff,
		"GET /admin/polls/new":                          staff,
		"POST /admin/polls/new":                         staff,
		"GET /admin/polls/moderation":                   staff,
		"POST /admin/poll-answers/{id}":                 staff,
		"GET /admin/polls/wishes":                       staff,
		"POST /admin/poll-wishes/{id}":                  staff,
		"GET /admin/polls/{id}":                         staff,
		"POST /admin/polls/{id}":                        staff,
		"POST /admin/polls/{id}/questions":              staff,
		"POST /admin/polls/{id}/questions/{qid}":        staff,
		"POST /admin/polls/{id}/questions/{qid}/delete": staff,
		"POST /admin/polls/{id}/publish":                staff,
		"POST /admin/polls/{id}/close":                  staff,
	})
}
