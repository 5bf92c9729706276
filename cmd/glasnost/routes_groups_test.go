package main

// Routes of the groups area and who may use them (see routeAccess).
func init() {
	addRoutes(map[string]string{
		"GET /groups":                             "public",
		"GET /groups/{id}":                        "public",
		"POST /groups/{id}/apply":                 "signed-in",
		"POST /groups/{id}/leave":                 "signed-in",
		"GET /api/v1/groups":                      "public",
		"GET /api/v1/groups/{id}":                 "public",
		"GET /admin/groups":                       "administrator,editor",
		"POST /admin/groups/settings":             "administrator",
		"GET /admin/groups/new":                   "administrator",
		"POST /admin/groups":                      "administrator",
		"GET /admin/groups/{id}":                  "administrator,editor",
		"POST /admin/groups/{id}":                 "administrator,editor",
		"POST /admin/groups/{id}/members":         "administrator,editor",
		"POST /admin/groups/members/{id}/approve": "administrator,editor",
		"POST /admin/groups/members/{id}/decline": "administrator,editor",
		"POST /admin/groups/members/{id}/remove":  "administrator,editor",
	})
}
