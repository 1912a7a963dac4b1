//! One WebSocket connection, carrying typed messages.
//!
//! [`Connection`] owns the stream: it reads text frames and parses them into the inbound message
//! type, and serialises outbound messages into text frames. The stream under it is any
//! transport's ([`super::transport`]). It knows nothing of seats or matches.

use std::marker::PhantomData;

use futures_util::{SinkExt as _, StreamExt as _};
use serde::Serialize;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{self, Message};

use super::wire::{ClientMsg, Inbound, MAX_MESSAGE_BYTES, ParseError, ServerMsg};

/// The host's side of a connection: reads [`ClientMsg`], writes [`ServerMsg`].
pub type HostConnection<S = TcpStream> = Connection<ClientMsg, ServerMsg, S>;

/// The joiner's side of a connection: reads [`ServerMsg`], writes [`ClientMsg`].
pub type JoinConnection<S = TcpStream> = Connection<ServerMsg, ClientMsg, S>;

/// Why reading a message failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A text frame that is not a valid message. The connection is still usable.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// A WebSocket ping or pong frame (the library answers pings by itself). The connection is
    /// still usable; the caller counts it, as it counts messages.
    #[error("a WebSocket ping or pong frame")]
    Control,
    /// A binary frame. The connection is still usable.
    #[error("a binary frame of {bytes} bytes: the protocol is JSON text")]
    Binary {
        /// Its size.
        bytes: usize,
    },
    /// A message over the size limit. The stream cannot be trusted any more.
    #[error("a message of {size} bytes is over the limit of {max_size}")]
    TooLarge {
        /// Its size, as far as it was read.
        size: usize,
        /// The limit.
        max_size: usize,
    },
    /// The transport failed or broke the WebSocket protocol.
    #[error("connection failed: {source}")]
    Transport {
        /// The underlying error.
        #[source]
        source: tungstenite::Error,
    },
}

/// Why writing a message failed. The connection should be dropped.
#[derive(Debug, thiserror::Error)]
#[error("could not send: {source}")]
pub struct WriteError {
    /// The underlying error.
    #[source]
    pub source: tungstenite::Error,
}

/// The WebSocket settings for untrusted peers: small messages and frames.
#[must_use]
pub fn ws_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_MESSAGE_BYTES))
        .read_buffer_size(8 * 1024)
        // Messages queued with `feed_msg` leave together on `flush` (one segment for an event, its
        // ack and the reply move); `write_msg` always flushes at once.
        .write_buffer_size(4 * MAX_MESSAGE_BYTES)
}

/// A WebSocket stream that reads `In` messages and writes `Out` messages.
#[derive(Debug)]
pub struct Connection<In, Out, S = TcpStream> {
    stream: WebSocketStream<S>,
    _messages: PhantomData<fn(Out) -> In>,
}

impl<In, Out, S> Connection<In, Out, S>
where
    In: Inbound,
    Out: Serialize,
    S: AsyncRead + AsyncWrite + Unpin,
{
    /// Wraps a stream that has completed the WebSocket handshake.
    pub const fn new(stream: WebSocketStream<S>) -> Self {
        Self {
            stream,
            _messages: PhantomData,
        }
    }

    /// The underlying transport.
    pub fn get_ref(&self) -> &S {
        self.stream.get_ref()
    }

    /// Reads the next message. `Ok(None)` means the peer closed the connection cleanly (or the
    /// stream ended). A WebSocket ping or pong (pings are answered by the library) comes back as
    /// [`ReadError::Control`], so that a flood of them costs the sender like any message.
    /// Cancel-safe: a message is never half-read when the future is dropped.
    pub async fn read_msg(&mut self) -> Result<Option<In>, ReadError> {
        loop {
            let Some(frame) = self.stream.next().await else {
                return Ok(None);
            };
            match frame {
                Ok(Message::Text(text)) => return Ok(Some(In::parse(text.as_str())?)),
                Ok(Message::Binary(data)) => return Err(ReadError::Binary { bytes: data.len() }),
                Ok(Message::Ping(_) | Message::Pong(_)) => return Err(ReadError::Control),
                Ok(Message::Frame(_)) => {}
                Err(tungstenite::Error::Capacity(capacity)) => {
                    let (size, max_size) = match capacity {
                        tungstenite::error::CapacityError::MessageTooLong { size, max_size } => {
                            (size, max_size)
                        }
                        tungstenite::error::CapacityError::TooManyHeaders => {
                            (MAX_MESSAGE_BYTES + 1, MAX_MESSAGE_BYTES)
                        }
                    };
                    return Err(ReadError::TooLarge { size, max_size });
                }
                Ok(Message::Close(_))
                | Err(
                    tungstenite::Error::ConnectionClosed
                    | tungstenite::Error::AlreadyClosed
                    | tungstenite::Error::Protocol(
                        tungstenite::error::ProtocolError::ResetWithoutClosingHandshake,
                    ),
                ) => return Ok(None),
                Err(source) => return Err(ReadError::Transport { source }),
            }
        }
    }

    /// Sends one message and flushes it.
    pub async fn write_msg(&mut self, msg: &Out) -> Result<(), WriteError> {
        self.stream
            .send(Message::text(to_json(msg)))
            .await
            .map_err(|source| WriteError { source })
    }

    /// Queues one message without flushing; [`Self::flush`] sends everything queued.
    pub async fn feed_msg(&mut self, msg: &Out) -> Result<(), WriteError> {
        self.stream
            .feed(Message::text(to_json(msg)))
            .await
            .map_err(|source| WriteError { source })
    }

    /// Queues one message already serialised (shared by many connections) without flushing.
    pub(crate) async fn feed_text(
        &mut self,
        text: tungstenite::Utf8Bytes,
    ) -> Result<(), WriteError> {
        self.stream
            .feed(Message::Text(text))
            .await
            .map_err(|source| WriteError { source })
    }

    /// Sends everything queued by [`Self::feed_msg`].
    pub async fn flush(&mut self) -> Result<(), WriteError> {
        self.stream
            .flush()
            .await
            .map_err(|source| WriteError { source })
    }

    /// Sends a close frame with `code` and a short `reason`. Errors are ignored: the connection
    /// is being dropped anyway.
    pub async fn close(&mut self, code: u16, reason: &str) {
        let frame = CloseFrame {
            code: CloseCode::from(code),
            reason: reason.to_owned().into(),
        };
        if let Err(error) = self.stream.close(Some(frame)).await {
            tracing::debug!(%error, "closing the connection");
        }
    }

    /// After [`Self::close`]: waits (briefly, at most `limit`) for the peer's close so the
    /// closing handshake completes cleanly.
    pub async fn drain(&mut self, limit: std::time::Duration) {
        let drained = tokio::time::timeout(limit, async {
            while let Some(Ok(_)) = self.stream.next().await {}
        });
        if drained.await.is_err() {
            tracing::debug!("the peer did not finish the closing handshake");
        }
    }
}

/// Serialises an outbound message. Our message types always serialise; should that ever fail,
/// the error goes out as an unknown message rather than a panic.
pub(crate) fn to_json<T: Serialize>(msg: &T) -> String {
    serde_json::to_string(msg).unwrap_or_else(|error| {
        tracing::error!(%error, "could not serialise a message");
        String::from(r#"{"type":"error"}"#)
    })
}
