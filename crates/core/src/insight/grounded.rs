//! Grounding an insight: the facts about its subject that are back within the budget, and
//! the prompt written with them (or without, saying why on the card).

use super::llm::ChatMessage;
use super::pipeline::InsightService;
use super::prompt::{Subject, SYSTEM_PROMPT};
use crate::cache::Cache;
use crate::facts::{
    facts_block, language_name, FactsConfig, FactsService, Grounding, GroundingStatus, Lookup,
};
use tokio::time::Instant;

/// Where insights get their facts and their language.
#[derive(Clone, Default)]
pub struct Grounder {
    facts: Option<FactsService>,
    /// The language to write in, by name, when it is not English.
    language: Option<&'static str>,
}

impl Grounder {
    /// From the settings: facts when grounding is on (in the cache's own table), and the
    /// insights' language.
    pub fn new(config: &FactsConfig, cache: &Cache) -> Self {
        Self {
            facts: config
                .enabled
                .then(|| FactsService::new(cache.clone(), config)),
            language: language_name(&config.language).filter(|name| *name != "English"),
        }
    }

    /// The facts service, when grounding is on.
    pub fn facts(&self) -> Option<&FactsService> {
        self.facts.as_ref()
    }

    /// The chat messages for `subject` with the facts of `lookup`, and how they were grounded.
    pub(crate) async fn messages(
        &self,
        subject: &Subject,
        lookup: Option<&Lookup>,
    ) -> (Vec<ChatMessage>, Grounding) {
        let (block, grounding) = match (&self.facts, lookup) {
            (Some(facts), Some(lookup)) => {
                let gathered = facts.gather(lookup, Instant::now() + facts.budget()).await;
                if gathered.status == GroundingStatus::Late {
                    tracing::info!("facts were not back in time; asking without them");
                }
                let grounding = Grounding {
                    status: gathered.status,
                    sources: gathered.sheet.used_sources(),
                    facts: gathered.sheet.facts.len() as u32,
                };
                (facts_block(&gathered.sheet), grounding)
            }
            _ => (None, Grounding::default()),
        };
        let messages = vec![
            ChatMessage::system(SYSTEM_PROMPT),
            ChatMessage::user(subject.user_message_with(block.as_deref(), self.language)),
        ];
        (messages, grounding)
    }
}

impl InsightService {
    /// The service, grounded as `config` says (see [`Grounder::new`]).
    pub fn grounded(self, config: &FactsConfig) -> Self {
        self.set_grounder(Grounder::new(config, self.cache()));
        self
    }
}
