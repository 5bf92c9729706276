package main

// Routes of the training area and who may use them (see routeAccess).
func init() {
	addRoutes(map[string]string{})
}
