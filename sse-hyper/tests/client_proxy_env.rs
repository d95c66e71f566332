//! `proxy_from_env`: `HTTP_PROXY` and `NO_PROXY` as curl reads them. The
//! environment is set for a child process running this binary's
//! `child_reads_the_proxy_from_its_environment` (setting it in this process
//! would race the other threads).
#![cfg(feature = "client")]
mod support;
use support::{TestServer, collect_data, send, sse};

/// Set for the child: whether the request is expected to go through the
/// proxy (which is not there, so that the request fails).
const EXPECT: &str = "SSE_HYPER_TEST_EXPECT_PROXY";

#[test]
fn proxy_settings_come_from_the_environment_when_asked() {
    let nowhere = support::closed_port_url();
    let socks = "socks5://127.0.0.1:9";
    for (proxy, no_proxy, through_proxy) in [
        (nowhere.as_str(), "", "yes"),
        (nowhere.as_str(), "127.0.0.1", "no"),
        (nowhere.as_str(), "localhost,127.0.0.0/8", "no"),
        (socks, "", "unsupported"),
    ] {
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "child_reads_the_proxy_from_its_environment"])
            .env("HTTP_PROXY", proxy)
            .env("NO_PROXY", no_proxy)
            .env(EXPECT, through_proxy)
            // Whatever the machine has set would take part too.
            .env_remove("http_proxy")
            .env_remove("no_proxy")
            .env_remove("REQUEST_METHOD")
            .status()
            .unwrap();
        assert!(
            status.success(),
            "HTTP_PROXY={proxy} NO_PROXY={no_proxy:?}: the child failed"
        );
    }
}

#[tokio::test]
async fn child_reads_the_proxy_from_its_environment() {
    let Ok(expect) = std::env::var(EXPECT) else {
        return; // run by the test above, in a child process
    };
    let server = TestServer::start(|_| sse(vec![send("data: a\n\n")])).await;
    let from_env = sse_hyper::Client::builder().proxy_from_env().build();
    let (data, error) = collect_data(from_env.post(&server.url("/")).events()).await;
    if expect == "yes" {
        assert!(
            matches!(error, Some(sse_hyper::Error::Connect(_))),
            "{error:?}"
        );
        assert!(server.seen().is_empty());
    } else if expect == "unsupported" {
        // Only http:// proxies: anything else fails, and is not retried.
        let error = error.expect("an error");
        assert!(matches!(error, sse_hyper::Error::Proxy(_)), "{error:?}");
        assert!(!error.is_retryable());
        assert!(server.seen().is_empty());
    } else {
        assert!(error.is_none(), "{error:?}");
        assert_eq!(data, ["a"]);
    }
    // Without asking, the environment is not read.
    let (data, error) =
        collect_data(sse_hyper::Client::new().post(&server.url("/")).events()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(data, ["a"]);
}
