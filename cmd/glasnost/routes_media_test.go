package main

// Routes of the media area and who may use them (see routeAccess).
func init() {
	const staff = "administrator,press"
	addRoutes(map[string]string{
		"GET /admin/media":                     staff,
		"POST /admin/media/plans":              staff,
		"GET /admin/media/plans/template.xlsx": staff,
		"GET /admin/media/plans/{id}":          staff,
		"POST /admin/media/plans/{id}":         staff,
		"POST /admin/media/plans/{id}/items":   staff,
		"POST /admin/media/plans/{id}/import":  staff,
		"GET /admin/media/items/{id}":          staff,
		"POST /admin/media/items/{id}":         staff,
		"POST /admin/media/items/{id}/delete":  staff,
	})
}
