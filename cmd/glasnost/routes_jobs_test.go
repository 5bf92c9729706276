package main

// The status page of long work started in the browser (see routeAccess);
// the handler shows a task only to whoever started it and administrators.
func init() {
	addRoutes(map[string]string{
		"GET /admin/jobs/{id}": "signed-in",
	})
}
