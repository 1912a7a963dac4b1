//! The wire's unit tests: messages written as docs/PROTOCOL.md shows them, and read back.

use super::*;

#[test]
fn a_players_hello_is_written_as_before_and_a_watchers_says_so() {
    let hello = |role| ClientMsg::Hello {
        protocol: 1,
        app: "0.1.0".to_owned(),
        name: "Bob".to_owned(),
        seat_code: None,
        resume: None,
        auto_rematch: false,
        role,
    };
    let text = serde_json::to_string(&hello(HelloRole::Play)).unwrap();
    assert_eq!(
        text,
        r#"{"type":"hello","protocol":1,"app":"0.1.0","name":"Bob"}"#
    );
    assert_eq!(ClientMsg::parse(&text).unwrap(), hello(HelloRole::Play));
    let text = serde_json::to_string(&hello(HelloRole::Watch)).unwrap();
    assert!(text.ends_with(r#","role":"watch"}"#), "{text}");
    assert_eq!(ClientMsg::parse(&text).unwrap(), hello(HelloRole::Watch));
}

#[test]
fn chat_is_cleaned_and_limited() {
    assert_eq!(
        clean_chat("  Good\u{7} game\u{202e}\n"),
        Ok("Good game".to_owned())
    );
    assert_eq!(clean_chat(" \u{1b} "), Err(Refusal::ChatEmpty));
    assert_eq!(clean_chat(&"é".repeat(200)), Ok("é".repeat(200)));
    assert_eq!(clean_chat(&"é".repeat(201)), Err(Refusal::ChatTooLong));
    let line = ServerMsg::Chat(ChatLine {
        name: "Carol".to_owned(),
        player: None,
        text: "hi".to_owned(),
    });
    let text = serde_json::to_string(&line).unwrap();
    assert_eq!(
        text,
        r#"{"type":"chat","name":"Carol","player":null,"text":"hi"}"#
    );
    assert_eq!(ServerMsg::parse(&text).unwrap(), line);
}

#[test]
fn parses_and_classifies() {
    let play = ClientMsg::parse(r#"{"type":"play","id":3,"cell":5}"#).unwrap();
    assert_eq!(
        play,
        ClientMsg::Play {
            id: 3,
            cell: Cell::from_number(5).unwrap()
        }
    );
    // Cells beyond 9 are the bigger games'; whether one is on the match's board is the rules'.
    assert_eq!(
        ClientMsg::parse(r#"{"type":"play","id":3,"cell":225}"#).unwrap(),
        ClientMsg::Play {
            id: 3,
            cell: Cell::with_index(224).unwrap()
        }
    );
    for cell in ["0", "226", "-1", "100000"] {
        assert!(matches!(
            ClientMsg::parse(&format!(r#"{{"type":"play","id":3,"cell":{cell}}}"#)),
            Err(ParseError::OutOfRange { id: Some(3), .. })
        ));
    }
    assert!(matches!(
        ClientMsg::parse(r#"{"type":"dance","id":4}"#),
        Err(ParseError::UnknownType { id: Some(4), .. })
    ));
    assert!(matches!(
        ClientMsg::parse("{nope"),
        Err(ParseError::Malformed { id: None, .. })
    ));
    assert!(matches!(
        ClientMsg::parse("[1,2]"),
        Err(ParseError::Malformed { .. })
    ));
    let event = ServerMsg::Event {
        v: 1,
        digest: Digest(0xab),
        chain: None,
        event: Event::Moved {
            player: Player::X,
            cell: Cell::from_number(1).unwrap(),
        },
    };
    let text = serde_json::to_string(&event).unwrap();
    assert_eq!(
        text,
        r#"{"type":"event","v":1,"digest":"00000000000000ab","event":{"kind":"moved","player":"x","cell":1}}"#
    );
    assert_eq!(ServerMsg::parse(&text).unwrap(), event);
}
