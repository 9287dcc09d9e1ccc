//! The model in use: what the server offers, shutdown dates, and picking one when none is set.

use super::{AppError, Services};
use crate::insight::{models, InsightError, ModelChoice, ModelInfo};
use crate::Kinded;
use serde::Serialize;
use std::time::Duration;
use ts_rs::TS;

/// How long a failed `/models` read is remembered before the next caller asks again (each
/// insight card asks, and an unreachable server should not be asked twice per page).
const MODELS_RETRY_AFTER: Duration = Duration::from_secs(60);

/// The server's answer to `GET /models`.
pub(super) type ModelList = Result<Vec<ModelInfo>, InsightError>;

/// A list is kept for the settings' life, a failure for [`MODELS_RETRY_AFTER`].
pub(super) fn keep_models(list: &ModelList) -> Option<Duration> {
    list.is_err().then_some(MODELS_RETRY_AFTER)
}

/// What Settings and the insight cards show about the model in use.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ModelStatus {
    /// The model in use.
    pub model: String,
    /// No model is configured: `model` is the fallback until one is picked.
    pub unset: bool,
    /// When the provider shuts the model in use down, exactly as `/models` gave it.
    pub shutdown_date: Option<String>,
    /// A model without a shutdown date to switch to, when the one in use has a date or is not
    /// offered at all.
    pub suggestion: Option<String>,
    /// Every model the server offers, with its shutdown date.
    pub models: Vec<ModelInfo>,
}

impl Services {
    /// The server's models with their shutdown dates: read once, again when `refresh`.
    async fn models(&self, refresh: bool) -> Result<Vec<ModelInfo>, InsightError> {
        if refresh {
            self.models.forget();
        }
        let read = self
            .models
            .get(&(), || async {
                Ok::<_, InsightError>(self.insights.models().await)
            })
            .await;
        read.and_then(|list| list)
    }

    /// The model in use, its shutdown date and a replacement, with everything the server offers.
    pub async fn model_status(&self, refresh: bool) -> Result<ModelStatus, AppError> {
        let models = self.models(refresh).await?;
        let model = self.config.openai_model.clone();
        let offered = models.iter().find(|m| m.id == model);
        let shutdown_date = offered.and_then(|m| m.shutdown_date.clone());
        let suggestion = (shutdown_date.is_some() || offered.is_none())
            .then(|| models::suggest(&models, Some(&model), self.insights.is_openai()))
            .flatten();
        Ok(ModelStatus {
            model,
            unset: self.config.openai_model_unset,
            shutdown_date,
            suggestion,
            models,
        })
    }

    /// When no model is configured (and a key is), the one to use, picked from the server's
    /// `/models`: the caller saves it when [`ModelChoice::save`] and shows its notice.
    pub async fn choose_model(&self) -> Option<ModelChoice> {
        if !self.config.openai_model_unset || self.config.openai_api_key.is_none() {
            return None;
        }
        let offered = match self.models(false).await {
            Ok(models) => Some(models),
            Err(error) => {
                tracing::warn!(
                    kind = %error.kind(),
                    "could not read the model list: {error}"
                );
                None
            }
        };
        Some(models::choose(
            offered.as_deref(),
            self.insights.is_openai(),
        ))
    }
}
