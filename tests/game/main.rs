//! The rules engine, the computer player and the record format: exhaustive over every reachable
//! position, and every front end (window, network, terminal) going through the one engine.

#[path = "../support/mod.rs"]
pub mod support;

mod computer;
mod one_engine;
mod record;
mod rules;
