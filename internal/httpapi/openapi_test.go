package httpapi

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// openAPIDoc is the part of the document the tests read.
type openAPIDoc struct {
	OpenAPI string                                `json:"openapi"`
	Paths   map[string]map[string]json.RawMessage `json:"paths"`
}

// TestOpenAPICoversRoutes fails when a route is missing from the document
// or the document describes a route that does not exist.
func TestOpenAPICoversRoutes(t *testing.T) {
	t.Parallel()
	var doc openAPIDoc
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi version %q, want 3.1.x", doc.OpenAPI)
	}
	var documented, registered []string
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" || method == "summary" || method == "description" {
				continue
			}
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	for _, rt := range newServer(nil, nil, Options{}).routes() {
		registered = append(registered, rt.method+" "+rt.path)
	}
	for _, r := range registered {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(registered, d) {
			t.Errorf("openapi.json documents %s, which is not a route", d)
		}
	}
}

// TestOpenAPIReferences checks that every $ref resolves, that every path
// parameter is declared, and that every operation documents its errors.
func TestOpenAPIReferences(t *testing.T) {
	t.Parallel()
	var raw map[string]any
	if err := json.Unmarshal(openAPIDocument, &raw); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				if resolve(raw, ref) == nil {
					t.Errorf("$ref %s does not resolve", ref)
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(raw)

	pathParam := regexp.MustCompile(`\{(\w+)\}`)
	for path, ops := range raw["paths"].(map[string]any) {
		for method, op := range ops.(map[string]any) {
			o := op.(map[string]any)
			declared := map[string]bool{}
			params, _ := o["parameters"].([]any)
			for _, p := range params {
				pm := p.(map[string]any)
				if ref, ok := pm["$ref"].(string); ok {
					pm, _ = resolve(raw, ref).(map[string]any)
				}
				if pm["in"] == "path" {
					declared[pm["name"].(string)] = true
				}
			}
			for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
				if !declared[m[1]] {
					t.Errorf("%s %s: path parameter %s not declared", method, path, m[1])
				}
			}
			resps := o["responses"].(map[string]any)
			if sec, ok := o["security"].([]any); !ok || len(sec) > 0 {
				for _, code := range []string{"401", "403"} {
					if resps[code] == nil {
						t.Errorf("%s %s: no %s answer documented", method, path, code)
					}
				}
			}
		}
	}
}

// resolve follows a local JSON pointer like #/components/schemas/Error.
func resolve(doc map[string]any, ref string) any {
	var cur any = doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

func TestOpenAPIServed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, newTestDB(t))
	r := e.must(http.StatusOK, "GET", "/api/v1/openapi.json", "", "")
	if string(r.body) != string(openAPIDocument) {
		t.Error("served document differs from the embedded one")
	}
}
