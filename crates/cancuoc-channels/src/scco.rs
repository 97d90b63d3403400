//! Stringee Call Control Objects (SCCO, the Vietnamese CPaaS's JSON call
//! script): the same turn of the voice menu as [`crate::twiml`] rendered
//! as a JSON array of actions, and Stringee's DTMF event read back.
//!
//! A turn's lines become one `talk` action (`voice` the configured
//! Stringee voice, e.g. `hn_male_xuantin_vdts_48k-hsmm`); then, when the
//! turn waits for keys, an `input` action posting to the event URL
//! (`submitOnHash`, `timeout`, and `maxDigits` when the count is fixed —
//! that field is unconfirmed in Stringee's public samples); Stringee's
//! answer to it is our next SCCO. `talk` is asynchronous with
//! `bargeIn: true`, so a caller may press a key while a prompt plays; a
//! turn that does not wait keeps `bargeIn: false`, so its words are heard
//! in full before the call is connected to the operator (`connect` from
//! the hotline number to the operator's) or ends (nothing after the talk).
//! Research file §3.2.

use cancuoc_core::channel::ivr::IvrTurn;
use serde_json::{Value, json};

use crate::{ParseError, text_of};

/// The SCCO of `turn`: `event_url` receives the keys (absolute, with the
/// next state in its query), `voice` speaks, `hotline` is the number the
/// call came in on (shown to the operator), `operator` the number
/// connected when the turn hands over.
pub fn render_scco(
    turn: &IvrTurn,
    event_url: &str,
    voice: &str,
    hotline: &str,
    operator: Option<&str>,
) -> Value {
    let mut actions = Vec::new();
    let text = turn.say.join(" ");
    if !text.trim().is_empty() {
        actions.push(json!({
            "action": "talk",
            "text": text,
            "voice": voice,
            "speed": 0,
            "bargeIn": turn.gather.is_some(),
            "loop": 1,
        }));
    }
    if let Some(g) = turn.gather {
        let mut input = json!({
            "action": "input",
            "eventUrl": event_url,
            "submitOnHash": true,
            "timeout": g.timeout_secs,
        });
        if let (Some(n), Some(obj)) = (g.num_digits, input.as_object_mut()) {
            obj.insert("maxDigits".into(), json!(n));
        }
        actions.push(input);
    } else if let Some(number) = operator.filter(|o| turn.dial_operator && !o.trim().is_empty()) {
        actions.push(json!({
            "action": "connect",
            "from": {"type": "external", "number": hotline, "alias": hotline},
            "to": {"type": "external", "number": number.trim(), "alias": hotline},
        }));
    }
    Value::Array(actions)
}

/// Stringee's DTMF event: which call, what was pressed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringeeInput {
    /// The call's id (`call-vn-1-…`).
    pub call_id: String,
    /// The keys pressed without a final `#`; `None` when nothing was.
    pub dtmf: Option<String>,
    /// Whether the input timed out.
    pub timeout: bool,
}

