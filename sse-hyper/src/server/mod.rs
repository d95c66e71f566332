//! The server half: a streaming `text/event-stream` response body.
