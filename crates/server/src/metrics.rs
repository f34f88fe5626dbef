//! Prometheus metrics, `GET /api/metrics` (behind the token): requests by
//! route, method and status; request latency by route; verification results.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: String,
}

fn latency_histogram() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// The server's metrics; cheap to clone.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    verifications: Family<StateLabels, Counter>,
    checks_due: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("connections");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by method, route and status",
            requests.clone(),
        );
        let latency: Family<RouteLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time from a request's headers to its answer's headers, by route",
            latency.clone(),
        );
        let verifications = Family::<StateLabels, Counter>::default();
        registry.register(
            "verifications",
            "Verifications against Cloudinary by resulting state",
            verifications.clone(),
        );
        let checks_due = Gauge::default();
        registry.register(
            "scheduled_checks_due",
            "Scheduled checks whose time has come and that have not run yet (after this instance's last round)",
            checks_due.clone(),
        );
        Metrics {
            registry: Arc::new(registry),
            requests,
            latency,
            verifications,
            checks_due,
        }
    }
}

impl Metrics {
    /// Counts a verification that ended in `state`.
    pub fn verified(&self, state: &str) {
        self.verifications
            .get_or_create(&StateLabels {
                state: state.to_string(),
            })
            .inc();
    }

    /// Sets how many scheduled checks are due.
    pub fn set_checks_due(&self, n: i64) {
        self.checks_due.set(n);
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

/// Counts and times every request by its route pattern (`/api/connections/{id}`,
/// never the concrete path: ids and file names would make endless series).
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| {
            if req.uri().path().starts_with("/api/") {
                "/api/(unknown)".into()
            } else {
                "(app)".into()
            }
        });
    let method = req.method().as_str().to_string();
    let started = Instant::now();
    let response = next.run(req).await;
    state
        .metrics
        .requests
        .get_or_create(&RequestLabels {
            method,
            route: route.clone(),
            status: response.status().as_u16(),
        })
        .inc();
    state
        .metrics
        .latency
        .get_or_create(&RouteLabels { route })
        .observe(started.elapsed().as_secs_f64());
    response
}

/// `GET /api/metrics`.
#[utoipa::path(get, path = "/api/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text exposition: requests by route and status, latency histograms, verifications by state", content_type = "text/plain", body = String)))]
pub async fn endpoint(State(state): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}
