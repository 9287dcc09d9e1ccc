//! MusicBrainz's rate rule as a shared gate: at most one request per interval per service (one
//! gate per base URL for the whole process, so rebuilt services never double the rate).

use super::FactsError;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::time::Instant;

/// How urgent a request is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Priority {
    /// Someone waits for it: it queues for the next free turn.
    Now,
    /// Nice to have (an album's page): it only takes a turn nobody queued for.
    Spare,
}

/// Spaces requests `interval` apart; a request whose turn is more than `max_wait` away is
/// refused (the user has long moved on, and the queue must not grow without bound).
pub(crate) struct RateGate {
    interval: Duration,
    max_wait: Duration,
    next: Mutex<Instant>,
    /// Until when the service is taken to be unreachable (offline, refused): lookups then
    /// fail at once instead of queueing for turns that cannot help.
    down_until: Mutex<Option<Instant>>,
}

impl RateGate {
    /// A gate letting one request through per `interval`.
    pub(crate) fn new(interval: Duration, max_wait: Duration) -> Self {
        Self {
            interval,
            max_wait,
            next: Mutex::new(Instant::now()),
            down_until: Mutex::new(None),
        }
    }

    /// Takes the service to be unreachable for `pause`.
    pub(crate) fn mark_down(&self, pause: Duration) {
        *self.down_until.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now() + pause);
    }

    /// Whether the service was found unreachable a moment ago.
    pub(crate) fn is_down(&self) -> bool {
        self.down_until
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some_and(|until| Instant::now() < until)
    }

    /// The shared gate of a service root (one per process).
    pub(crate) fn shared(key: &str, interval: Duration, max_wait: Duration) -> Arc<RateGate> {
        static GATES: OnceLock<Mutex<HashMap<String, Arc<RateGate>>>> = OnceLock::new();
        let mut gates = GATES
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        gates
            .entry(key.to_string())
            .or_insert_with(|| Arc::new(RateGate::new(interval, max_wait)))
            .clone()
    }

    fn next(&self) -> std::sync::MutexGuard<'_, Instant> {
        self.next.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for a turn. A waiter that is dropped leaves its turn unused, which only slows
    /// others down, never speeds them up.
    pub(crate) async fn acquire(&self, priority: Priority) -> Result<(), FactsError> {
        let asked = Instant::now();
        loop {
            let turn = {
                let mut next = self.next();
                let now = Instant::now();
                match priority {
                    Priority::Now => {
                        let turn = (*next).max(now);
                        if turn - now > self.max_wait {
                            return Err(FactsError::Busy);
                        }
                        *next = turn + self.interval;
                        turn
                    }
                    Priority::Spare if *next <= now => {
                        *next = now + self.interval;
                        return Ok(());
                    }
                    Priority::Spare if *next > asked + self.max_wait => {
                        return Err(FactsError::Busy)
                    }
                    Priority::Spare => *next,
                }
            };
            tokio::time::sleep_until(turn).await;
            if priority == Priority::Now {
                return Ok(());
            }
        }
    }

    /// After a 503: nobody gets a turn for `pause`.
    pub(crate) fn back_off(&self, pause: Duration) {
        let mut next = self.next();
        *next = (*next).max(Instant::now() + pause);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn turns_are_spaced_and_far_turns_are_refused() {
        let step = Duration::from_millis(60);
        let gate = Arc::new(RateGate::new(step, step * 3));
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..3 {
            gate.acquire(Priority::Now).await.unwrap();
            times.push(start.elapsed());
        }
        for (k, t) in times.iter().enumerate() {
            assert!(*t >= step * k as u32, "turn {k} at {t:?}");
        }
        // Three turns queued ahead: the next is more than three steps away.
        let queued: Vec<_> = (0..3)
            .map(|_| {
                let g = gate.clone();
                tokio::spawn(async move { g.acquire(Priority::Now).await })
            })
            .collect();
        tokio::task::yield_now().await;
        assert_eq!(gate.acquire(Priority::Now).await, Err(FactsError::Busy));
        for q in queued {
            assert_eq!(q.await.unwrap(), Ok(()));
        }
        // A spare request waits for an idle turn, and gives up when the gate is paused long.
        gate.acquire(Priority::Spare).await.unwrap();
        gate.back_off(step * 10);
        assert_eq!(gate.acquire(Priority::Spare).await, Err(FactsError::Busy));
    }
}
