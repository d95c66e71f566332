//! What the source does when a connection fails or ends: asks `on_error`,
//! then reconnects after the delay `sse_core::Reconnect` decides, or ends.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use super::{EventSource, State};
use crate::client::error::{Error, ErrorAction};

/// The longest `Retry-After` honoured: a server asking for more is retried
/// after this long (the attempt still counts toward `max_attempts`).
const MAX_RETRY_AFTER: Duration = Duration::from_secs(600);

impl EventSource {
    /// What `on_error` says to do about `error`.
    fn ask(&mut self, error: &Error) -> ErrorAction {
        match &mut self.settings.on_error {
            Some(on_error) => on_error(error),
            None => ErrorAction::Default,
        }
    }

    /// An error the source ends with whatever `on_error` answers: it is
    /// told, and the error returned to report.
    pub(super) fn fatal(&mut self, error: Error) -> Error {
        self.state = State::Done;
        self.ask(&error);
        error
    }

    /// The connection failed or ended: asks `on_error`, then either waits to
    /// reconnect (`None`) or ends with the error to report (`Some`).
    pub(super) fn failed(&mut self, error: Error) -> Option<Error> {
        if matches!(error, Error::InvalidRequest(_)) {
            // A redirect to a URL this client cannot send: no retry helps.
            return Some(self.fatal(error));
        }
        let action = self.ask(&error);
        self.act(error, action)
    }

    /// Drops the connection and does what `action` says about `error`:
    /// waits to reconnect (`None`) or ends with the error to report (`Some`).
    pub(super) fn act(&mut self, error: Error, action: ErrorAction) -> Option<Error> {
        self.decoder.finish();
        while let Ok(Some(_)) = self.decoder.next_event() {}
        if let Some(retry) = self.decoder.retry() {
            self.reconnect.set_retry(retry);
        }
        if let State::Open {
            eventless_since: Some(opened_at),
            ..
        } = &self.state
        {
            // Open long enough to count as healthy without an event (one
            // with an event started the backoff over already).
            self.reconnect.ended(opened_at.elapsed());
        }
        let retried_status = matches!(
            &error,
            Error::Status { status, .. } if self.settings.retry_statuses.contains(status)
        );
        let retry = match action {
            ErrorAction::Default => {
                (self.settings.reconnect && error.is_retryable()) || retried_status
            }
            ErrorAction::Retry | ErrorAction::RetryAfter(_) => true,
            ErrorAction::Stop => false,
        };
        self.state = State::Done;
        if !retry {
            return Some(error);
        }
        // Every reconnect counts toward the attempt limit, one `on_error`
        // asked for too: a handler that always retries must not loop forever.
        let delay = self
            .reconnect
            .next_delay(random())
            .map(|policy| match action {
                ErrorAction::RetryAfter(delay) => delay,
                _ => retry_wait(policy, &error),
            });
        let Some(delay) = delay else {
            let exhausted = Error::RetriesExhausted {
                attempts: self.reconnect.failures(),
                last: Box::new(error),
            };
            return Some(self.fatal(exhausted));
        };
        self.state = State::Waiting(Box::pin(tokio::time::sleep(delay)));
        None
    }

    /// The body ended: reconnect if wanted, else end cleanly, unless an
    /// event was cut off (a truncated LLM answer must not look complete).
    ///
    /// With `close_when`, the last event has not come (it would have ended
    /// the stream): the body was cut short, which is an error too.
    pub(super) fn closed(&mut self) -> Option<Error> {
        let mid_event = self.decoder.has_incomplete_event();
        let cut_short = mid_event || self.settings.is_last.is_some();
        if !self.settings.reconnect && !cut_short {
            self.decoder.finish();
            self.state = State::Done;
            return None;
        }
        match self.failed(Error::ServerClosed { mid_event }) {
            // Stopping after a normal close is a clean end, not a failure.
            Some(Error::ServerClosed { mid_event: false }) if !cut_short => None,
            other => other,
        }
    }
}

/// The wait before retrying after `error`: the policy's, or longer when a
/// status's `Retry-After` asks for more, up to [`MAX_RETRY_AFTER`].
fn retry_wait(policy: Duration, error: &Error) -> Duration {
    let asked = error.retry_after().unwrap_or_default();
    policy.max(asked.min(MAX_RETRY_AFTER))
}

/// A random number for the reconnect jitter, from the standard library's
/// randomly seeded hasher (no extra dependency for one number per reconnect).
fn random() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderValue, StatusCode};

    fn unavailable(retry_after: &str) -> Error {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_str(retry_after).unwrap());
        Error::Status {
            status: StatusCode::SERVICE_UNAVAILABLE,
            headers: Box::new(headers),
            body: bytes::Bytes::new(),
        }
    }

    #[test]
    fn a_retry_waits_at_least_the_retry_after_within_reason() {
        let ms = Duration::from_millis;
        assert_eq!(retry_wait(ms(20), &unavailable("1")), ms(1000));
        assert_eq!(retry_wait(ms(5000), &unavailable("1")), ms(5000));
        assert_eq!(
            retry_wait(ms(20), &unavailable("4294967295")),
            MAX_RETRY_AFTER
        );
        assert_eq!(retry_wait(ms(20), &Error::IdleTimeout(ms(1))), ms(20));
    }
}
