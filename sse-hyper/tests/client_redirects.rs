//! Redirects are followed like fetch; reconnects go back to the original URL.
#![cfg(feature = "client")]
mod support;
use support::{
    TestServer, collect_data, data_without_error, expect_outcome, no_content, scripted, send, sse,
    with_header,
};

fn redirect(status: u16, location: &str) -> http::Response<support::Body> {
    with_header(scripted(status, "", vec![]), "location", location)
}

#[tokio::test]
async fn status_307_keeps_method_and_body() {
    let server = TestServer::start(|seen| match seen.path.as_str() {
        "/old" => redirect(307, "/new"),
        _ => sse(vec![send("data: moved\n\n")]),
    })
    .await;
    let data = data_without_error(
        sse_hyper::Client::new()
            .post(&server.url("/old"))
            .body("prompt")
            .events(),
    )
    .await;
    assert_eq!(data, ["moved"]);
    let seen = server.seen();
    assert_eq!(
        (seen[1].method.as_str(), &seen[1].body[..]),
        ("POST", &b"prompt"[..])
    );
}

#[tokio::test]
async fn status_303_switches_to_get_without_body() {
    let server = TestServer::start(|seen| match seen.path.as_str() {
        "/old" => redirect(303, "new?x=1"),
        _ => sse(vec![send("data: moved\n\n")]),
    })
    .await;
    let (data, _) = collect_data(
        sse_hyper::Client::new()
            .post(&server.url("/old"))
            .header("content-type", "application/json")
            .body(r#"{"a":1}"#)
            .events(),
    )
    .await;
    assert_eq!(data, ["moved"]);
    let seen = server.seen();
    assert_eq!(seen[1].path, "/new?x=1");
    assert_eq!(seen[1].method, http::Method::GET);
    assert!(seen[1].body.is_empty());
    assert_eq!(seen[1].header("content-type"), None);
}

#[tokio::test]
async fn cross_origin_redirect_strips_authorization() {
    let other = TestServer::start(|_| sse(vec![send("data: there\n\n")])).await;
    let target = other.url("/");
    let server = TestServer::start(move |_| redirect(302, &target)).await;
    let (data, _) = collect_data(
        sse_hyper::Client::new()
            .get(&server.url("/"))
            .header("authorization", "Bearer secret")
            .header("x-trace", "kept")
            .reconnect(false)
            .events(),
    )
    .await;
    assert_eq!(data, ["there"]);
    assert_eq!(
        server.seen()[0].header("authorization"),
        Some("Bearer secret")
    );
    let arrived = &other.seen()[0];
    assert_eq!(arrived.header("authorization"), None);
    assert_eq!(arrived.header("x-trace"), Some("kept"));
}

#[tokio::test]
async fn redirect_loop_stops_at_the_limit() {
    let server = TestServer::start(|_| redirect(302, "/again")).await;
    expect_outcome!(
        sse_hyper::Client::new()
            .get(&server.url("/"))
            .max_redirects(3)
            .spawn(),
        sse_hyper::Outcome::Failed(sse_hyper::Error::TooManyRedirects { limit: 3 })
    );
    assert_eq!(server.seen().len(), 4);
}

#[tokio::test]
async fn reconnect_uses_the_original_url_after_a_redirect() {
    let server = TestServer::start(|seen| match (seen.index, seen.path.as_str()) {
        (_, "/start") if seen.index < 2 => redirect(307, "/moved"),
        (1, "/moved") => sse(vec![send("retry: 1\ndata: a\n\n")]),
        _ => no_content(),
    })
    .await;
    collect_data(sse_hyper::Client::new().get(&server.url("/start")).events()).await;
    let paths: Vec<_> = server.seen().into_iter().map(|s| s.path).collect();
    assert_eq!(paths[..3], ["/start", "/moved", "/start"]);
}

#[tokio::test]
async fn redirect_without_location_is_an_error() {
    let server = TestServer::start(|_| scripted(302, "", vec![])).await;
    expect_outcome!(
        sse_hyper::Client::new().get(&server.url("/")).spawn(),
        sse_hyper::Outcome::Failed(sse_hyper::Error::InvalidRedirect { .. })
    );
}

#[tokio::test]
async fn location_with_a_url_in_its_query_is_relative() {
    let server = TestServer::start(|seen| match seen.path.as_str() {
        "/old" => redirect(302, "/new?return=https://example.com/"),
        _ => sse(vec![send("data: moved\n\n")]),
    })
    .await;
    let data = data_without_error(
        sse_hyper::Client::new()
            .get(&server.url("/old"))
            .reconnect(false)
            .events(),
    )
    .await;
    assert_eq!(data, ["moved"]);
    assert_eq!(server.seen()[1].path, "/new?return=https://example.com/");
}

/// Without TLS, a redirect to `https://` is refused rather than followed in
/// clear text (with TLS, it is followed like any other).
#[cfg(not(feature = "rustls"))]
#[tokio::test]
async fn a_redirect_to_https_without_tls_is_refused() {
    let server = TestServer::start(|seen| match seen.path.as_str() {
        "/old" => redirect(
            302,
            &format!("https://{}/new", seen.header("host").unwrap()),
        ),
        _ => sse(vec![send("data: in clear text\n\n")]),
    })
    .await;
    let request = sse_hyper::Client::new()
        .post(&server.url("/old"))
        .header("authorization", "Bearer secret")
        .spawn();
    let error = expect_outcome!(
        request,
        sse_hyper::Outcome::Failed(error @ sse_hyper::Error::InvalidRequest(_)) => error
    );
    assert!(error.to_string().contains("rustls"), "{error}");
    assert_eq!(server.seen().len(), 1, "the redirect was followed");
}

#[tokio::test]
async fn on_open_tells_the_url_requested_and_where_redirects_led() {
    let server = TestServer::start(|seen| match seen.path.as_str() {
        "/old" => redirect(302, "/new?page=2"),
        _ => sse(vec![send("data: moved\n\n")]),
    })
    .await;
    let urls = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = urls.clone();
    let data = data_without_error(
        sse_hyper::Client::new()
            .get(&server.url("/old"))
            .reconnect(false)
            .on_open(move |response| {
                let urls = (response.url().to_string(), response.final_url().to_string());
                seen.lock().unwrap().push(urls);
            })
            .events(),
    )
    .await;
    assert_eq!(data, ["moved"]);
    assert_eq!(
        *urls.lock().unwrap(),
        [(server.url("/old"), server.url("/new?page=2"))]
    );
    // Without a redirect both are the URL requested.
    let seen = urls.clone();
    sse_hyper::Client::new()
        .get(&server.url("/direct"))
        .reconnect(false)
        .on_open(move |response| {
            let urls = (response.url().to_string(), response.final_url().to_string());
            seen.lock().unwrap().push(urls);
        })
        .spawn()
        .await;
    assert_eq!(
        urls.lock().unwrap()[1],
        (server.url("/direct"), server.url("/direct"))
    );
}
