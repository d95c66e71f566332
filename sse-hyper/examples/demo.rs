//! The main demo: an LLM-style token stream over SSE, with the fetch-style
//! callback API.
//!
//! ```sh
//! cargo run --example demo                       # a built-in local server on 127.0.0.1
//! cargo run --example demo -- --abort-after 5    # abort after five tokens
//! cargo run --example demo -- https://api.openai.com/v1/chat/completions \
//!     -H "authorization: Bearer $OPENAI_API_KEY" \
//!     --data '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"make me a table"}]}'
//! ```
//!
//! With no URL it starts a server on 127.0.0.1 that answers the POST with an
//! OpenAI-style chat completion stream, token by token, with keep-alive
//! comments and a final `data: [DONE]`. The client POSTs a JSON body, prints
//! each token as it arrives, and reports how the stream ended.

use futures::{StreamExt, stream};
use sse_hyper::{AbortHandle, Client, EventBuilder, EventStreamBody, Flow, Outcome};
use std::io::Write;
use std::time::Duration;

const ANSWER: &str = "Here is a table of three cities and their average July temperature:\n\n\
    | City | °C |\n|---|---|\n| Lisbon | 23 |\n| Oslo | 17 |\n| Cairo | 28 |\n\n\
    Every token you see arrived as its own server-sent event.";

struct Args {
    url: Option<String>,
    data: Option<String>,
    headers: Vec<(String, String)>,
    abort_after: Option<usize>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        url: None,
        data: None,
        headers: Vec::new(),
        abort_after: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--data" | "-d" => args.data = Some(value("--data")?),
            "-H" | "--header" => {
                let header = value("-H")?;
                let (name, val) = header
                    .split_once(':')
                    .ok_or(format!("header {header:?} is not `name: value`"))?;
                args.headers
                    .push((name.trim().to_owned(), val.trim().to_owned()));
            }
            "--abort-after" => {
                let n = value("--abort-after")?;
                args.abort_after = Some(n.parse().map_err(|_| format!("not a number: {n}"))?);
            }
            "--help" | "-h" => {
                return Err(
                    "usage: demo [URL] [--data JSON] [-H 'name: value']... [--abort-after N]"
                        .into(),
                );
            }
            url if !url.starts_with('-') && args.url.is_none() => args.url = Some(url.to_owned()),
            other => return Err(format!("unexpected argument {other:?}; try --help")),
        }
    }
    Ok(args)
}

#[tokio::main]
async fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let url = match &args.url {
        Some(url) => url.clone(),
        None => start_local_server().await,
    };
    let body = args.data.clone().unwrap_or_else(|| {
        serde_json::json!({
            "model": "demo",
            "stream": true,
            "messages": [{"role": "user", "content": "make me a table"}],
        })
        .to_string()
    });
    eprintln!("POST {url}");

    // Made before the request, so that `on_message` can stop it.
    let stop = AbortHandle::new();
    let stop_inside = stop.clone();
    let mut tokens = 0;
    // For a URL given, as curl does: HTTPS_PROXY, HTTP_PROXY and NO_PROXY,
    // when set. The built-in server is on this machine: no proxy for it.
    let client = match args.url {
        Some(_) => Client::builder().proxy_from_env().build(),
        None => Client::new(),
    };
    let mut request = client
        .post(&url)
        .header("content-type", "application/json")
        .body(body);
    for (name, value) in &args.headers {
        request = request.header(name, value);
    }
    let handle = request
        .abort_handle(&stop)
        .on_open(|response| eprintln!("(open: {} {:?})", response.status(), response.version()))
        .on_message(move |event| {
            if event.data() == "[DONE]" {
                println!("\n(received [DONE])");
                return Flow::Close;
            }
            tokens += 1;
            print!("{}", delta(event.data()));
            let _ = std::io::stdout().flush();
            if args.abort_after == Some(tokens) {
                stop_inside.abort();
            }
            Flow::Continue
        })
        .on_error(|error| eprintln!("\n(error: {error})"))
        .on_close(|| eprintln!("(on_close: the stream ended)"))
        .on_abort(|| eprintln!("\n(on_abort: stopped by abort())"))
        .spawn();
    if let Outcome::Failed(error) = handle.await {
        eprintln!("failed: {error}");
        std::process::exit(1);
    }
}

/// The text of an OpenAI-style chunk (`choices[0].delta.content`), or the
/// raw data when it is not one.
fn delta(data: &str) -> String {
    serde_json::from_str::<serde_json::Value>(data)
        .ok()
        .and_then(|chunk| {
            chunk["choices"][0]["delta"]["content"]
                .as_str()
                .map(str::to_owned)
        })
        .unwrap_or_else(|| data.to_owned())
}

/// Serves the built-in LLM stream on 127.0.0.1; returns its URL.
async fn start_local_server() -> String {
    use hyper_util::rt::{TokioExecutor, TokioIo};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let address = listener.local_addr().expect("a local address");
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let service = hyper::service::service_fn(|_request| async {
                Ok::<_, std::convert::Infallible>(EventStreamBody::new(answer()).into_response())
            });
            tokio::spawn(async move {
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tcp), service)
                    .await;
            });
        }
    });
    format!("http://{address}/v1/chat/completions")
}

/// The answer as chat completion chunks at a model's pace, a keep-alive
/// comment every ten tokens, then `[DONE]`.
fn answer() -> impl futures::Stream<Item = Result<EventBuilder, std::convert::Infallible>> {
    let tokens: Vec<String> = ANSWER
        .split_inclusive([' ', '\n'])
        .map(str::to_owned)
        .collect();
    stream::iter(tokens.into_iter().enumerate())
        .then(|(index, token)| async move {
            tokio::time::sleep(Duration::from_millis(30 + (index as u64 * 17) % 50)).await;
            let chunk = serde_json::json!({
                "id": "chatcmpl-demo",
                "object": "chat.completion.chunk",
                "choices": [{"index": 0, "delta": {"content": token}}],
            });
            let mut event = EventBuilder::new().data(chunk.to_string());
            if index % 10 == 9 {
                event = event.comment("keep-alive");
            }
            event
        })
        .chain(stream::once(async { EventBuilder::new().data("[DONE]") }))
        .map(Ok)
}
