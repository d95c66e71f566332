//! Decodes a `text/event-stream` and prints one event per line.
//!
//! ```text
//! cargo run --example decode                 # a built-in LLM token stream
//! cargo run --example decode -- stream.txt   # a file
//! curl -sN https://host/sse | cargo run --example decode -- -   # stdin
//! ```
//!
//! Input is read in small chunks and pushed as it comes, the way a network
//! client would, so events print as soon as they are complete.

use bytes::Bytes;
use sse_core::{Decoder, Frame};
use std::io::{self, Read, Write};

/// A realistic LLM answer streamed as OpenAI-style chat completion chunks,
/// with a keep-alive comment, an event with an id, and a retry hint.
const SAMPLE: &str = concat!(
    ": connected\n",
    "retry: 3000\n\n",
    "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n",
    "data: {\"choices\":[{\"delta\":{\"content\":\"Here\"}}]}\n\n",
    "data: {\"choices\":[{\"delta\":{\"content\":\" is\"}}]}\n\n",
    ": keep-alive\n\n",
    "data: {\"choices\":[{\"delta\":{\"content\":\" a table:\"}}]}\n\n",
    "data: {\"choices\":[{\"delta\":{\"content\":\"\\n| city | °C |\"}}]}\r\n\r\n",
    "id: 5\r\nevent: usage\r\ndata: {\"prompt_tokens\":12,\r\ndata:  \"completion_tokens\":9}\r\n\r\n",
    "data: [DONE]\n\n",
);

fn main() -> io::Result<()> {
    let source: Box<dyn Read> = match std::env::args().nth(1).as_deref() {
        Some("-") => Box::new(io::stdin()),
        Some(path) => Box::new(std::fs::File::open(path)?),
        None => Box::new(SAMPLE.as_bytes()),
    };
    decode(source, &mut io::stdout().lock())
}

fn decode(mut source: impl Read, out: &mut impl Write) -> io::Result<()> {
    let mut decoder = Decoder::new();
    let mut chunk = vec![0; 64];
    loop {
        let n = source.read(&mut chunk)?;
        if n == 0 {
            decoder.finish();
        } else {
            decoder.push(Bytes::copy_from_slice(&chunk[..n]));
        }
        loop {
            match decoder.next_frame() {
                Ok(Some(Frame::Event(event))) => writeln!(
                    out,
                    "event={:<8} id={:<3} data={}",
                    event.event_type(),
                    format!("{:?}", event.id()),
                    event.data().replace('\n', "\\n")
                )?,
                Ok(Some(Frame::Comment(comment))) => {
                    writeln!(out, "(comment: {})", comment.text())?;
                }
                Ok(Some(Frame::Retry(retry))) => writeln!(out, "(retry: {retry:?})")?,
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(error) => writeln!(out, "(skipped: {error})")?,
            }
        }
        out.flush()?;
        if n == 0 {
            return Ok(());
        }
    }
}
