//! The rules engine, the computer player and the record format: exhaustive over every reachable
//! classic position, every front end (window, network, terminal) going through the one engine,
//! and the bigger games (Ultimate, Gomoku) through the same engine.

#[path = "../support/mod.rs"]
pub mod support;

mod computer;
mod gomoku;
mod one_engine;
mod record;
mod rules;
mod ultimate;
mod variants;
