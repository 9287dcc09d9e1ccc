//! Answers shared while they are asked for, and kept a while after: the one single-flight memo
//! of the core. Every concurrent ask for a key shares one call (the others wait for it), the
//! answer is kept as long as the memo's rule says, and [`Memo::forget`] drops everything,
//! answers still on their way included (they are not kept when they land).
//!
//! Left hand-written elsewhere, and why: the facts service's flights run as tasks of their own
//! (a lookup started for a page goes on when the page is gone, and later turns are detached by
//! design); the insight pipeline's flights replay the text streamed so far to whoever joins
//! late; the session's refresh is keyed by the token Spotify rejected, not by a value.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::OnceCell;

/// How long an answer is kept: `None` until [`Memo::forget`].
pub type KeepFor<V> = fn(&V) -> Option<Duration>;

/// A keyed single-flight memo; share it with `Arc` or keep it in a shared struct.
pub struct Memo<K, V> {
    state: Mutex<State<K, V>>,
    keep_for: KeepFor<V>,
    /// At most this many answers are kept; a fuller memo starts over.
    max: usize,
}

struct State<K, V> {
    /// Bumped by [`Memo::forget`]: answers of an older generation are not kept.
    generation: u64,
    kept: HashMap<K, (Instant, V)>,
    flights: HashMap<K, Arc<OnceCell<V>>>,
}

impl<K: Eq + Hash + Clone, V: Clone> Memo<K, V> {
    /// A memo keeping at most `max` answers, each as long as `keep_for` says.
    pub fn new(max: usize, keep_for: KeepFor<V>) -> Self {
        Self {
            state: Mutex::new(State {
                generation: 0,
                kept: HashMap::new(),
                flights: HashMap::new(),
            }),
            keep_for,
            max,
        }
    }

    /// The answer for `key`: kept, else the one on its way, else `fetch`'s. A failure is not
    /// kept, and a caller waiting on a failed call makes its own.
    pub async fn get<E, F, Fut>(&self, key: &K, fetch: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let (cell, generation) = {
            let mut state = self.lock();
            if let Some((at, value)) = state.kept.get(key) {
                if (self.keep_for)(value).is_none_or(|keep| at.elapsed() < keep) {
                    return Ok(value.clone());
                }
            }
            let cell = state
                .flights
                .entry(key.clone())
                .or_insert_with(|| Arc::new(OnceCell::new()))
                .clone();
            (cell, state.generation)
        };
        let answer = cell.get_or_try_init(fetch).await.cloned();
        let mut state = self.lock();
        if state
            .flights
            .get(key)
            .is_some_and(|c| Arc::ptr_eq(c, &cell))
        {
            state.flights.remove(key);
        }
        if let Ok(value) = &answer {
            if state.generation == generation {
                if state.kept.len() >= self.max {
                    state.kept.clear();
                }
                state
                    .kept
                    .insert(key.clone(), (Instant::now(), value.clone()));
            }
        }
        answer
    }

    /// Forgets every answer, and every answer still on its way.
    pub fn forget(&self) {
        let mut state = self.lock();
        state.generation += 1;
        state.kept.clear();
        state.flights.clear();
    }

    fn lock(&self) -> MutexGuard<'_, State<K, V>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn forever(_: &u32) -> Option<Duration> {
        None
    }

    #[tokio::test]
    async fn concurrent_asks_share_one_call_and_the_answer_is_kept() {
        let memo = Memo::new(8, forever);
        let calls = AtomicUsize::new(0);
        let fetch = || async {
            calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(50)).await;
            Ok::<_, ()>(7)
        };
        let (a, b) = tokio::join!(memo.get(&"k", fetch), memo.get(&"k", fetch));
        assert_eq!((a, b), (Ok(7), Ok(7)));
        assert_eq!(memo.get(&"k", fetch).await, Ok(7));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_failure_is_not_kept_and_an_answer_after_forget_is_dropped() {
        let memo = Memo::new(8, forever);
        assert_eq!(
            memo.get(&1, || async { Err::<u32, _>("down") }).await,
            Err("down")
        );
        assert_eq!(memo.get(&1, || async { Ok::<_, ()>(1) }).await, Ok(1));
        // An answer on its way when the memo is told to forget is used, not kept.
        let slow = memo.get(&2, || async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            Ok::<_, ()>(20)
        });
        let forget = async {
            tokio::time::sleep(Duration::from_millis(10)).await;
            memo.forget();
        };
        let (answer, ()) = tokio::join!(slow, forget);
        assert_eq!(answer, Ok(20));
        assert_eq!(memo.get(&2, || async { Ok::<_, ()>(21) }).await, Ok(21));
        assert_eq!(
            memo.get(&1, || async { Ok::<_, ()>(11) }).await,
            Ok(11),
            "forgotten"
        );
    }

    #[tokio::test]
    async fn answers_expire_as_the_rule_says() {
        let memo: Memo<&str, u32> = Memo::new(8, |v| (*v > 5).then_some(Duration::ZERO));
        assert_eq!(memo.get(&"a", || async { Ok::<_, ()>(9) }).await, Ok(9));
        assert_eq!(
            memo.get(&"a", || async { Ok::<_, ()>(1) }).await,
            Ok(1),
            "9 expired at once"
        );
        assert_eq!(
            memo.get(&"a", || async { Ok::<_, ()>(2) }).await,
            Ok(1),
            "1 is kept"
        );
    }
}
