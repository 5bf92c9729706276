package web

import (
	"net/http"
	"sort"
	"sync"
)

// APIDoc collects the OpenAPI 3 description of the JSON endpoints; each
// area describes its own when it mounts them.
type APIDoc struct {
	mu      sync.Mutex
	Title   string
	Version string
	paths   map[string]map[string]any
	schemas map[string]any
}

// NewAPIDoc returns an empty document.
func NewAPIDoc(title, version string) *APIDoc {
	return &APIDoc{Title: title, Version: version, paths: map[string]map[string]any{}, schemas: map[string]any{}}
}

// Operation describes one endpoint.
type Operation struct {
	Summary     string
	Tags        []string
	Auth        bool // requires a bearer token or a session
	Parameters  []map[string]any
	RequestBody map[string]any // JSON schema of the body
	Response    map[string]any // JSON schema of the 200/201 body
	Status      int            // success status, 200 by default
	ContentType string         // success content type, JSON by default
}

// Add describes method+path ("GET", "/api/v1/acts/{id}").
func (d *APIDoc) Add(method, path string, op Operation) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.paths[path] == nil {
		d.paths[path] = map[string]any{}
	}
	status := op.Status
	if status == 0 {
		status = http.StatusOK
	}
	ct := op.ContentType
	if ct == "" {
		ct = "application/json"
	}
	resp := map[string]any{"description": "Успешный ответ"}
	if op.Response != nil {
		resp["content"] = map[string]any{ct: map[string]any{"schema": op.Response}}
	} else if op.ContentType != "" {
		resp["content"] = map[string]any{ct: map[string]any{}}
	}
	o := map[string]any{
		"summary":   op.Summary,
		"responses": map[string]any{itoa(status): resp, "default": map[string]any{"description": "Ошибка", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}},
	}
	if len(op.Tags) > 0 {
		o["tags"] = op.Tags
	}
	if op.Auth {
		o["security"] = []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}}
	}
	if len(op.Parameters) > 0 {
		o["parameters"] = op.Parameters
	}
	if op.RequestBody != nil {
		o["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": op.RequestBody}}}
	}
	d.paths[path][lower(method)] = o
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// Paths lists the described paths, sorted (for tests).
func (d *APIDoc) Paths() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	for p := range d.paths {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Has reports whether method+path is described.
func (d *APIDoc) Has(method, path string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, ok := d.paths[path][lower(method)]
	return ok
}

// ServeHTTP serves the document.
func (d *APIDoc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	doc := map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": d.Title, "version": d.Version, "description": "JSON API портала открытости glasnost. Ошибки возвращаются в виде {\"error\": {\"code\", \"message\"}} с сообщением на русском языке."},
		"paths":   d.paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"bearer":  map[string]any{"type": "http", "scheme": "bearer", "description": "Токен из команды glasnost token create"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "glasnost_session"},
			},
			"schemas": map[string]any{"Error": map[string]any{"type": "object", "properties": map[string]any{"error": map[string]any{"type": "object", "properties": map[string]any{
				"code": map[string]any{"type": "string"}, "message": map[string]any{"type": "string"}, "fields": map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}},
			}}}}},
		},
	}
	WriteJSON(w, http.StatusOK, doc)
	d.mu.Unlock()
}

// Schema helpers for terse descriptions.
func Obj(props map[string]any, required ...string) map[string]any {
	o := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// Str, Int, Bool, Arr are JSON schema shorthands.
func Str() map[string]any                     { return map[string]any{"type": "string"} }
func Int() map[string]any                     { return map[string]any{"type": "integer"} }
func Bool() map[string]any                    { return map[string]any{"type": "boolean"} }
func Arr(items map[string]any) map[string]any { return map[string]any{"type": "array", "items": items} }

// QueryParam describes a query parameter.
func QueryParam(name, desc string, required bool) map[string]any {
	return map[string]any{"name": name, "in": "query", "required": required, "description": desc, "schema": Str()}
}

// PathParam describes a path parameter.
func PathParam(name, desc string) map[string]any {
	return map[string]any{"name": name, "in": "path", "required": true, "description": desc, "schema": Str()}
}
