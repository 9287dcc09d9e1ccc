//! `GET /v1/models`: the models offered, each with its `shutdown_date` or `null`.

use super::errors::denied;
use super::{lock, FakeOpenAi, Shared};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;

impl FakeOpenAi {
    /// Replaces the models offered: each with its `shutdown_date` or none.
    pub fn set_models(&self, models: &[(&str, Option<&str>)]) {
        *lock(&self.shared.models) = models
            .iter()
            .map(|(id, date)| (id.to_string(), date.map(str::to_string)))
            .collect();
    }
}

/// `models` with their dates from `dates`; a model not in it has none.
pub(super) fn with_dates(
    models: Vec<String>,
    dates: &[(String, String)],
) -> Vec<(String, Option<String>)> {
    models
        .into_iter()
        .map(|id| {
            let date = dates.iter().find(|(m, _)| *m == id).map(|(_, d)| d.clone());
            (id, date)
        })
        .collect()
}

pub(super) async fn models(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Some(denied) = denied(&shared, &headers) {
        return denied;
    }
    let data: Vec<Value> = lock(&shared.models)
        .iter()
        .map(|(id, date)| json!({ "id": id, "object": "model", "created": 1_700_000_000, "owned_by": "fake", "shutdown_date": date }))
        .collect();
    Json(json!({ "object": "list", "data": data })).into_response()
}
