//! When to reconnect and how long to wait: the `EventSource` reconnection
//! rules as plain state, with no timers or sockets.
//!
//! A transport feeds [`Reconnect`] what happened (a connection opened, the
//! server sent `retry`, the connection failed) and asks it how long to wait
//! before the next attempt, or whether to give up.

use core::time::Duration;

/// How a client reconnects after a network error or a server close.
///
/// The first attempt after a failure waits the server's `retry` time if it
/// sent one (but at least [`min_backoff`](Self::min_backoff)), otherwise
/// [`initial_delay`](Self::initial_delay), plus a random part of that of up
/// to half the [`jitter`](Self::jitter) fraction (up to 25% by default):
/// clients that a server restart dropped all at once then do not all return
/// at the same instant. Each further consecutive failure doubles the wait,
/// up to [`max_delay`](Self::max_delay) (or the server's `retry`, if that is
/// larger), and takes a random part of it away ([`jitter`](Self::jitter)) so
/// that many clients do not return in step, but never goes below the first
/// wait's base (nor below [`min_backoff`](Self::min_backoff)). No wait is
/// shorter than the server's reconnection time: the spec's client waits that
/// long and "optionally, some more". A healthy connection (one that
/// delivered an event, or stayed open for
/// [`reset_after`](Self::reset_after)) starts the sequence over.
///
/// ```
/// use sse_core::ReconnectPolicy;
/// use std::time::Duration;
///
/// let policy = ReconnectPolicy::default()
///     .initial_delay(Duration::from_millis(500))
///     .max_delay(Duration::from_secs(10))
///     .max_attempts(Some(5));
/// assert_eq!(policy.attempts(), Some(5));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReconnectPolicy {
    initial_delay: Duration,
    min_backoff: Duration,
    max_delay: Duration,
    jitter: f64,
    max_attempts: Option<u32>,
    reset_after: Duration,
}

impl Default for ReconnectPolicy {
    /// 3 s initial delay (what browsers use), doubling to at most 30 s, half
    /// of it jittered, no limit on attempts, a connection healthy after 60 s.
    fn default() -> Self {
        Self {
            initial_delay: Duration::from_secs(3),
            min_backoff: Duration::from_millis(100),
            max_delay: Duration::from_secs(30),
            jitter: 0.5,
            max_attempts: None,
            reset_after: Duration::from_secs(60),
        }
    }
}

impl ReconnectPolicy {
    /// The wait before the first reconnect when the server sent no `retry`.
    #[must_use]
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// The largest wait the doubling reaches. A larger server `retry` wins.
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The smallest wait a server's `retry` can ask for, and the smallest
    /// wait once backing off: keeps a server's `retry: 0` from turning
    /// reconnects into a busy loop. 100 ms by default. The spec lets a client
    /// wait longer than `retry` ("optionally, wait some more").
    #[must_use]
    pub fn min_backoff(mut self, delay: Duration) -> Self {
        self.min_backoff = delay;
        self
    }

    /// The fraction of each backed-off wait (0.0 to 1.0) that is randomly
    /// taken away. 0.5 waits between half and all of it, but never less than
    /// the first wait's base. The first wait gets up to half this fraction
    /// added instead. 0.0 makes every wait exact; NaN counts as 0.
    #[must_use]
    pub fn jitter(mut self, fraction: f64) -> Self {
        self.jitter = if fraction.is_nan() {
            0.0
        } else {
            fraction.clamp(0.0, 1.0)
        };
        self
    }

    /// How long a connection must stay open to count as healthy even if it
    /// delivered no event (a stream of keep-alives): when it ends, the
    /// backoff starts over. 60 s by default, as in the `eventsource-client`
    /// crate. A server that greets each connection and then drops it is
    /// backed off from, and [`max_attempts`](Self::max_attempts) still trips.
    #[must_use]
    pub fn reset_after(mut self, open_for: Duration) -> Self {
        self.reset_after = open_for;
        self
    }

    /// How many consecutive reconnects to try without a successful open
    /// before giving up; `None` (the default) tries forever.
    #[must_use]
    pub fn max_attempts(mut self, attempts: Option<u32>) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// The attempt limit, `None` for unlimited.
    pub fn attempts(&self) -> Option<u32> {
        self.max_attempts
    }
}

