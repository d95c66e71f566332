//! Responses that do not open an event stream end it, typed, without reconnecting.
#![cfg(feature = "client")]
mod support;
use support::{
    TestServer, closed_port_url, collect_data, data_without_error, expect_outcome, no_content,
    scripted, send, sse, with_header,
};

#[tokio::test]
async fn no_content_ends_the_stream_cleanly_without_reconnecting() {
    let server = TestServer::start(|_| no_content()).await;
    let closed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = closed.clone();
    let request = sse_hyper::Client::new()
        .get(&server.url("/"))
        .on_close(move || flag.store(true, std::sync::atomic::Ordering::SeqCst));
    expect_outcome!(request.spawn(), sse_hyper::Outcome::Closed);
    assert!(closed.load(std::sync::atomic::Ordering::SeqCst));
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn status_500_is_fatal_and_exposes_status_headers_and_body() {
    let server = TestServer::start(|_| {
        let body = vec![send(r#"{"error":"overloaded"}"#)];
        with_header(scripted(500, "application/json", body), "retry-after", "7")
    })
    .await;
    let error = expect_outcome!(
        sse_hyper::Client::new().get(&server.url("/")).spawn(),
        sse_hyper::Outcome::Failed(error) => error
    );
    assert_eq!(
        error.status(),
        Some(http::StatusCode::INTERNAL_SERVER_ERROR)
    );
    assert_eq!(
        error.response_body().unwrap(),
        &br#"{"error":"overloaded"}"#[..]
    );
    let sse_hyper::Error::Status { headers, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(headers["retry-after"], "7");
    assert!(error.to_string().contains("500") && error.to_string().contains("overloaded"));
    assert_eq!(
        server.seen().len(),
        1,
        "a GET must not reconnect after a 500"
    );
}

#[tokio::test]
async fn wrong_content_type_is_fatal_and_reported() {
    let server = TestServer::start(|_| scripted(200, "application/json", vec![send("{}")])).await;
    let (data, error) = collect_data(sse_hyper::Client::new().get(&server.url("/")).events()).await;
    assert!(data.is_empty());
    let error = error.expect("an error");
    let sse_hyper::Error::ContentType {
        content_type, body, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(content_type.as_ref().unwrap(), "application/json");
    assert_eq!(&body[..], b"{}");
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn any_2xx_with_event_stream_opens() {
    let server = TestServer::start(|_| {
        scripted(
            201,
            "text/event-stream; charset=utf-8",
            vec![send("data: x\n\n")],
        )
    })
    .await;
    let events = sse_hyper::Client::new().post(&server.url("/")).events();
    assert_eq!(data_without_error(events).await, ["x"]);
}

#[tokio::test]
async fn compressed_body_in_an_encoding_not_requested_is_rejected() {
    let server =
        TestServer::start(|_| with_header(sse(vec![send("garbage")]), "content-encoding", "br"))
            .await;
    expect_outcome!(
        sse_hyper::Client::new().post(&server.url("/")).spawn(),
        sse_hyper::Outcome::Failed(sse_hyper::Error::ContentEncoding(_))
    );
    let asked = server.seen()[0]
        .header("accept-encoding")
        .map(str::to_owned);
    let expected = cfg!(feature = "gzip").then(|| "gzip".to_owned());
    assert_eq!(asked, expected);
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    expect_outcome!(
        sse_hyper::Client::new().post(&closed_port_url()).spawn(),
        sse_hyper::Outcome::Failed(sse_hyper::Error::Connect(_))
    );
}
