//! TwiML (Twilio's voice markup, also spoken by SignalWire, Telnyx, Kazoo
//! Pivot and somleng): a turn of the voice menu (`cancuoc_core::channel::
//! ivr::IvrTurn`) rendered as the XML document Twilio executes, and
//! Twilio's form-encoded webhook bodies read back.
//!
//! A turn that waits for keys becomes one `<Gather input="dtmf">` holding
//! its `<Say>` lines, so a caller may press a key while a prompt plays;
//! `actionOnEmptyResult="true"` makes a silent caller come back to the
//! action URL too (with empty `Digits`), so nothing follows the `<Gather>`.
//! A turn that does not wait says its lines, then `<Dial>`s the operator
//! when it asks to and a number is configured, else `<Hangup/>`s.
//! Vietnamese lines are `<Say language="vi-VN" voice="…">` with the
//! configured voice (e.g. `Google.vi-VN-Standard-A`); English lines are
//! `language="en-US"` with the platform's default voice (the configured
//! voice speaks Vietnamese only). Research file §3.1.

use cancuoc_core::channel::ivr::IvrTurn;
use cancuoc_core::i18n::Lang;

/// `s` escaped for XML text and attribute values. A hand-written escaper
/// of the five special characters (no XML crate is in the tree); the
/// characters XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF) are
/// dropped, since no escape can carry them.
fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
}

