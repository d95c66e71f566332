//! Whether an HTTP response opens an event stream: the spec's checks on the
//! status and `Content-Type`, as a pure function.

/// What a client does with a response, by [`check_response`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseCheck {
    /// A 2xx with a `text/event-stream` content type: read events from it.
    Open,
    /// 204 No Content: the server asks the client to stop. End cleanly, do
    /// not reconnect.
    NoContent,
    /// Any status other than 2xx: fail, do not reconnect.
    BadStatus,
    /// A 2xx whose content type is missing or not `text/event-stream`: fail,
    /// do not reconnect.
    BadContentType,
}

/// Checks a response's status and `Content-Type` header value.
///
/// The spec requires status 200; any 2xx is accepted here (a documented
/// leniency for servers that answer 201 or 202), except 204, which ends the
/// stream. The content type must be `text/event-stream`, in any case, with
/// any parameters (`text/event-stream; charset=utf-8`).
///
/// ```
/// use sse_core::{ResponseCheck, check_response};
///
/// assert_eq!(check_response(200, Some(b"text/event-stream; charset=utf-8")), ResponseCheck::Open);
/// assert_eq!(check_response(204, None), ResponseCheck::NoContent);
/// assert_eq!(check_response(500, Some(b"text/event-stream")), ResponseCheck::BadStatus);
/// assert_eq!(check_response(200, Some(b"application/json")), ResponseCheck::BadContentType);
/// ```
pub fn check_response(status: u16, content_type: Option<&[u8]>) -> ResponseCheck {
    match status {
        204 => ResponseCheck::NoContent,
        200..=299 if content_type.is_some_and(is_event_stream) => ResponseCheck::Open,
        200..=299 => ResponseCheck::BadContentType,
        _ => ResponseCheck::BadStatus,
    }
}

/// Whether a `Content-Type` value names `text/event-stream` (its essence,
/// compared without case; parameters ignored).
pub fn is_event_stream(content_type: &[u8]) -> bool {
    let essence = content_type
        .split(|&b| b == b';')
        .next()
        .unwrap_or_default()
        .trim_ascii();
    essence.eq_ignore_ascii_case(b"text/event-stream")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_essence_is_case_insensitive_with_parameters() {
        assert!(is_event_stream(b"Text/Event-Stream"));
        assert!(is_event_stream(b" text/event-stream ;charset=utf-8"));
        assert!(!is_event_stream(b"text/event-streams"));
        assert!(!is_event_stream(b"text/plain; x=text/event-stream"));
        assert!(!is_event_stream(b""));
    }

    #[test]
    fn status_201_with_event_stream_opens() {
        assert_eq!(
            check_response(201, Some(b"text/event-stream")),
            ResponseCheck::Open
        );
    }

    #[test]
    fn redirects_and_errors_are_bad_status() {
        for status in [100, 301, 400, 401, 404, 429, 500, 503] {
            assert_eq!(
                check_response(status, Some(b"text/event-stream")),
                ResponseCheck::BadStatus
            );
        }
    }

    #[test]
    fn missing_content_type_is_bad() {
        assert_eq!(check_response(200, None), ResponseCheck::BadContentType);
    }
}
