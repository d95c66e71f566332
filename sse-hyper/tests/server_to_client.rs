//! Our server body read by our own client, both ends real, on 127.0.0.1:
//! what one encodes the other decodes exactly, across a reconnect.
mod server_support;
use futures::{StreamExt, stream};
use server_support::serve;
use sse_hyper::{EventBuilder, EventStreamBody};
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[tokio::test]
async fn client_receives_exactly_what_the_server_body_encodes_and_resumes() {
    let requests = Arc::new(AtomicUsize::new(0));
    let count = requests.clone();
    let (address, _server) = serve(move |request| {
        let index = count.fetch_add(1, Ordering::SeqCst);
        let last_id = request
            .headers()
            .get("last-event-id")
            .map(|v| v.to_str().unwrap().to_owned());
        async move {
            let events: Vec<EventBuilder> = match (index, last_id.as_deref()) {
                (0, None) => vec![
                    EventBuilder::new().retry(Duration::from_millis(20)),
                    EventBuilder::new()
                        .event_type("token")
                        .unwrap()
                        .id("1")
                        .unwrap()
                        .data("Hel"),
                    EventBuilder::new()
                        .data("multi\nline\r\nwith  spaces ")
                        .comment("ping"),
                    EventBuilder::new().id("2").unwrap().data(" leading space"),
                ],
                (1, Some("2")) => vec![
                    EventBuilder::new()
                        .event_type("done")
                        .unwrap()
                        .data("[DONE]"),
                ],
                _ => vec![],
            };
            let events: Vec<Result<EventBuilder, Infallible>> =
                events.into_iter().map(Ok).collect();
            let mut response = EventStreamBody::new(stream::iter(events)).into_response();
            if index > 1 {
                *response.status_mut() = http::StatusCode::NO_CONTENT;
            }
            response
        }
    })
    .await;
    let events: Vec<_> = sse_hyper::Client::new()
        .get(&format!("http://{address}/"))
        .events()
        .map(|event| {
            let event = event.unwrap();
            (
                event.event_type().to_owned(),
                event.data().to_owned(),
                event.id().to_owned(),
            )
        })
        .collect()
        .await;
    let own = |t: &str, d: &str, i: &str| (t.to_owned(), d.to_owned(), i.to_owned());
    assert_eq!(
        events,
        [
            own("token", "Hel", "1"),
            own("message", "multi\nline\nwith  spaces ", "1"),
            own("message", " leading space", "2"),
            own("done", "[DONE]", "2"),
        ]
    );
    assert_eq!(
        requests.load(Ordering::SeqCst),
        3,
        "one reconnect, then 204"
    );
}