/// The TwiML document of `turn`: `action_url` is where the keys go (the
/// absolute public URL with the next state in its query, as the
/// signature will be checked against it), `voice` the Vietnamese voice,
/// `operator` the number `<Dial>`ed when the turn hands over.
pub fn render_twiml(
    turn: &IvrTurn,
    action_url: &str,
    voice: &str,
    operator: Option<&str>,
) -> String {
    let mut x = String::from(r#"<?xml version="1.0" encoding="UTF-8"?><Response>"#);
    let say_open = match turn.next.lang {
        Lang::Vi => {
            let mut s = String::from(r#"<Say language="vi-VN" voice=""#);
            escape(voice, &mut s);
            s.push_str(r#"">"#);
            s
        }
        Lang::En => r#"<Say language="en-US">"#.to_owned(),
    };
    let says = |x: &mut String| {
        for line in &turn.say {
            x.push_str(&say_open);
            escape(line, x);
            x.push_str("</Say>");
        }
    };
    if let Some(g) = turn.gather {
        x.push_str(r#"<Gather input="dtmf""#);
        if let Some(n) = g.num_digits {
            x.push_str(&format!(r#" numDigits="{n}""#));
        }
        x.push_str(&format!(
            r##" finishOnKey="#" timeout="{}" action=""##,
            g.timeout_secs
        ));
        escape(action_url, &mut x);
        x.push_str(r#"" method="POST" actionOnEmptyResult="true">"#);
        says(&mut x);
        x.push_str("</Gather>");
    } else {
        says(&mut x);
        match operator.filter(|o| turn.dial_operator && !o.trim().is_empty()) {
            Some(number) => {
                x.push_str("<Dial>");
                escape(number.trim(), &mut x);
                x.push_str("</Dial>");
            }
            None => x.push_str("<Hangup/>"),
        }
    }
    x.push_str("</Response>");
    x
}

/// The pairs of a form-encoded body (`application/x-www-form-urlencoded`:
/// `+` is a space, `%XX` a byte; invalid UTF-8 is replaced), in order.
/// Never fails: anything is some list of pairs.
pub fn parse_form(raw: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(raw).into_owned().collect()
}

/// The first value of `name` among `params` (`Digits`, `From`, `CallSid`…).
pub fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cancuoc_core::channel::Need;
    use cancuoc_core::channel::ivr::{Gather, IvrState};

    fn turn(say: &[&str], gather: Option<Gather>, dial: bool, lang: Lang) -> IvrTurn {
        IvrTurn {
            say: say.iter().map(|s| (*s).to_owned()).collect(),
            gather,
            dial_operator: dial,
            next: IvrState {
                lang,
                ..IvrState::default()
            },
            need: Need::Nothing,
        }
    }

    const VOICE: &str = "Google.vi-VN-Standard-A";

    #[test]
    fn a_menu_is_a_gather_with_its_prompts() {
        let t = turn(
            &["Xin chào.", "Bấm phím 4 để tra cứu tình trạng thẻ."],
            Some(Gather {
                num_digits: Some(1),
                timeout_secs: 5,
            }),
            false,
            Lang::Vi,
        );
        assert_eq!(
            render_twiml(
                &t,
                "https://cc.example.vn/channels/ivr/twilio?node=main&wrong=0",
                VOICE,
                Some("+84241234567")
            ),
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Response>"#,
                r##"<Gather input="dtmf" numDigits="1" finishOnKey="#" timeout="5" "##,
                r#"action="https://cc.example.vn/channels/ivr/twilio?node=main&amp;wrong=0" method="POST" actionOnEmptyResult="true">"#,
                r#"<Say language="vi-VN" voice="Google.vi-VN-Standard-A">Xin chào.</Say>"#,
                r#"<Say language="vi-VN" voice="Google.vi-VN-Standard-A">Bấm phím 4 để tra cứu tình trạng thẻ.</Say>"#,
                "</Gather></Response>"
            )
        );
    }

    #[test]
    fn an_entry_until_hash_has_no_digit_count() {
        let t = turn(
            &["Enter the code, then press hash."],
            Some(Gather {
                num_digits: None,
                timeout_secs: 15,
            }),
            false,
            Lang::En,
        );
        assert_eq!(
            render_twiml(&t, "/ivr?node=code", VOICE, None),
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Response>"#,
                r##"<Gather input="dtmf" finishOnKey="#" timeout="15" action="/ivr?node=code" method="POST" actionOnEmptyResult="true">"##,
                r#"<Say language="en-US">Enter the code, then press hash.</Say>"#,
                "</Gather></Response>"
            )
        );
    }

    #[test]
    fn hand_over_dials_or_hangs_up() {
        let t = turn(&["Xin chờ."], None, true, Lang::Vi);
        assert_eq!(
            render_twiml(&t, "/a", VOICE, Some(" +84241234567 ")),
            r#"<?xml version="1.0" encoding="UTF-8"?><Response><Say language="vi-VN" voice="Google.vi-VN-Standard-A">Xin chờ.</Say><Dial>+84241234567</Dial></Response>"#
        );
        // No number configured, or not asked to dial: the call ends.
        let hang = r#"<?xml version="1.0" encoding="UTF-8"?><Response><Say language="vi-VN" voice="Google.vi-VN-Standard-A">Xin chờ.</Say><Hangup/></Response>"#;
        assert_eq!(render_twiml(&t, "/a", VOICE, None), hang);
        assert_eq!(render_twiml(&t, "/a", VOICE, Some("")), hang);
        let t = turn(&["Xin chờ."], None, false, Lang::Vi);
        assert_eq!(render_twiml(&t, "/a", VOICE, Some("+84241234567")), hang);
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        let t = turn(&["a<b>&\"c\"'d'\u{7}e"], None, false, Lang::Vi);
        assert_eq!(
            render_twiml(&t, "/a", "v\"x", None),
            r#"<?xml version="1.0" encoding="UTF-8"?><Response><Say language="vi-VN" voice="v&quot;x">a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;e</Say><Hangup/></Response>"#
        );
    }

    #[test]
    fn twilio_forms_are_read() {
        let raw = b"CallSid=CA123&From=%2B84912345678&Digits=4&SpeechResult=tra+c%E1%BB%A9u&Empty=&Bad=%FF";
        let p = parse_form(raw);
        assert_eq!(param(&p, "From"), Some("+84912345678"));
        assert_eq!(param(&p, "Digits"), Some("4"));
        assert_eq!(param(&p, "SpeechResult"), Some("tra cứu"));
        assert_eq!(param(&p, "Empty"), Some(""));
        assert_eq!(param(&p, "Bad"), Some("\u{fffd}"));
        assert_eq!(param(&p, "Missing"), None);
        assert_eq!(p.len(), 6);
        assert!(parse_form(b"").is_empty());
    }
}
