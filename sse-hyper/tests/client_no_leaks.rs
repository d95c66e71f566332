//! Many streams, sequential and concurrent, leave no tasks or sockets behind.
#![cfg(feature = "client")]
mod support;
use futures::StreamExt;
use support::{TestServer, expect_outcome, send, sse};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_sequential_and_two_hundred_concurrent_streams_leave_nothing_behind() {
    let server = TestServer::start(|_| sse(vec![send("data: a\n\ndata: b\n\n")])).await;
    let metrics = tokio::runtime::Handle::current().metrics();
    let tasks_before = metrics.num_alive_tasks();
    {
        let client = sse_hyper::Client::new();
        for _ in 0..1000 {
            let events: Vec<_> = client.post(&server.url("/")).events().collect().await;
            assert_eq!(events.len(), 2);
        }
        let handles: Vec<_> = (0..200)
            .map(|_| client.post(&server.url("/")).spawn())
            .collect();
        for handle in handles {
            expect_outcome!(handle, sse_hyper::Outcome::Closed);
        }
    }
    // The client (and its pool of idle keep-alive connections) is gone:
    // every connection closes and every task ends.
    assert_eq!(server.wait_for_connections(0).await, 0, "sockets left open");
    let mut tasks_after = metrics.num_alive_tasks();
    for _ in 0..100 {
        if tasks_after <= tasks_before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        tasks_after = metrics.num_alive_tasks();
    }
    assert!(
        tasks_after <= tasks_before,
        "{tasks_after} tasks alive, {tasks_before} before"
    );
}
