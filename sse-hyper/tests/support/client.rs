//! Reading what the client under test delivers.

use futures::StreamExt;

/// Collects the data of every event of a stream until it ends, and the error
/// it ended with, if any.
pub async fn collect_data(
    mut events: impl futures::Stream<Item = Result<sse_hyper::Event, sse_hyper::Error>> + Unpin,
) -> (Vec<String>, Option<sse_hyper::Error>) {
    let mut data = Vec::new();
    while let Some(item) = events.next().await {
        match item {
            Ok(event) => data.push(event.data().to_owned()),
            Err(error) => return (data, Some(error)),
        }
    }
    (data, None)
}

/// The data of every event of a stream, which must end without an error.
pub async fn data_without_error(
    events: impl futures::Stream<Item = Result<sse_hyper::Event, sse_hyper::Error>> + Unpin,
) -> Vec<String> {
    let (data, error) = collect_data(events).await;
    assert!(error.is_none(), "{error:?} after {data:?}");
    data
}

/// Awaits an [`Outcome`](sse_hyper::Outcome) (a `spawn()`ed request or its
/// handle) and fails the test unless it matches the pattern; after `=>`, the
/// value to return, which may use the pattern's bindings:
///
/// ```ignore
/// expect_outcome!(request.spawn(), Outcome::Closed);
/// let error = expect_outcome!(request.spawn(), Outcome::Failed(error) => error);
/// ```
#[allow(unused_macros)] // unused in the tests that spawn nothing
macro_rules! expect_outcome {
    ($outcome:expr, $expected:pat $(=> $value:expr)?) => {
        match $outcome.await {
            $expected => ($($value)?),
            outcome => panic!("expected {}, got {outcome:?}", stringify!($expected)),
        }
    };
}

pub(crate) use expect_outcome;
