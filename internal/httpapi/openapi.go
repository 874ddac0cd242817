package httpapi

import (
	_ "embed" // for the OpenAPI document
	"net/http"
)

// openAPIDocument is the hand-written OpenAPI 3.1 description of the API.
//
//go:embed openapi.json
var openAPIDocument []byte

// openAPI handles GET /api/v1/openapi.json (no auth).
func (s *server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=300")
	writeBody(w, http.StatusOK, openAPIDocument)
}
