package main

// Routes of the media area and who may use them (see routeAccess).
func init() {
	addRoutes(map[string]string{})
}
