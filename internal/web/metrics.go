package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts and times the answers of the web application for
// Prometheus. Requests are labelled by the registered route pattern
// ("GET /enterprises/{id}"), never by the raw path, so the number of
// series stays bounded whatever addresses clients send.
type Metrics struct {
	requests *prometheus.CounterVec   // method, route, status class
	duration *prometheus.HistogramVec // route
	errors   *prometheus.CounterVec   // route; 5xx answers only
}

// NewMetrics creates the request metrics and registers them with reg (when
// reg is not nil). Registering twice with one registry panics.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "taotai", Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests answered, by method, route pattern and status class (2xx, 3xx, 4xx, 5xx).",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "taotai", Subsystem: "http", Name: "request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "taotai", Subsystem: "http", Name: "errors_total",
			Help: "HTTP requests answered with a 5xx status, by route pattern.",
		}, []string{"route"}),
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.duration, m.errors)
	}
	return m
}

// observe records one answered request; a nil m records nothing.
func (m *Metrics) observe(method, route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(methodLabel(method), route, statusClass(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
	if status >= 500 {
		m.errors.WithLabelValues(route).Inc()
	}
}

// statusClass turns 404 into "4xx".
func statusClass(status int) string {
	if status < 100 || status > 599 {
		return "other"
	}
	return strconv.Itoa(status/100) + "xx"
}

// methodLabel keeps the standard methods and folds any other token a client
// may invent into "OTHER", so that it cannot add series.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "OTHER"
}
