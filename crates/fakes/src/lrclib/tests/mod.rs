//! Tests of the fake LRCLIB over HTTP: the replay of the recorded transcript, the behaviour the
//! transcript does not show, and the sample records' promises.

mod behaviour;
mod http;
mod oracle;
mod replay;
mod samples;