/// Reads the body Stringee posts to an `input` action's event URL
/// (`{"time":"…","dtmf":"0","call_id":"…","customField":"","timeout":false}`).
/// A trailing `#` is dropped (whether Stringee includes it is unconfirmed;
/// Twilio's `Digits` never do); `timeout` may be a boolean or
/// `"true"`/`"false"`, and is `false` when absent.
pub fn parse_input(raw: &[u8]) -> Result<StringeeInput, ParseError> {
    let v: Value = serde_json::from_slice(raw).map_err(|e| ParseError::json(&e))?;
    let call_id = match v.get("call_id") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(ParseError::Field("call_id")),
    };
    let dtmf = match v.get("dtmf") {
        None | Some(Value::Null) => None,
        Some(d @ (Value::String(_) | Value::Number(_))) => text_of(Some(d))
            .map(|s| s.trim_end_matches('#').to_owned())
            .filter(|s| !s.is_empty()),
        Some(_) => return Err(ParseError::Field("dtmf")),
    };
    let timeout = match v.get("timeout") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s == "true" => true,
        Some(Value::String(s)) if s == "false" || s.is_empty() => false,
        Some(_) => return Err(ParseError::Field("timeout")),
    };
    Ok(StringeeInput {
        call_id,
        dtmf,
        timeout,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cancuoc_core::channel::Need;
    use cancuoc_core::channel::ivr::{Gather, IvrState};

    fn turn(say: &[&str], gather: Option<Gather>, dial: bool) -> IvrTurn {
        IvrTurn {
            say: say.iter().map(|s| (*s).to_owned()).collect(),
            gather,
            dial_operator: dial,
            next: IvrState::default(),
            need: Need::Nothing,
        }
    }

    const VOICE: &str = "hn_male_xuantin_vdts_48k-hsmm";

    #[test]
    fn a_menu_talks_then_waits() {
        let t = turn(
            &["Xin chào.", "Bấm phím 4 để tra cứu."],
            Some(Gather {
                num_digits: Some(1),
                timeout_secs: 5,
            }),
            false,
        );
        assert_eq!(
            render_scco(
                &t,
                "https://cc.example.vn/channels/ivr/stringee/dtmf?node=main",
                VOICE,
                "19000368",
                Some("0241234567")
            )
            .to_string(),
            r#"[{"action":"talk","bargeIn":true,"loop":1,"speed":0,"text":"Xin chào. Bấm phím 4 để tra cứu.","voice":"hn_male_xuantin_vdts_48k-hsmm"},{"action":"input","eventUrl":"https://cc.example.vn/channels/ivr/stringee/dtmf?node=main","maxDigits":1,"submitOnHash":true,"timeout":5}]"#
        );
        let code = turn(
            &["Nhập mã hồ sơ."],
            Some(Gather {
                num_digits: None,
                timeout_secs: 15,
            }),
            false,
        );
        assert_eq!(
            render_scco(&code, "/e", VOICE, "19000368", None)[1].to_string(),
            r#"{"action":"input","eventUrl":"/e","submitOnHash":true,"timeout":15}"#
        );
    }

    #[test]
    fn hand_over_connects_or_ends() {
        let t = turn(&["Xin chờ."], None, true);
        assert_eq!(
            render_scco(&t, "/e", VOICE, "19000368", Some("0241234567")).to_string(),
            r#"[{"action":"talk","bargeIn":false,"loop":1,"speed":0,"text":"Xin chờ.","voice":"hn_male_xuantin_vdts_48k-hsmm"},{"action":"connect","from":{"alias":"19000368","number":"19000368","type":"external"},"to":{"alias":"19000368","number":"0241234567","type":"external"}}]"#
        );
        let end = render_scco(&t, "/e", VOICE, "19000368", None);
        assert_eq!(end.as_array().map(Vec::len), Some(1));
        assert_eq!(end[0]["action"], "talk");
        assert_eq!(
            render_scco(&turn(&[], None, false), "/e", VOICE, "1", None),
            json!([])
        );
    }

    #[test]
    fn dtmf_events_are_read() {
        assert_eq!(
            parse_input(br#"{"time":"1530870073736","dtmf":"0","call_id":"call-vn-1-TEST","customField":"","timeout":false}"#),
            Ok(StringeeInput {
                call_id: "call-vn-1-TEST".into(),
                dtmf: Some("0".into()),
                timeout: false
            })
        );
        assert_eq!(
            parse_input(br#"{"dtmf":"0001260115000012#","call_id":"c","timeout":"false"}"#),
            Ok(StringeeInput {
                call_id: "c".into(),
                dtmf: Some("0001260115000012".into()),
                timeout: false
            })
        );
        assert_eq!(
            parse_input(br#"{"dtmf":"","call_id":"c","timeout":true}"#),
            Ok(StringeeInput {
                call_id: "c".into(),
                dtmf: None,
                timeout: true
            })
        );
        assert_eq!(
            parse_input(br#"{"dtmf":4,"call_id":"c"}"#).map(|i| i.dtmf),
            Ok(Some("4".into()))
        );
    }

    #[test]
    fn broken_events_are_typed_errors() {
        assert!(matches!(parse_input(b"dtmf=1"), Err(ParseError::Json(_))));
        assert_eq!(
            parse_input(br#"{"dtmf":"1"}"#),
            Err(ParseError::Field("call_id"))
        );
        assert_eq!(
            parse_input(br#"{"call_id":"","dtmf":"1"}"#),
            Err(ParseError::Field("call_id"))
        );
        assert_eq!(
            parse_input(br#"{"call_id":"c","dtmf":[1]}"#),
            Err(ParseError::Field("dtmf"))
        );
        assert_eq!(
            parse_input(br#"{"call_id":"c","timeout":"soon"}"#),
            Err(ParseError::Field("timeout"))
        );
    }
}
