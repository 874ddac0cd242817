package httpapi

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"path"
	"slices"
)

// The OpenAPI 3.1 description of the API is hand-written: openapi.json is
// the base document (info, security, shared components and the core
// routes), and each file under openapi/ adds the paths and components of
// one area (surveys, invitations, themes, close the loop). They are merged
// once at start; a key defined twice is an error.
//
//go:embed openapi.json openapi
var openAPIFiles embed.FS

// openAPIDocument is the merged document served at /api/v1/openapi.json.
var openAPIDocument = mustMergeOpenAPI(openAPIFiles)

// mustMergeOpenAPI merges the base document and its fragments; the files
// are embedded, so a bad one is a programming error caught by every test.
func mustMergeOpenAPI(fsys fs.FS) []byte {
	b, err := mergeOpenAPI(fsys)
	if err != nil {
		panic(err)
	}
	return b
}

func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	var doc map[string]any
	base, err := fs.ReadFile(fsys, "openapi.json")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(base, &doc); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	names, err := fs.Glob(fsys, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var frag map[string]any
		if err := json.Unmarshal(b, &frag); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if err := mergeInto(doc, frag, path.Base(name)); err != nil {
			return nil, err
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

// mergeInto adds src's keys to dst: objects merge key by key down to the
// second level (e.g. components → schemas → Name), lists append
// (tags), and any other key defined in both is a conflict.
func mergeInto(dst, src map[string]any, where string) error {
	for _, k := range slices.Sorted(maps.Keys(src)) {
		sv := src[k]
		dv, ok := dst[k]
		if !ok {
			dst[k] = sv
			continue
		}
		switch d := dv.(type) {
		case map[string]any:
			s, ok := sv.(map[string]any)
			if !ok {
				return fmt.Errorf("%s: %s is not an object", where, k)
			}
			if err := mergeInto(d, s, where+": "+k); err != nil {
				return err
			}
		case []any:
			s, ok := sv.([]any)
			if !ok {
				return fmt.Errorf("%s: %s is not a list", where, k)
			}
			dst[k] = append(d, s...)
		default:
			return fmt.Errorf("%s: %s is defined twice", where, k)
		}
	}
	return nil
}

// openAPI handles GET /api/v1/openapi.json (no auth).
func (s *server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=300")
	writeBody(w, http.StatusOK, openAPIDocument)
}
