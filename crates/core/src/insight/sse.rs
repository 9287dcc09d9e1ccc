//! An incremental parser for server-sent events (the `text/event-stream` format), pure and
//! IO-free: feed it the body in whatever chunks the network delivers.

/// One dispatched event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SseEvent {
    /// The event's data: its `data:` lines joined with `\n`.
    Data(String),
    /// `data: [DONE]`, the OpenAI end-of-stream marker; nothing is parsed after it.
    Done,
}

/// An event or line grew beyond the configured limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SseOverflow;

/// Parser state between chunks. Lines are cut on raw bytes and only whole lines are decoded,
/// so chunks may split lines, `\r\n` pairs and UTF-8 sequences anywhere.
#[derive(Debug)]
pub struct SseParser {
    line: Vec<u8>,
    data: String,
    has_data: bool,
    /// The previous byte was `\r`, so a following `\n` belongs to the same line break.
    after_cr: bool,
    /// The last line was complete, i.e. the input did not stop in the middle of a line.
    at_line_start: bool,
    done: bool,
    max_bytes: usize,
}

impl SseParser {
    /// A parser that refuses events or lines longer than `max_bytes`.
    pub fn new(max_bytes: usize) -> Self {
        Self {
            line: Vec::new(),
            data: String::new(),
            has_data: false,
            after_cr: false,
            at_line_start: true,
            done: false,
            max_bytes,
        }
    }

    /// Whether `[DONE]` has been seen.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Parses one chunk and returns the events it completed.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<Vec<SseEvent>, SseOverflow> {
        let mut events = Vec::new();
        for &byte in chunk {
            if self.done {
                break;
            }
            let after_cr = std::mem::replace(&mut self.after_cr, byte == b'\r');
            match byte {
                b'\n' if after_cr => {}
                b'\r' | b'\n' => {
                    self.at_line_start = true;
                    self.end_line(&mut events)?;
                }
                _ => {
                    self.at_line_start = false;
                    if self.line.len() >= self.max_bytes {
                        return Err(SseOverflow);
                    }
                    self.line.push(byte);
                }
            }
        }
        Ok(events)
    }

    /// Ends the input. An event missing only its closing blank line is still dispatched
    /// (servers often close right after `data: [DONE]`); a line cut in the middle is dropped,
    /// because it is a truncated message rather than a complete one.
    pub fn finish(&mut self) -> Option<SseEvent> {
        if self.done || !self.at_line_start || !self.has_data {
            return None;
        }
        let mut events = Vec::new();
        self.dispatch(&mut events);
        events.pop()
    }

    fn end_line(&mut self, events: &mut Vec<SseEvent>) -> Result<(), SseOverflow> {
        let line = std::mem::take(&mut self.line);
        if line.is_empty() {
            self.dispatch(events);
            return Ok(());
        }
        let line = String::from_utf8_lossy(&line);
        if line.starts_with(':') {
            return Ok(()); // a comment, often sent as a keep-alive
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (&*line, ""),
        };
        // `event`, `id` and `retry` carry nothing an OpenAI-compatible stream needs.
        if field == "data" {
            if self.data.len() + value.len() + 1 > self.max_bytes {
                return Err(SseOverflow);
            }
            if self.has_data {
                self.data.push('\n');
            }
            self.data.push_str(value);
            self.has_data = true;
        }
        Ok(())
    }

    fn dispatch(&mut self, events: &mut Vec<SseEvent>) {
        if !std::mem::take(&mut self.has_data) {
            return;
        }
        let data = std::mem::take(&mut self.data);
        if data.trim() == "[DONE]" {
            self.done = true;
            events.push(SseEvent::Done);
        } else {
            events.push(SseEvent::Data(data));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse_all(chunks: &[&[u8]]) -> Vec<SseEvent> {
        let mut parser = SseParser::new(1 << 20);
        let mut events = Vec::new();
        for chunk in chunks {
            events.extend(parser.feed(chunk).unwrap());
        }
        events.extend(parser.finish());
        events
    }

    fn data(s: &str) -> SseEvent {
        SseEvent::Data(s.to_string())
    }

    #[test]
    fn parses_events_comments_and_done() {
        let body = b": keep-alive\n\ndata: {\"a\":1}\n\nevent: x\nid: 7\ndata:{\"b\":2}\n\ndata: [DONE]\n\ndata: ignored\n\n";
        assert_eq!(
            parse_all(&[body]),
            vec![data("{\"a\":1}"), data("{\"b\":2}"), SseEvent::Done]
        );
    }

    #[test]
    fn joins_multi_line_data_and_handles_crlf_and_cr() {
        let body = b"data: one\r\ndata: two\r\n\r\ndata: three\rdata:\r\r";
        assert_eq!(parse_all(&[body]), vec![data("one\ntwo"), data("three\n")]);
    }

    #[test]
    fn survives_chunks_splitting_crlf_and_utf8() {
        let body = "data: café ♫\r\n\r\ndata: [DONE]\r\n\r\n".as_bytes();
        // Split inside the two-byte "é", the three-byte "♫" and between "\r" and "\n".
        let e = body.iter().position(|&b| b == 0xC3).unwrap() + 1;
        let note = body.iter().position(|&b| b == 0xE2).unwrap() + 2;
        let cr = body.iter().position(|&b| b == b'\r').unwrap() + 1;
        let chunks = [&body[..e], &body[e..note], &body[note..cr], &body[cr..]];
        assert_eq!(parse_all(&chunks), vec![data("café ♫"), SseEvent::Done]);
    }

    #[test]
    fn end_of_input_keeps_complete_lines_and_drops_a_cut_line() {
        assert_eq!(parse_all(&[b"data: [DONE]\n"]), vec![SseEvent::Done]);
        assert_eq!(parse_all(&[b"data: {\"a\":1}\n"]), vec![data("{\"a\":1}")]);
        assert_eq!(
            parse_all(&[b"data: {\"a\":1}\n\ndata: {\"b\""]),
            vec![data("{\"a\":1}")]
        );
    }

    #[test]
    fn refuses_oversized_lines_and_events() {
        let mut parser = SseParser::new(16);
        assert_eq!(parser.feed(&[b'x'; 17]), Err(SseOverflow));
        let mut parser = SseParser::new(16);
        assert_eq!(
            parser.feed(b"data: 0123456789\ndata: 0123456789\n"),
            Err(SseOverflow)
        );
    }

    proptest! {
        #[test]
        fn chunking_never_changes_the_events(
            texts in proptest::collection::vec("[a-zé♫ :\\[\\]{}\"]{0,12}", 0..6),
            crlf in any::<bool>(),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..8),
        ) {
            let eol = if crlf { "\r\n" } else { "\n" };
            let mut body = String::new();
            for t in &texts {
                body.push_str(&format!("data: {t}{eol}{eol}"));
            }
            let bytes = body.as_bytes();
            let whole = parse_all(&[bytes]);
            let mut points: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
            points.sort_unstable();
            let mut chunks = Vec::new();
            let mut start = 0;
            for p in points {
                chunks.push(&bytes[start..p]);
                start = p;
            }
            chunks.push(&bytes[start..]);
            prop_assert_eq!(parse_all(&chunks), whole);
        }
    }
}
