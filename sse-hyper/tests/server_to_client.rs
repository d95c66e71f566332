//! Our server body read by our own client, both ends real, on 127.0.0.1:
//! what one encodes the other decodes exactly, across a reconnect.
mod support;
use futures::{StreamExt, stream};
use sse_hyper::{EventBuilder, EventStreamBody};
use std::convert::Infallible;
use std::time::Duration;
use support::TestServer;

#[tokio::test]
async fn client_receives_exactly_what_the_server_body_encodes_and_resumes() {
    let server = TestServer::start(|request| {
        let events: Vec<EventBuilder> = match (request.index, request.header("last-event-id")) {
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
        let events: Vec<Result<EventBuilder, Infallible>> = events.into_iter().map(Ok).collect();
        let mut response = EventStreamBody::new(stream::iter(events)).into_response();
        if request.index > 1 {
            *response.status_mut() = http::StatusCode::NO_CONTENT;
        }
        response
    })
    .await;
    let events: Vec<_> = sse_hyper::Client::new()
        .get(&server.url("/"))
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
    assert_eq!(server.seen().len(), 3, "one reconnect, then 204");
}
