package main

// Routes of the council area and who may use them (see routeAccess).
func init() {
	addRoutes(map[string]string{})
}
