package main

// Routes of the outbox (see routeAccess).
func init() {
	addRoutes(map[string]string{
		"GET /admin/outbox":        "administrator",
		"POST /admin/outbox/retry": "administrator",
	})
}
