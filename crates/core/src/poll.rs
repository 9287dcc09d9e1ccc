//! When to ask Spotify next what is playing. Spotify pushes nothing to Web API clients, so the
//! poller asks at the moment the playing track should end (plus a margin, so the next one has
//! begun) and otherwise at a slow interval that catches skips: faster while the window is
//! shown, slower in the tray, never while signed out, and not before a rate-limit ban is over.

use std::time::Duration;

/// The poller's rhythm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollSchedule {
    /// Between polls while the window is shown and no track end is due sooner.
    pub visible: Duration,
    /// Between polls while the app is in the tray.
    pub hidden: Duration,
    /// Added to a track's expected end, so the next item has started by then.
    pub margin: Duration,
    /// Never sooner than this after a poll, whatever the track says (no busy loop at an end).
    pub min_gap: Duration,
}

impl Default for PollSchedule {
    fn default() -> Self {
        // At most 6 slow polls a minute in the window, 2 in the tray, plus one per track end.
        Self {
            visible: Duration::from_secs(10),
            hidden: Duration::from_secs(30),
            margin: Duration::from_millis(400),
            min_gap: Duration::from_millis(250),
        }
    }
}

/// What the schedule needs to know at the moment of deciding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PollState {
    /// A Spotify session exists.
    pub signed_in: bool,
    /// The window is shown (else the app is in the tray).
    pub visible: bool,
    /// How long Spotify still bans calls, if it does.
    pub banned_for: Option<Duration>,
    /// Until the playing item should end, if it plays and its length is known.
    pub left: Option<Duration>,
}

impl PollSchedule {
    /// How long to wait before the next poll; `None`: do not poll until woken (signed out).
    pub fn next(&self, state: &PollState) -> Option<Duration> {
        if !state.signed_in {
            return None;
        }
        let interval = if state.visible {
            self.visible
        } else {
            self.hidden
        };
        if let Some(ban) = state.banned_for {
            // A call during a ban only lengthens it: ask once it is over, not before.
            return Some(ban.max(self.min_gap));
        }
        let wait = match state.left {
            Some(left) => interval.min(left + self.margin),
            None => interval,
        };
        Some(wait.max(self.min_gap))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn state(visible: bool, left: Option<Duration>) -> PollState {
        PollState {
            signed_in: true,
            visible,
            banned_for: None,
            left,
        }
    }

    #[test]
    fn a_track_ending_soon_is_polled_just_after_its_end() {
        let s = PollSchedule::default();
        assert_eq!(s.next(&state(true, Some(ms(3_000)))), Some(ms(3_400)));
        // In the tray too: the tray's menu shows the new track as promptly.
        assert_eq!(s.next(&state(false, Some(ms(3_000)))), Some(ms(3_400)));
    }

    #[test]
    fn a_long_track_is_checked_at_the_slow_interval_for_skips() {
        let s = PollSchedule::default();
        assert_eq!(s.next(&state(true, Some(ms(200_000)))), Some(s.visible));
        assert_eq!(s.next(&state(false, Some(ms(200_000)))), Some(s.hidden));
        assert!(s.visible < s.hidden);
    }

    #[test]
    fn paused_or_nothing_playing_waits_the_slow_interval() {
        let s = PollSchedule::default();
        assert_eq!(s.next(&state(true, None)), Some(s.visible));
        assert_eq!(s.next(&state(false, None)), Some(s.hidden));
    }

    #[test]
    fn an_end_already_past_does_not_spin() {
        let s = PollSchedule::default();
        assert_eq!(s.next(&state(true, Some(Duration::ZERO))), Some(ms(400)));
        let tight = PollSchedule {
            margin: Duration::ZERO,
            ..PollSchedule::default()
        };
        assert_eq!(
            tight.next(&state(true, Some(Duration::ZERO))),
            Some(s.min_gap)
        );
    }

    #[test]
    fn signed_out_never_polls() {
        let s = PollSchedule::default();
        let signed_out = PollState {
            signed_in: false,
            ..state(true, Some(ms(1_000)))
        };
        assert_eq!(s.next(&signed_out), None);
    }

    #[test]
    fn a_ban_is_waited_out_even_when_a_track_ends_sooner() {
        let s = PollSchedule::default();
        let banned = PollState {
            banned_for: Some(Duration::from_secs(3_600)),
            ..state(true, Some(ms(1_000)))
        };
        assert_eq!(s.next(&banned), Some(Duration::from_secs(3_600)));
    }

    #[test]
    fn calls_per_minute_stay_within_the_budget() {
        // Three-minute tracks: slow polls plus one poll per track end.
        let s = PollSchedule::default();
        let per_minute = |interval: Duration| 60.0 / interval.as_secs_f64() + 1.0 / 3.0;
        assert!(per_minute(s.visible) <= 8.0);
        assert!(per_minute(s.hidden) <= 3.0);
    }
}
