package httpapi

import (
	"net/http"
	"slices"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/report"
)

// route is one entry of the route table: it both registers the mux and is
// listed by the test that checks the OpenAPI document covers every route.
type route struct {
	method string
	path   string // ServeMux pattern path, e.g. /api/v1/responses/{id}
	scope  string // cx.ScopeRead or cx.ScopeWrite; "" for routes without auth
	public http.HandlerFunc
	authed keyHandler
}

// routes is the route table of the API: the core routes here, and each
// area's routes in the file that holds its handlers.
func (s *server) routes() []route {
	return slices.Concat(s.coreRoutes(), s.surveyRoutes(), s.invitationRoutes(), s.themeRoutes(), s.loopRoutes())
}

// coreRoutes are health, the OpenAPI document, ingest and reads of the
// core records, metrics, value, targets and webhooks.
func (s *server) coreRoutes() []route {
	return []route{
		{method: "GET", path: "/healthz", public: s.healthz},
		{method: "GET", path: "/readyz", public: s.readyz},
		{method: "GET", path: "/api/v1/openapi.json", public: s.openAPI},

		{method: "POST", path: "/api/v1/customers", scope: cx.ScopeWrite, authed: s.createCustomers},
		{method: "GET", path: "/api/v1/customers", scope: cx.ScopeRead, authed: s.listCustomers},
		{method: "GET", path: "/api/v1/customers/{id}", scope: cx.ScopeRead, authed: s.getCustomer},
		{method: "DELETE", path: "/api/v1/customers/{id}", scope: cx.ScopeWrite, authed: s.eraseCustomer},
		{method: "GET", path: "/api/v1/customers/{id}/export", scope: cx.ScopeRead, authed: s.exportCustomer},

		{method: "POST", path: "/api/v1/events", scope: cx.ScopeWrite, authed: s.createEvents},
		{method: "GET", path: "/api/v1/events", scope: cx.ScopeRead, authed: s.listEvents},
		{method: "GET", path: "/api/v1/events/{id}", scope: cx.ScopeRead, authed: s.getEvent},

		{method: "POST", path: "/api/v1/tickets", scope: cx.ScopeWrite, authed: s.createTickets},
		{method: "GET", path: "/api/v1/tickets", scope: cx.ScopeRead, authed: s.listTickets},
		{method: "GET", path: "/api/v1/tickets/{id}", scope: cx.ScopeRead, authed: s.getTicket},

		{method: "POST", path: "/api/v1/responses", scope: cx.ScopeWrite, authed: s.createResponses},
		{method: "GET", path: "/api/v1/responses", scope: cx.ScopeRead, authed: s.listResponses},
		{method: "GET", path: "/api/v1/responses/{id}", scope: cx.ScopeRead, authed: s.getResponse},

		{method: "GET", path: "/api/v1/metrics/{metric}", scope: cx.ScopeRead, authed: s.getMetric},
		{method: "GET", path: "/api/v1/metrics/roi", scope: cx.ScopeRead, authed: s.valueHandler(report.MetricROI)},
		{method: "GET", path: "/api/v1/metrics/at_risk", scope: cx.ScopeRead, authed: s.valueHandler(report.MetricAtRisk)},
		{method: "GET", path: "/api/v1/customers/at-risk", scope: cx.ScopeRead, authed: s.valueHandler(report.MetricAtRisk)},
		{method: "GET", path: "/api/v1/customers/advocates", scope: cx.ScopeRead, authed: s.valueHandler(report.MetricAdvocates)},
		{method: "GET", path: "/api/v1/customers/predictions", scope: cx.ScopeRead, authed: s.valueHandler(report.MetricPredictions)},
		{method: "GET", path: "/api/v1/customers/churn-risk", scope: cx.ScopeRead, authed: s.getChurnRisk},
		{method: "GET", path: "/api/v1/drivers", scope: cx.ScopeRead, authed: s.getDrivers},
		{method: "GET", path: "/api/v1/targets", scope: cx.ScopeRead, authed: s.listTargets},
		{method: "GET", path: "/api/v1/benchmarks", scope: cx.ScopeRead, authed: s.listBenchmarks},
		{method: "PUT", path: "/api/v1/targets/{metric}", scope: cx.ScopeWrite, authed: s.setTarget},
		{method: "DELETE", path: "/api/v1/targets/{metric}", scope: cx.ScopeWrite, authed: s.deleteTarget},

		{method: "POST", path: "/api/v1/webhooks", scope: cx.ScopeWrite, authed: s.createWebhook},
		{method: "GET", path: "/api/v1/webhooks", scope: cx.ScopeRead, authed: s.listWebhooks},
		{method: "GET", path: "/api/v1/webhooks/{id}", scope: cx.ScopeRead, authed: s.getWebhook},
		{method: "DELETE", path: "/api/v1/webhooks/{id}", scope: cx.ScopeWrite, authed: s.deleteWebhook},
		{method: "POST", path: "/api/v1/webhooks/{id}/pause", scope: cx.ScopeWrite, authed: s.pauseWebhook},
		{method: "POST", path: "/api/v1/webhooks/{id}/resume", scope: cx.ScopeWrite, authed: s.resumeWebhook},
		{method: "GET", path: "/api/v1/webhooks/{id}/deliveries", scope: cx.ScopeRead, authed: s.listDeliveries},
		{method: "GET", path: "/api/v1/outbox/dead", scope: cx.ScopeRead, authed: s.listDeadLetters},
		{method: "POST", path: "/api/v1/outbox/{id}/replay", scope: cx.ScopeWrite, authed: s.replayMessage},
	}
}

// register adds the route table to the mux, plus a JSON answer for
// unknown paths and methods.
func (s *server) register() {
	for _, rt := range s.routes() {
		var h http.Handler = rt.public
		if rt.authed != nil {
			h = s.requireKey(rt.scope, rt.authed)
		}
		s.mux.Handle(rt.method+" "+rt.path, h)
	}
	if s.opts.Web != nil {
		// The pages (dashboard, hosted surveys) take every path outside the API.
		s.mux.HandleFunc("/api/", s.notFound)
		s.mux.Handle("/", s.opts.Web)
		return
	}
	s.mux.HandleFunc("GET /{$}", s.home) // a page for browsers, not part of the API
	s.mux.HandleFunc("/", s.notFound)
}

// notFound answers paths no route matches with 404, and known paths asked
// with another method with 405 and an Allow header.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "/" && pattern != "/api/" && pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		for _, m := range allow {
			w.Header().Add("Allow", m)
		}
		writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed here", nil)
		return
	}
	writeError(w, http.StatusNotFound, "no route for "+r.URL.Path, nil)
}