/// The reconnection state of one event source.
///
/// ```
/// use sse_core::{Reconnect, ReconnectPolicy};
/// use std::time::Duration;
///
/// let mut reconnect = Reconnect::new(ReconnectPolicy::default().jitter(0.0));
/// reconnect.set_retry(Duration::from_millis(200)); // the server said `retry: 200`
/// assert_eq!(reconnect.next_delay(0), Some(Duration::from_millis(200)));
/// assert_eq!(reconnect.next_delay(0), Some(Duration::from_millis(400)));
/// reconnect.opened(); // a connection succeeded: back to the start
/// assert_eq!(reconnect.next_delay(0), Some(Duration::from_millis(200)));
/// ```
#[derive(Clone, Debug)]
pub struct Reconnect {
    policy: ReconnectPolicy,
    retry: Option<Duration>,
    failures: u32,
}

impl Reconnect {
    /// Fresh state for `policy`.
    pub fn new(policy: ReconnectPolicy) -> Self {
        Self {
            policy,
            retry: None,
            failures: 0,
        }
    }

    /// The policy in use.
    pub fn policy(&self) -> &ReconnectPolicy {
        &self.policy
    }

    /// The server sent a valid `retry` field.
    pub fn set_retry(&mut self, retry: Duration) {
        self.retry = Some(retry);
    }

    /// A connection proved healthy (it delivered an event): the next failure
    /// starts the backoff again.
    pub fn opened(&mut self) {
        self.failures = 0;
    }

    /// A connection that had opened ended after being open for `open_for`:
    /// if that is at least the policy's
    /// [`reset_after`](ReconnectPolicy::reset_after), it was healthy, and
    /// the backoff starts over. Call it before [`next_delay`](Self::next_delay).
    pub fn ended(&mut self, open_for: Duration) {
        if open_for >= self.policy.reset_after {
            self.failures = 0;
        }
    }

