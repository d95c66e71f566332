//! What the client sends.
#![cfg(feature = "client")]
mod support;
use support::{TestServer, closed_port_url, expect_outcome, sse};

#[cfg(feature = "json")]
#[tokio::test]
async fn post_body_and_headers_arrive() {
    let server = TestServer::start(|_| sse(vec![support::send("data: ok\n\n")])).await;
    let request = sse_hyper::Client::new()
        .post(&server.url("/v1/chat"))
        .header("authorization", "Bearer secret")
        .json(&serde_json::json!({"message": "make me a table"}));
    expect_outcome!(request.spawn(), sse_hyper::Outcome::Closed);
    let seen = server.seen();
    assert_eq!(seen.len(), 1, "POST must not reconnect by default");
    let request = &seen[0];
    assert_eq!(request.method, http::Method::POST);
    assert_eq!(request.path, "/v1/chat");
    assert_eq!(request.header("authorization"), Some("Bearer secret"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("accept"), Some("text/event-stream"));
    assert_eq!(request.header("cache-control"), Some("no-cache"));
    assert_eq!(request.header("last-event-id"), None);
    assert_eq!(&request.body[..], br#"{"message":"make me a table"}"#);
}

#[tokio::test]
async fn accept_header_can_be_overridden() {
    let server = TestServer::start(|_| sse(vec![])).await;
    sse_hyper::Client::new()
        .post(&server.url("/"))
        .header("accept", "text/event-stream, application/json")
        .spawn()
        .await;
    let seen = server.seen();
    let accepts: Vec<_> = seen[0].headers.get_all("accept").iter().collect();
    assert_eq!(accepts, ["text/event-stream, application/json"]);
}

#[tokio::test]
async fn invalid_url_and_header_are_typed_errors_without_a_request() {
    let client = sse_hyper::Client::new();
    expect_outcome!(
        client.get("not a url").spawn(),
        sse_hyper::Outcome::Failed(sse_hyper::Error::InvalidRequest(_))
    );
    expect_outcome!(
        client
            .get(&closed_port_url())
            .header("bad header", "x")
            .spawn(),
        sse_hyper::Outcome::Failed(sse_hyper::Error::InvalidRequest(_))
    );
}

#[tokio::test]
async fn initial_last_event_id_is_sent_from_the_first_request() {
    let server = TestServer::start(|_| sse(vec![])).await;
    sse_hyper::Client::new()
        .get(&server.url("/"))
        .reconnect(false)
        .last_event_id("resume-41")
        .spawn()
        .await;
    assert_eq!(server.seen()[0].header("last-event-id"), Some("resume-41"));
}

#[cfg(feature = "json")]
#[tokio::test]
async fn content_type_header_after_json_replaces_it() {
    let server = TestServer::start(|_| sse(vec![])).await;
    sse_hyper::Client::new()
        .post(&server.url("/"))
        .json(&serde_json::json!({"a": 1}))
        .header("Content-Type", "application/json; charset=utf-8")
        .spawn()
        .await;
    let seen = server.seen();
    let content_types: Vec<_> = seen[0].headers.get_all("content-type").iter().collect();
    assert_eq!(content_types, ["application/json; charset=utf-8"]);
}

#[cfg(feature = "json")]
#[tokio::test]
async fn json_keeps_a_content_type_header_set_before_it() {
    let server = TestServer::start(|_| sse(vec![])).await;
    sse_hyper::Client::new()
        .post(&server.url("/"))
        .header("content-type", "application/vnd.api+json")
        .json(&serde_json::json!({"a": 1}))
        .spawn()
        .await;
    let seen = server.seen();
    let content_types: Vec<_> = seen[0].headers.get_all("content-type").iter().collect();
    assert_eq!(content_types, ["application/vnd.api+json"]);
}

#[tokio::test]
async fn repeated_headers_other_than_content_type_are_all_sent() {
    let server = TestServer::start(|_| sse(vec![])).await;
    sse_hyper::Client::new()
        .post(&server.url("/"))
        .header("x-tag", "a")
        .header("X-Tag", "b")
        .spawn()
        .await;
    let seen = server.seen();
    let tags: Vec<_> = seen[0].headers.get_all("x-tag").iter().collect();
    assert_eq!(tags, ["a", "b"]);
}