    /// Consecutive failed attempts since the last successful open.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The connection failed or ended: how long to wait before reconnecting,
    /// or `None` when the attempt limit is reached.
    ///
    /// `random` is any random number (the caller's source of randomness, as
    /// this crate has none); it picks the jitter.
    pub fn next_delay(&mut self, random: u64) -> Option<Duration> {
        if self
            .policy
            .max_attempts
            .is_some_and(|max| self.failures >= max)
        {
            return None;
        }
        let attempt = self.failures;
        self.failures = self.failures.saturating_add(1);
        let base = match self.retry {
            // A server that closes at once after `retry: 0` would otherwise
            // be reconnected to in a loop (LaunchDarkly's client, issue 135).
            Some(retry) => retry.max(self.policy.min_backoff),
            None => self.policy.initial_delay,
        };
        #[allow(clippy::cast_precision_loss)] // a fraction in [0, 1): precision is irrelevant
        let unit = (random >> 11) as f64 / (1u64 << 53) as f64;
        if attempt == 0 {
            // What the server asked for, and some more (the spec allows it):
            // a whole fleet dropped at once would otherwise come back in
            // the same instant, and the first wave is the largest.
            let extra = base.as_secs_f64() * self.policy.jitter / 2.0 * unit;
            // Out of range only near `Duration::MAX`: no extra then.
            let extra = Duration::try_from_secs_f64(extra).unwrap_or_default();
            return Some(base.saturating_add(extra));
        }
        // Backing off waits at least the first wait's base (the spec's
        // reconnection time) and the floor that keeps `retry: 0` from
        // spinning.
        let floor = base.max(self.policy.min_backoff);
        let cap = self.policy.max_delay.max(floor);
        let grown = floor.saturating_mul(1 << attempt.min(20)).min(cap);
        // Take away up to `jitter` of the wait, uniformly, down to the floor.
        let jittered =
            Duration::try_from_secs_f64(grown.as_secs_f64() * (1.0 - self.policy.jitter * unit))
                // Out of range only near `Duration::MAX`, where rounding to f64 overshoots.
                .unwrap_or(grown);
        Some(jittered.clamp(floor, grown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use alloc::vec::Vec;

    fn no_jitter() -> ReconnectPolicy {
        ReconnectPolicy::default().jitter(0.0)
    }

    #[test]
    fn first_wait_is_the_initial_delay_without_server_retry() {
        let mut reconnect = Reconnect::new(no_jitter());
        assert_eq!(reconnect.next_delay(7), Some(Duration::from_secs(3)));
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = no_jitter()
            .initial_delay(Duration::from_secs(1))
            .max_delay(Duration::from_secs(5));
        let mut reconnect = Reconnect::new(policy);
        let waits: Vec<_> = (0..5).map(|_| reconnect.next_delay(0).unwrap()).collect();
        let secs = |s| Duration::from_secs(s);
        assert_eq!(waits, [secs(1), secs(2), secs(4), secs(5), secs(5)]);
    }

    #[test]
    fn server_retry_larger_than_the_cap_is_honoured() {
        let mut reconnect = Reconnect::new(no_jitter().max_delay(Duration::from_secs(1)));
        reconnect.set_retry(Duration::from_secs(10));
        assert_eq!(reconnect.next_delay(0), Some(Duration::from_secs(10)));
        assert_eq!(reconnect.next_delay(0), Some(Duration::from_secs(10)));
    }

    #[test]
    fn retry_zero_does_not_spin() {
        let mut reconnect = Reconnect::new(no_jitter());
        reconnect.set_retry(Duration::ZERO);
        assert_eq!(reconnect.next_delay(0), Some(Duration::from_millis(100)));
        assert_eq!(reconnect.next_delay(0), Some(Duration::from_millis(200)));
        // Not even between connections that each open and then close.
        reconnect.opened();
        assert_eq!(reconnect.next_delay(0), Some(Duration::from_millis(100)));
    }

    #[test]
    fn a_server_retry_below_the_floor_waits_the_floor() {
        let policy = no_jitter().min_backoff(Duration::from_millis(250));
        let mut reconnect = Reconnect::new(policy);
        reconnect.set_retry(Duration::from_millis(40));
        assert_eq!(reconnect.next_delay(0), Some(Duration::from_millis(250)));
        reconnect.opened();
        reconnect.set_retry(Duration::from_millis(400));
        assert_eq!(reconnect.next_delay(0), Some(Duration::from_millis(400)));
    }

    #[test]
    fn the_initial_delay_is_the_callers_choice_even_below_the_floor() {
        let mut reconnect = Reconnect::new(no_jitter().initial_delay(Duration::from_millis(5)));
        assert_eq!(reconnect.next_delay(0), Some(Duration::from_millis(5)));
    }

    #[test]
    fn max_attempts_is_enforced_and_reset_by_an_open() {
        let mut reconnect = Reconnect::new(no_jitter().max_attempts(Some(2)));
        assert!(reconnect.next_delay(0).is_some());
        assert!(reconnect.next_delay(0).is_some());
        assert_eq!(reconnect.next_delay(0), None);
        reconnect.opened();
        assert!(reconnect.next_delay(0).is_some());
    }

    #[test]
    fn jitter_stays_within_its_fraction() {
        let policy = ReconnectPolicy::default().initial_delay(Duration::from_secs(1));
        for random in [0, u64::MAX / 3, u64::MAX / 2, u64::MAX] {
            let mut reconnect = Reconnect::new(policy);
            reconnect.next_delay(random);
            let wait = reconnect.next_delay(random).unwrap();
            assert!(
                wait <= Duration::from_secs(2) && wait >= Duration::from_secs(1),
                "{wait:?}"
            );
        }
    }

    #[test]
    fn the_first_wait_adds_up_to_half_the_jitter_to_the_server_retry() {
        let mut waits = Vec::new();
        for random in [0, u64::MAX / 4, u64::MAX / 2, u64::MAX] {
            let mut reconnect = Reconnect::new(ReconnectPolicy::default());
            reconnect.set_retry(Duration::from_secs(1));
            let wait = reconnect.next_delay(random).unwrap();
            assert!(
                wait >= Duration::from_secs(1) && wait <= Duration::from_millis(1250),
                "{wait:?}"
            );
            waits.push(wait);
        }
        // Spread over the whole range, so that a fleet does not return at once.
        assert_eq!(waits[0], Duration::from_secs(1));
        assert!(waits[3] > Duration::from_millis(1249), "{:?}", waits[3]);
        assert!(waits.windows(2).all(|pair| pair[0] < pair[1]), "{waits:?}");
    }

    #[test]
    fn no_jitter_makes_the_first_wait_exactly_the_server_retry() {
        let mut reconnect = Reconnect::new(no_jitter());
        reconnect.set_retry(Duration::from_millis(700));
        assert_eq!(
            reconnect.next_delay(u64::MAX),
            Some(Duration::from_millis(700))
        );
    }

    #[test]
    fn backing_off_never_waits_less_than_the_server_retry() {
        // Spec: wait the reconnection time, "optionally, wait some more".
        // Jitter comes off the doubled wait, never off `retry` itself, even
        // when `retry` is above the cap or the doubled wait is cut to it.
        for retry in [Duration::from_secs(60), Duration::from_secs(20)] {
            let mut reconnect = Reconnect::new(ReconnectPolicy::default().jitter(1.0));
            reconnect.set_retry(retry);
            for random in [0, u64::MAX / 2, u64::MAX] {
                let wait = reconnect.next_delay(random).unwrap();
                assert!(wait >= retry, "{wait:?} after retry {retry:?}");
            }
        }
    }

    #[test]
    fn full_jitter_keeps_the_min_backoff_floor() {
        let mut reconnect = Reconnect::new(ReconnectPolicy::default().jitter(1.0));
        reconnect.set_retry(Duration::ZERO);
        for _ in 0..5 {
            let wait = reconnect.next_delay(u64::MAX).unwrap();
            assert!(wait >= Duration::from_millis(100), "{wait:?}");
        }
    }

    #[test]
    fn an_uncapped_policy_and_a_huge_retry_do_not_panic() {
        // `retry: 99999999999999999999` saturates to `u64::MAX` ms.
        let policy = ReconnectPolicy::default().max_delay(Duration::MAX);
        let mut reconnect = Reconnect::new(policy);
        reconnect.set_retry(Duration::from_millis(u64::MAX));
        for random in [0, u64::MAX].into_iter().cycle().take(50) {
            assert!(reconnect.next_delay(random).unwrap() >= Duration::from_millis(u64::MAX));
        }
        let mut reconnect = Reconnect::new(ReconnectPolicy::default());
        reconnect.set_retry(Duration::MAX);
        reconnect.next_delay(0);
        assert_eq!(reconnect.next_delay(0), Some(Duration::MAX));
    }

    #[test]
    fn nan_jitter_is_no_jitter() {
        let policy = ReconnectPolicy::default().jitter(f64::NAN);
        assert_eq!(policy, ReconnectPolicy::default().jitter(0.0));
        let mut reconnect = Reconnect::new(policy);
        reconnect.next_delay(0);
        assert_eq!(reconnect.next_delay(u64::MAX), Some(Duration::from_secs(6)));
    }

    #[test]
    fn a_connection_open_for_reset_after_starts_the_backoff_over() {
        let policy = no_jitter().reset_after(Duration::from_secs(60));
        let mut reconnect = Reconnect::new(policy);
        reconnect.next_delay(0);
        reconnect.next_delay(0);
        // Open briefly, with no event: still failing.
        reconnect.ended(Duration::from_secs(59));
        assert_eq!(reconnect.next_delay(0), Some(Duration::from_secs(12)));
        reconnect.ended(Duration::from_secs(60));
        assert_eq!(reconnect.failures(), 0);
        assert_eq!(reconnect.next_delay(0), Some(Duration::from_secs(3)));
    }

    #[test]
    fn huge_attempt_counts_do_not_overflow() {
        let mut reconnect = Reconnect::new(no_jitter());
        for _ in 0..100 {
            assert!(reconnect.next_delay(u64::MAX).unwrap() <= Duration::from_secs(30));
        }
    }
}
